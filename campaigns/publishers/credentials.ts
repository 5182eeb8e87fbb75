import fs from 'node:fs';
import { LANGUAGES, Language } from '../../knowledge/schema';
import { ACCOUNTS, Account, Channel } from '../model';
import { check, isObject, problem, validate } from '../../lib/validation';
import { PublishError } from './publish-error';

/**
 * One account's secret for one channel: fields depend on the platform (accessToken, pageId, author,
 * userId; refreshToken, clientId, clientSecret, expiresAt, scope, appId, appSecret).
 */
export type Credential = Record<string, string>;

/** The channels a credentials file may configure. */
export const CREDENTIAL_CHANNELS = ['x', 'facebook', 'linkedin', 'webhook'] as const;

/** One entry of the file: `service-canada.x.fr`, or `service-canada.linkedin` serving both languages. */
export interface CredentialEntry {
  name: string;
  account: Account;
  channel: Channel;
  /** Null for an entry that serves both languages. */
  language: Language | null;
  credential: Credential;
}

/** An entry of the file that is not used, and why (never its values). */
export interface CredentialProblem {
  entry: string;
  code: 'unknown_account' | 'unknown_channel' | 'unknown_language' | 'bad_entry';
  detail: string;
}

/** What publishers read credentials through: a fixed file's contents, or the reloading source. */
export interface CredentialLookup {
  get(account: Account, channel: Channel, language: Language): Credential | undefined;
  /** The name of the file entry that serves this account, channel and language. */
  entryOf(account: Account, channel: Channel, language: Language): string | undefined;
  missing(
    account: Account,
    channel: Channel,
    language: Language,
    required: readonly string[],
  ): string[];
}

/** What a credential's problems say (never its values). */
const FIELD_PROBLEMS: Record<string, (params: Record<string, unknown>) => string> = {
  type: () => 'must be an object of fields',
  bad_field: ({ field }) => `field ${String(field)} must be a non-empty string`,
  bad_expiry: () => 'field expiresAt must be an ISO 8601 time or epoch seconds',
};

/** A credential's fields: strings (numbers are taken as their text, for expiresAt); none empty. */
const credentialFields = check<Credential>((v, ctx) => {
  if (!isObject(v)) return problem(ctx, 'type');
  const out: Credential = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value === 'number' && Number.isFinite(value)) out[k] = String(value);
    else if (typeof value === 'string' && value.trim() !== '') out[k] = value;
    else return problem(ctx, 'bad_field', { field: k }, [k]);
  }
  if (out.expiresAt !== undefined && parseExpiry(out.expiresAt) === null)
    return problem(ctx, 'bad_expiry', {}, ['expiresAt']);
  return out;
});

/** The entry's credential, or what is wrong with it in a sentence. */
function fields(value: unknown): Credential | string {
  const checked = validate(credentialFields, value);
  if (!('problems' in checked)) return checked.value;
  const [{ code, params = {} }] = checked.problems;
  return FIELD_PROBLEMS[code](params);
}

