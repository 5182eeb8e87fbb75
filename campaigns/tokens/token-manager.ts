import type { Logger } from '../../lib/logger';
import type { Channel } from '../model';
import { parseExpiry } from '../publishers/credentials';
import { Inspection, PlatformAuth, splitScopes, TokenSet } from '../publishers/platform-auth';
import { PublishError } from '../publishers/publish-error';
import type { TokenAccess, TokenRef } from '../publishers/token-access';
import { fingerprint, SealError } from './crypto';
import { asPublishError, Refresher } from './refresher';
import type { StoredTokens, TokenStore } from './token-store';

export interface TokenManagerDeps {
  /** Null without CAMPAIGN_TOKEN_KEY: the file's tokens are used as they are, never refreshed. */
  store: TokenStore | null;
  auth: ReadonlyMap<Channel, PlatformAuth>;
  logger: Logger;
  /** A token expiring within this is refreshed before use. */
  marginMs: number;
  /** How long one process may hold a refresh (longer than the call to the token endpoint). */
  leaseMs: number;
  /** How long an account check of a token is trusted. */
  checkTtlMs?: number;
  pollMs?: number;
  now?: () => number;
}

/** What the pre-flight needs to know of an entry's tokens (never the tokens). */
export interface TokenStatus {
  /** The token can be renewed (refresh token, client id, CAMPAIGN_TOKEN_KEY, not refused before). */
  refreshable: boolean;
  /** The entry has a refresh token but CAMPAIGN_TOKEN_KEY is not set. */
  needsKey: boolean;
  expiresAtMs: number | null;
  refreshExpiresAtMs: number | null;
  scopes: string[] | null;
  /** Why the last refresh failed, if it did. */
  failure: string | null;
}

/** The tokens a credentials file entry gives. */
function fileTokens(c: Record<string, string>): TokenSet {
  return {
    accessToken: c.accessToken,
    refreshToken: c.refreshToken ?? null,
    expiresAtMs: parseExpiry(c.expiresAt),
    refreshExpiresAtMs: parseExpiry(c.refreshExpiresAt),
    scopes: splitScopes(c.scope),
  };
}

/** Whether a row says of its tokens what the file says (expiry, scopes). */
const sameInfo = (row: TokenSet, file: TokenSet) =>
  row.expiresAtMs === file.expiresAtMs &&
  row.refreshExpiresAtMs === file.refreshExpiresAtMs &&
  (row.scopes?.join(' ') ?? null) === (file.scopes?.join(' ') ?? null);

/**
 * The access token of each credentials entry, shared by every worker through the token store: the
 * file's tokens seed it; one expiring within the margin is refreshed first, by one process at a time
 * (a lease on the row, then a compare-and-swap on its version), the others waiting for its result;
 * a platform's 401 gets a newer token once. Tokens of a platform that posts as whoever the token
 * belongs to (X) are checked to open the entry's account before their first use.
 */
