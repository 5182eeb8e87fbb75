import crypto from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/** CAMPAIGN_TOKEN_KEY as 32 bytes: 64 hex characters, or base64 / base64url of 32 bytes. */
export function parseTokenKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new Error('CAMPAIGN_TOKEN_KEY must be 32 bytes (hex or base64)');
  return key;
}

/** Thrown when a sealed value cannot be opened: another key, another entry, or altered. */
export class SealError extends Error {
  constructor() {
    super('the stored token cannot be decrypted with CAMPAIGN_TOKEN_KEY');
    this.name = 'SealError';
  }
}

/**
 * AES-256-GCM with a random 96-bit IV per value. The associated data binds a sealed value to its
 * row (the credential entry's name), so a value copied onto another entry's row does not open.
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export class TokenSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('an AES-256 key is 32 bytes');
  }

  seal(plaintext: string, associated: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associated, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return [VERSION, ...parts].join('.');
  }

  open(sealed: string, associated: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new SealError();
    try {
      const decipher = crypto.createDecipheriv(
        'aes-256-gcm',
        this.key,
        Buffer.from(iv, 'base64url'),
      );
      decipher.setAAD(Buffer.from(associated, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SealError();
    }
  }
}

/** A digest of secret text to compare by (a token seeded from the file), never the text itself. */
export const fingerprint = (text: string) =>
  crypto.createHash('sha256').update(text).digest('base64url');