/** `expiresAt` of a credential in epoch ms: ISO 8601, or epoch seconds (or ms); null when unreadable. */
export function parseExpiry(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    return n < 1e11 ? n * 1000 : n;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Platform credentials per account, channel and language, read from CAMPAIGN_CREDENTIALS_FILE:
 * `{ "service-canada": { "x": { "en": { "accessToken": "…", "userId": "…" }, "fr": { … } },
 * "linkedin": { "accessToken": "…", "author": "urn:li:organization:…" } } }`. A channel entry without
 * `en`/`fr` serves both languages. An entry naming an unknown organization, channel or language, or
 * holding something else than text, is left out and listed in `problems` (by name, never by value):
 * nothing is published with it.
 */
export class Credentials implements CredentialLookup {
  private constructor(
    private readonly byName: Map<string, CredentialEntry>,
    readonly problems: readonly CredentialProblem[],
  ) {}

  static empty(): Credentials {
    return new Credentials(new Map(), []);
  }

  /** Reads a parsed file; throws only when it is not an object of organizations at all. */
  static from(value: unknown, source = 'credentials'): Credentials {
    if (!isObject(value)) throw new Error(`${source}: must be a JSON object of organizations`);
    const entries = new Map<string, CredentialEntry>();
    const problems: CredentialProblem[] = [];
    for (const [account, channels] of Object.entries(value)) {
      if (!(ACCOUNTS as string[]).includes(account)) {
        problems.push({
          entry: account,
          code: 'unknown_account',
          detail: `unknown organization; expected one of ${ACCOUNTS.join(', ')}`,
        });
        continue;
      }
      if (!isObject(channels)) {
        problems.push({
          entry: account,
          code: 'bad_entry',
          detail: 'must be an object of channels',
        });
        continue;
      }
      for (const [channel, entry] of Object.entries(channels)) {
        const name = `${account}.${channel}`;
        if (!(CREDENTIAL_CHANNELS as readonly string[]).includes(channel)) {
          problems.push({
            entry: name,
            code: 'unknown_channel',
            detail: `unknown channel; expected one of ${CREDENTIAL_CHANNELS.join(', ')}`,
          });
          continue;
        }
        const add = (entryName: string, language: Language | null, raw: unknown) => {
          const parsed = fields(raw);
          if (typeof parsed === 'string')
            problems.push({ entry: entryName, code: 'bad_entry', detail: parsed });
          else
            entries.set(entryName, {
              name: entryName,
              account: account as Account,
              channel: channel as Channel,
              language,
              credential: parsed,
            });
        };
        if (!isObject(entry)) {
          problems.push({ entry: name, code: 'bad_entry', detail: 'must be an object' });
          continue;
        }
        const values = Object.values(entry);
        if (values.length && values.every(isObject)) {
          // One entry per language.
          for (const [language, raw] of Object.entries(entry)) {
            if ((LANGUAGES as readonly string[]).includes(language))
              add(`${name}.${language}`, language as Language, raw);
            else
              problems.push({
                entry: `${name}.${language}`,
                code: 'unknown_language',
                detail: `unknown language; expected ${LANGUAGES.join(' or ')}`,
              });
          }
        } else if (values.some(isObject)) {
          problems.push({
            entry: name,
            code: 'bad_entry',
            detail: 'mixes language entries and fields',
          });
        } else add(name, null, entry);
      }
    }
    return new Credentials(entries, problems);
  }

  /** Reads the file; an empty path means no platform is configured (the outbox still works). */
  static load(file: string): Credentials {
    if (!file) return Credentials.empty();
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(
        `CAMPAIGN_CREDENTIALS_FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The parser's message quotes the text around the error: it may hold a secret.
      throw new Error(`CAMPAIGN_CREDENTIALS_FILE ${file}: not JSON`);
    }
    return Credentials.from(parsed, `CAMPAIGN_CREDENTIALS_FILE ${file}`);
  }

  /** Every usable entry of the file. */
  entries(): CredentialEntry[] {
    return [...this.byName.values()];
  }

  private find(account: Account, channel: Channel, language: Language) {
    return (
      this.byName.get(`${account}.${channel}.${language}`) ??
      this.byName.get(`${account}.${channel}`)
    );
  }

  get(account: Account, channel: Channel, language: Language): Credential | undefined {
    return this.find(account, channel, language)?.credential;
  }

  entryOf(account: Account, channel: Channel, language: Language): string | undefined {
    return this.find(account, channel, language)?.name;
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
}

/** The fields `keys` of a credential, or a permanent not_configured PublishError naming those missing. */
export function requireFields<K extends string>(
  lookup: CredentialLookup,
  account: Account,
  channel: Channel,
  language: Language,
  keys: readonly K[],
): Record<K, string> {
  const missing = lookup.missing(account, channel, language, keys);
  if (missing.length) throw new PublishError('permanent', 'not_configured', missing.join(', '));
  const c = lookup.get(account, channel, language) as Credential;
  return Object.fromEntries(keys.map((k) => [k, c[k]])) as Record<K, string>;
}
