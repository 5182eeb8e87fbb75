import type { Config } from '../../lib/config';
import type { Channel } from '../model';
import type { Credential } from './credentials';

/** An access token, the refresh token that renews it, and what the platform said of them. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms; null when unknown or never. */
  expiresAtMs: number | null;
  refreshExpiresAtMs: number | null;
  /** The scopes granted, when the platform said. */
  scopes: string[] | null;
}

/** What a platform says of an access token. */
export interface Inspection {
  /** False when the platform refuses the token (expired, revoked, unknown). */
  valid: boolean;
  /** The accounts the token may post as (X user id, page id, organization URNs); null: not said. */
  accounts: string[] | null;
  scopes: string[] | null;
  /** Epoch ms; null when unknown or never. */
  expiresAtMs: number | null;
  /** The platform's words when it refused, or why something could not be checked. */
  reason: string | null;
}

/**
 * A platform's tokens: how one is refreshed and inspected, which scopes publishing needs, and which
 * credential field names the account it must open. One file per platform, listed in index.ts.
 */
export interface PlatformAuth {
  readonly channel: Channel;
  readonly requiredScopes: readonly string[];
  /** The credential field naming the account: userId (X), pageId (Facebook), author (LinkedIn). */
  readonly accountField: string;
  /**
   * The platform posts as whoever the token belongs to (X): a token of another account would post
   * there, so the account is checked before the first use of every token.
   */
  readonly verifyBeforeUse: boolean;
  /** Whether this credential holds what a refresh needs (a refresh token and the client's id). */
  refreshable(credential: Credential): boolean;
  /** Throws PublishError: permanent when the platform refuses the refresh token. */
  refresh(credential: Credential, refreshToken: string): Promise<TokenSet>;
  /** Throws a retryable PublishError when the platform cannot be asked. */
  inspect(credential: Credential, accessToken: string): Promise<Inspection>;
}

export interface PlatformAuthDefinition {
  channel: Channel;
  create(config: Config): PlatformAuth;
}

/** Scopes as platforms list them: space-separated (X, OAuth), comma-separated (LinkedIn). */
export const splitScopes = (text: string | null | undefined): string[] | null =>
  text ? text.split(/[\s,]+/).filter(Boolean) : null;
