import type { Language } from '../../knowledge/schema';
import type { Account, Channel } from '../model';
import { Credential, CredentialLookup, requireFields } from './credentials';
import { PublishError } from './publish-error';

/** Which token: the credentials file's entry (`service-canada.x.fr`), its channel and its fields. */
export interface TokenRef {
  entry: string;
  channel: Channel;
  credential: Credential;
}

/**
 * Where publishers get the access token to send (campaigns/tokens/token-manager.ts): the stored one,
 * refreshed first when it is about to expire, and checked to open the entry's account.
 */
export interface TokenAccess {
  accessToken(ref: TokenRef): Promise<string>;
  /** After the platform refused `used` (401): a newer token to try once, or null when there is none. */
  afterRejection(ref: TokenRef, used: string): Promise<string | null>;
}

/** A platform's 401: the token expired or was revoked, nothing was done with it. */
const refused = (err: unknown) =>
  err instanceof PublishError && err.kind === 'permanent' && err.status === 401;

/**
 * Runs `fn` with the entry's access token; when the platform refuses it with a 401 and a newer token
 * can be had (refreshed, or rotated by another worker meanwhile), `fn` runs once more with it. A 401
 * means the request did nothing, so trying again cannot post twice. Without `tokens`, the file's
 * token is used as it is.
 */
export async function useToken<T>(
  tokens: TokenAccess | null,
  ref: TokenRef,
  fn: (token: string) => Promise<T>,
): Promise<T> {
  if (!tokens) return fn(ref.credential.accessToken);
  const token = await tokens.accessToken(ref);
  try {
    return await fn(token);
  } catch (err) {
    if (!refused(err)) throw err;
    const fresh = await tokens.afterRejection(ref, token);
    if (fresh === null || fresh === token) throw err;
    return fn(fresh);
  }
}

/**
 * The fields `keys` of the entry serving this account, channel and language (a permanent
 * not_configured error names those missing), and the reference its tokens are kept under.
 */
export function credentialFor<K extends string>(
  lookup: CredentialLookup,
  channel: Channel,
  d: { account: Account; language: Language },
  keys: readonly K[],
): Record<K, string> & { ref: TokenRef } {
  const fields = requireFields(lookup, d.account, channel, d.language, keys);
  return {
    ...fields,
    ref: {
      entry: lookup.entryOf(d.account, channel, d.language) as string,
      channel,
      credential: lookup.get(d.account, channel, d.language) as Credential,
    },
  };
}
