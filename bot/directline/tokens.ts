import crypto from 'node:crypto';

/**
 * Direct Line-style conversation tokens: `conversationId.expiresAt.signature` (HMAC-SHA256). They
 * carry no personal data; instances that share DIRECTLINE_SECRET accept each other's tokens.
 */
export class ConversationTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds = 3600,
    private readonly now: () => number = Date.now,
  ) {}

  issue(conversationId: string): { token: string; expiresIn: number } {
    const expires = Math.floor(this.now() / 1000) + this.ttlSeconds;
    const payload = `${conversationId}.${expires}`;
    return { token: `${payload}.${this.sign(payload)}`, expiresIn: this.ttlSeconds };
  }

  /** The conversation a valid, unexpired token is for; null otherwise. */
  verify(token: string): string | null {
    const m = /^([A-Za-z0-9_-]{8,64})\.(\d{9,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return null;
    const [, conversationId, expires, signature] = m;
    const expected = Buffer.from(this.sign(`${conversationId}.${expires}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
    if (Number(expires) * 1000 < this.now()) return null;
    return conversationId;
  }

  private sign(payload: string): string {
    return crypto.createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