export class TokenManager implements TokenAccess {
  private readonly refresher: Refresher | null;
  private readonly checks = new Map<string, { at: number; inspection: Inspection }>();
  private readonly warned = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly deps: TokenManagerDeps) {
    this.now = deps.now ?? Date.now;
    this.refresher = deps.store
      ? new Refresher({
          store: deps.store,
          logger: deps.logger,
          leaseMs: deps.leaseMs,
          pollMs: deps.pollMs ?? 100,
          now: this.now,
          current: (ref) => this.current(ref),
        })
      : null;
  }

  private iso = () => new Date(this.now()).toISOString();

  async accessToken(ref: TokenRef): Promise<string> {
    const auth = this.deps.auth.get(ref.channel);
    let token = ref.credential.accessToken;
    if (auth && this.deps.store) {
      try {
        let row = await this.current(ref);
        if (this.refreshDue(auth, ref, row))
          row = await (this.refresher as Refresher).refresh(auth, ref, row);
        token = row.accessToken;
      } catch (err) {
        throw asPublishError(err);
      }
    } else if (auth?.refreshable(ref.credential) && !this.warned.has(ref.entry)) {
      this.warned.add(ref.entry);
      this.deps.logger.warn('refresh token not used: CAMPAIGN_TOKEN_KEY is not set', {
        entry: ref.entry,
      });
    }
    if (auth) await this.guard(auth, ref, token);
    return token;
  }

  async afterRejection(ref: TokenRef, used: string): Promise<string | null> {
    const auth = this.deps.auth.get(ref.channel);
    if (!auth || !this.deps.store) return null;
    let row = await this.current(ref);
    if (row.accessToken !== used) return row.accessToken;
    if (!auth.refreshable(ref.credential) || !row.refreshToken || row.failure) return null;
    row = await (this.refresher as Refresher).refresh(auth, ref, row);
    if (row.accessToken === used) return null;
    await this.guard(auth, ref, row.accessToken);
    return row.accessToken;
  }

  /** The entry's token state, for the pre-flight. */
  async status(ref: TokenRef): Promise<TokenStatus> {
    const auth = this.deps.auth.get(ref.channel);
    const canRefresh = Boolean(auth?.refreshable(ref.credential));
    if (!this.deps.store || !auth) {
      const t = fileTokens(ref.credential);
      return {
        refreshable: false,
        needsKey: canRefresh,
        expiresAtMs: t.expiresAtMs,
        refreshExpiresAtMs: t.refreshExpiresAtMs,
        scopes: t.scopes,
        failure: null,
      };
    }
    const row = await this.current(ref);
    return {
      refreshable: canRefresh && row.refreshToken !== null && row.failure === null,
      needsKey: false,
      expiresAtMs: row.expiresAtMs,
      refreshExpiresAtMs: row.refreshExpiresAtMs,
      scopes: row.scopes,
      failure: row.failure,
    };
  }

  /**
   * What the platform says of the entry's current token: asked now when `fetch` and the last answer
   * is older than the check TTL, else the last answer (null when there is none).
   */
  async inspect(ref: TokenRef, fetch = true): Promise<Inspection | null> {
    const auth = this.deps.auth.get(ref.channel);
    if (!auth) return null;
    const token = this.deps.store
      ? (await this.current(ref)).accessToken
      : ref.credential.accessToken;
    let inspection = await this.check(auth, ref, token, fetch);
    if (!fetch) return inspection;
    if (inspection && !inspection.valid && this.deps.store) {
      // Refused before it was due for a refresh (revoked, expired early): a refresh may cure it.
      const row = await this.current(ref);
      if (auth.refreshable(ref.credential) && row.refreshToken && !row.failure) {
        const fresh = await (this.refresher as Refresher).refresh(auth, ref, row).catch(() => null);
        if (fresh && fresh.accessToken !== token)
          inspection = await this.check(auth, ref, fresh.accessToken, true);
      }
    }
    return inspection;
  }

  private refreshDue(auth: PlatformAuth, ref: TokenRef, row: StoredTokens): boolean {
    return (
      auth.refreshable(ref.credential) &&
      row.refreshToken !== null &&
      row.failure === null &&
      row.expiresAtMs !== null &&
      row.expiresAtMs - this.now() <= this.deps.marginMs
    );
  }

  /** The entry's stored tokens, seeded from (or replaced by newer tokens of) the credentials file. */
  private async current(ref: TokenRef): Promise<StoredTokens> {
    const store = this.deps.store as TokenStore;
    const tokens = fileTokens(ref.credential);
    const seed = fingerprint(`${ref.entry}\0${tokens.accessToken}\0${tokens.refreshToken ?? ''}`);
    let row: StoredTokens | null;
    try {
      row = await store.read(ref.entry);
    } catch (err) {
      if (!(err instanceof SealError)) throw err;
      this.deps.logger.warn('stored token sealed under another key; taken from the file again', {
        entry: ref.entry,
      });
      await store.overwrite(ref.entry, seed, tokens, this.iso());
      row = await store.read(ref.entry);
    }
    if (!row) {
      await store.insert(ref.entry, seed, tokens, this.iso());
      row = await store.read(ref.entry);
    } else if (row.seed !== seed && !row.pastSeeds.includes(seed)) {
      // New tokens in the file (a reconnect): they replace the stored ones. A copy of the file
      // with tokens this row held before is an old copy, and is ignored.
      if (await store.reseed(row, seed, tokens, this.iso()))
        this.deps.logger.info('tokens taken from the credentials file', { entry: ref.entry });
      row = await store.read(ref.entry);
    } else if (row.seed === seed && row.refreshedAt === null && !sameInfo(row, tokens)) {
      // The file now says more of the same tokens (their expiry, their scopes): taken until a refresh.
      await store.annotate(row, tokens, this.iso());
      row = await store.read(ref.entry);
    }
    if (!row)
      throw new PublishError('retryable', 'token_store_unavailable', `${ref.entry}: no row`);
    return row;
  }

  /** What the platform says of `token`: asked when `fetch`, else the last answer if recent. */
  private async check(
    auth: PlatformAuth,
    ref: TokenRef,
    token: string,
    fetch: boolean,
  ): Promise<Inspection | null> {
    const key = fingerprint(`${ref.entry}\0${token}`);
    const known = this.checks.get(key);
    const ttl = this.deps.checkTtlMs ?? 15 * 60_000;
    if (known && (!fetch || this.now() - known.at < ttl)) return known.inspection;
    if (!fetch) return null;
    let inspection: Inspection;
    try {
      inspection = await auth.inspect(ref.credential, token);
    } catch (err) {
      const e = asPublishError(err);
      throw new PublishError(
        'retryable',
        'credentials_unverified',
        `${ref.entry}: the account of the token could not be checked: ${e.reason}`,
        e.status,
        e.retryAfterMs,
      );
    }
    this.checks.set(key, { at: this.now(), inspection });
    return inspection;
  }

  /** Refuses a token known to open another account; checks it first where that would post elsewhere. */
  private async guard(auth: PlatformAuth, ref: TokenRef, token: string): Promise<void> {
    const expected = ref.credential[auth.accountField];
    const inspection = await this.check(auth, ref, token, auth.verifyBeforeUse);
    if (!inspection?.valid) return;
    if (inspection.accounts && expected && !inspection.accounts.includes(expected))
      throw new PublishError(
        'permanent',
        'credentials_wrong_account',
        `${ref.entry}: the token opens ${inspection.accounts.join(', ') || 'no account'}, not ${expected}`,
      );
    if (auth.verifyBeforeUse && inspection.accounts === null)
      throw new PublishError(
        'permanent',
        'credentials_unverified',
        `${ref.entry}: the account of the token could not be checked: ${inspection.reason ?? ''}`,
      );
  }
}
