import fs from 'node:fs';
import { z } from 'zod';
import type { Language } from '../../knowledge/schema';
import { ACCOUNTS, Account, Channel } from '../model';
import { PublishError } from './publish-error';

/** One account's secret for one channel: fields depend on the platform (accessToken, pageId, author, userId). */
export type Credential = Record<string, string>;

const credential = z.record(z.string().min(1));
const perChannel = z.union([
  z.object({ en: credential.optional(), fr: credential.optional() }).strict(),
  credential,
]);
const fileSchema = z.record(
  z.enum(ACCOUNTS as [Account, ...Account[]]),
  z.record(z.enum(['x', 'facebook', 'linkedin', 'webhook']), perChannel),
);

/**
 * Platform credentials per account, channel and language, read from CAMPAIGN_CREDENTIALS_FILE:
 * `{ "service-canada": { "x": { "en": { "accessToken": "…", "userId": "…" }, "fr": { … } },
 * "linkedin": { "accessToken": "…", "author": "urn:li:organization:…" } } }`. A channel entry without
 * `en`/`fr` serves both languages. Kept out of the environment and the database so secrets stay in one file.
 */
export class Credentials {
  private constructor(private readonly data: z.infer<typeof fileSchema>) {}

  static empty(): Credentials {
    return new Credentials({});
  }

  static from(value: unknown, source = 'credentials'): Credentials {
    const parsed = fileSchema.safeParse(value);
    if (!parsed.success) {
      throw new Error(
        `${source}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return new Credentials(parsed.data);
  }

  /** Reads the file; an empty path means no platform is configured (the outbox still works). */
  static load(file: string): Credentials {
    if (!file) return Credentials.empty();
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`CAMPAIGN_CREDENTIALS_FILE: cannot read ${file}: ${(err as Error).message}`);
    }
    try {
      return Credentials.from(JSON.parse(text), `CAMPAIGN_CREDENTIALS_FILE ${file}`);
    } catch (err) {
      throw new Error(
        err instanceof SyntaxError
          ? `CAMPAIGN_CREDENTIALS_FILE ${file}: not JSON: ${err.message}`
          : (err as Error).message,
      );
    }
  }

  get(account: Account, channel: Channel, language: Language): Credential | undefined {
    const entry = this.data[account]?.[channel as 'x'];
    if (!entry) return undefined;
    if ('en' in entry || 'fr' in entry)
      return (entry as { en?: Credential; fr?: Credential })[language];
    return entry as Credential;
  }

  /** The names in `required` that the credential lacks (all of them when there is none). */
  missing(
    account: Account,
    channel: Channel,
    language: Language,
    required: readonly string[],
  ): string[] {
    const c = this.get(account, channel, language);
    return required.filter((k) => !c?.[k]).map((k) => `${account}.${channel}.${language}.${k}`);
  }

  /** The fields `keys` of a credential; a permanent not_configured PublishError names those missing. */
  require<K extends string>(
    account: Account,
    channel: Channel,
    language: Language,
    keys: readonly K[],
  ): Record<K, string> {
    const missing = this.missing(account, channel, language, keys);
    if (missing.length) throw new PublishError('permanent', 'not_configured', missing.join(', '));
    const c = this.get(account, channel, language) as Credential;
    return Object.fromEntries(keys.map((k) => [k, c[k]])) as Record<K, string>;
  }
}
