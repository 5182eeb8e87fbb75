import crypto from 'node:crypto';
import type { Logger } from '../../lib/logger';
import type { PlatformAuth, TokenSet } from '../publishers/platform-auth';
import { PublishError } from '../publishers/publish-error';
import type { TokenRef } from '../publishers/token-access';
import type { StoredTokens, TokenStore } from './token-store';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const iso = (ms: number) => new Date(ms).toISOString();

/** An error as a PublishError: a database that cannot be reached is a retryable one. */
export const asPublishError = (err: unknown) =>
  err instanceof PublishError
    ? err
    : new PublishError(
        'retryable',
        'token_store_unavailable',
        (err as Error).message ?? String(err),
      );

export interface RefresherDeps {
  store: TokenStore;
  logger: Logger;
  /** How long one process may hold a refresh (longer than the call to the token endpoint). */
  leaseMs: number;
  pollMs: number;
  now: () => number;
  /** The entry's row as the token manager reads it (seeded from the file). */
  current(ref: TokenRef): Promise<StoredTokens>;
}

/**
 * Refreshes an entry's tokens, one process at a time: the row is leased first (`claim` succeeds for
 * one process only, at the version it read), the new tokens are written over that version
 * (`rotate`), and the processes that did not get the lease poll the row until its version moves,
 * then use the new token. In one process, concurrent refreshes of an entry share one call.
 */
export class Refresher {
  private readonly owner = crypto.randomUUID();
  private readonly inflight = new Map<string, Promise<StoredTokens>>();

  constructor(private readonly deps: RefresherDeps) {}

  refresh(auth: PlatformAuth, ref: TokenRef, row: StoredTokens): Promise<StoredTokens> {
    const running = this.inflight.get(ref.entry);
    if (running) return running;
    const p = this.shared(auth, ref, row).finally(() => this.inflight.delete(ref.entry));
    this.inflight.set(ref.entry, p);
    return p;
  }

  /** Refreshes under the row's lease, or waits for the process that holds it. */
  private async shared(
    auth: PlatformAuth,
    ref: TokenRef,
    row: StoredTokens,
  ): Promise<StoredTokens> {
    const store = this.deps.store;
    let current = row;
    for (let round = 0; round < 3; round++) {
      const now = this.deps.now();
      if (await store.claim(ref.entry, current.version, this.owner, now + this.deps.leaseMs, now))
        return this.claimed(auth, ref, current);
      const deadline = now + this.deps.leaseMs;
      for (;;) {
        await sleep(this.deps.pollMs);
        const latest = await this.deps.current(ref);
        if (latest.version !== current.version) return latest;
        current = latest;
        if (latest.failure)
          throw new PublishError(
            'permanent',
            'token_refresh_failed',
            `${ref.entry}: ${latest.failure}`,
          );
        if (latest.leaseUntilMs === null || latest.leaseUntilMs < this.deps.now()) break;
        if (this.deps.now() > deadline) break;
      }
    }
    throw new PublishError('retryable', 'token_refresh_failed', `${ref.entry}: refresh still held`);
  }

  private async claimed(
    auth: PlatformAuth,
    ref: TokenRef,
    row: StoredTokens,
  ): Promise<StoredTokens> {
    const store = this.deps.store;
    let fresh: TokenSet;
    try {
      fresh = await auth.refresh(ref.credential, row.refreshToken as string);
    } catch (err) {
      const e = asPublishError(err);
      const latest = await store.read(ref.entry).catch(() => null);
      if (latest && latest.version !== row.version) return latest;
      const refused = e.kind === 'permanent';
      const failure = refused ? `the refresh token was refused: ${e.reason}` : null;
      await store.release(ref.entry, this.owner, failure, iso(this.deps.now()));
      this.deps.logger[refused ? 'error' : 'warn']('token not refreshed', {
        entry: ref.entry,
        status: e.status,
        reason: e.reason,
      });
      // Still valid: used as it is, and refreshed at a later use.
      if (!refused && row.expiresAtMs !== null && row.expiresAtMs > this.deps.now()) return row;
      throw new PublishError(
        e.kind,
        'token_refresh_failed',
        `${ref.entry}: ${failure ?? `the token could not be refreshed: ${e.reason}`}`,
        e.status,
        e.retryAfterMs,
      );
    }
    const tokens: TokenSet = {
      accessToken: fresh.accessToken,
      // A platform that keeps the refresh token (LinkedIn) may not send it again.
      refreshToken: fresh.refreshToken ?? row.refreshToken,
      expiresAtMs: fresh.expiresAtMs,
      refreshExpiresAtMs: fresh.refreshExpiresAtMs ?? row.refreshExpiresAtMs,
      scopes: fresh.scopes ?? row.scopes,
    };
    // The platform has rotated the refresh token: losing this write would lose it, so it is tried again.
    for (let i = 0; ; i++) {
      try {
        if (await store.rotate(ref.entry, row.version, tokens, iso(this.deps.now()))) break;
        this.deps.logger.warn('token refreshed while the file replaced it; the file’s is used', {
          entry: ref.entry,
        });
        return this.deps.current(ref);
      } catch (err) {
        if (i >= 4) {
          this.deps.logger.error('refreshed token not stored: the entry may need a reconnect', {
            entry: ref.entry,
            err: (err as Error).message,
          });
          throw asPublishError(err);
        }
        await sleep(200 * 2 ** i);
      }
    }
    this.deps.logger.info('token refreshed', {
      entry: ref.entry,
      expiresAt: tokens.expiresAtMs ? new Date(tokens.expiresAtMs).toISOString() : null,
    });
    return {
      ...row,
      ...tokens,
      version: row.version + 1,
      leaseUntilMs: null,
      failure: null,
      refreshedAt: iso(this.deps.now()),
    };
  }
}
