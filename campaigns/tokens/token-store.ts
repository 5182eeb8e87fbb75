import type { Kysely } from 'kysely';
import type { Database } from '../../lib/database';
import type { TokenSet } from '../publishers/platform-auth';
import type { TokenSealer } from './crypto';
import type { TokenTables } from './tables';

/** A row of the token store, opened. */
export interface StoredTokens extends TokenSet {
  entry: string;
  version: number;
  seed: string;
  pastSeeds: string[];
  leaseUntilMs: number | null;
  refreshedAt: string | null;
  failure: string | null;
}

export type { TokenSet };

type Row = TokenTables['campaign_tokens'];

const scopesOf = (text: string | null) => (text === null ? null : text.split(' ').filter(Boolean));

/**
 * The rows of `campaign_tokens`. Every write that replaces a token is a compare-and-swap on the
 * row's version, and a refresh is leased to one process (`claim`), so a rotated refresh token is
 * never used twice by workers racing on several machines.
 */
export class TokenStore {
  private readonly db: Kysely<TokenTables>;
  /** Reads asked for since the last one went out: sent together, as one query (`read`). */
  private pending: Map<string, ((row: Row | undefined | Error) => void)[]> | null = null;
  /** Each entry's last opened secret, by its sealed text (a new token is a new sealed text). */
  private readonly opened = new Map<string, { sealed: string; text: string }>();

  constructor(
    database: Database,
    private readonly sealer: TokenSealer,
  ) {
    this.db = database.kysely.withTables<TokenTables>();
  }

  private columns(entry: string, t: TokenSet) {
    return {
      secret: this.sealer.seal(
        JSON.stringify({ accessToken: t.accessToken, refreshToken: t.refreshToken }),
        entry,
      ),
      access_expires_at: t.expiresAtMs,
      refresh_expires_at: t.refreshExpiresAtMs,
      scope: t.scopes?.join(' ') ?? null,
    };
  }

  private open(row: Row): StoredTokens {
    // The same sealed text always opens to the same secret (its IV and tag are in it): a row whose
    // tokens were replaced has another sealed text, and is opened anew.
    let text = this.opened.get(row.entry);
    if (text?.sealed !== row.secret) {
      text = { sealed: row.secret, text: this.sealer.open(row.secret, row.entry) };
      this.opened.set(row.entry, text);
    }
    const secret = JSON.parse(text.text) as {
      accessToken: string;
      refreshToken: string | null;
    };
    return {
      entry: row.entry,
      version: row.version,
      seed: row.seed,
      pastSeeds: row.past_seeds.split(' ').filter(Boolean),
      accessToken: secret.accessToken,
      refreshToken: secret.refreshToken,
      expiresAtMs: row.access_expires_at,
      refreshExpiresAtMs: row.refresh_expires_at,
      scopes: scopesOf(row.scope),
      leaseUntilMs: row.lease_until,
      refreshedAt: row.refreshed_at,
      failure: row.failure,
    };
  }

  /**
   * The entry's tokens; throws SealError when the row was sealed under another key. Always read
   * from the database, never from a cache: reads asked for in the same turn of the event loop (a
   * post's two languages, posts due together) go out as one query, sent after all of them were
   * asked, so each sees every change committed before it was asked.
   */
  async read(entry: string): Promise<StoredTokens | null> {
    const row = await new Promise<Row | undefined | Error>((resolve) => {
      if (!this.pending) {
        this.pending = new Map();
        setImmediate(() => void this.readPending());
      }
      const waiting = this.pending.get(entry);
      if (waiting) waiting.push(resolve);
      else this.pending.set(entry, [resolve]);
    });
    if (row instanceof Error) throw row;
    return row ? this.open(row) : null;
  }

  private async readPending(): Promise<void> {
    const pending = this.pending as Map<string, ((row: Row | undefined | Error) => void)[]>;
    this.pending = null;
    let rows: Map<string, Row> | Error;
    try {
      const found = await this.db
        .selectFrom('campaign_tokens')
        .selectAll()
        .where('entry', 'in', [...pending.keys()])
        .execute();
      rows = new Map(found.map((r) => [r.entry, r]));
    } catch (err) {
      rows = err as Error;
    }
    for (const [entry, waiting] of pending)
      for (const resolve of waiting) resolve(rows instanceof Error ? rows : rows.get(entry));
  }

  /** Puts the file's tokens in the store for an entry it does not hold yet (a race: the first wins). */
  async insert(entry: string, seed: string, tokens: TokenSet, now: string): Promise<void> {
    await this.db
      .insertInto('campaign_tokens')
      .values({
        entry,
        seed,
        past_seeds: '',
        ...this.columns(entry, tokens),
        version: 1,
        lease_until: null,
        lease_owner: null,
        refreshed_at: null,
        failure: null,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('entry').doNothing())
      .execute();
  }

  /**
   * Replaces the entry's tokens at `version` by new ones from the file (a reconnect pasted them),
   * remembering the fingerprint it held; false when the row moved on meanwhile.
   */
  async reseed(
    row: Pick<StoredTokens, 'entry' | 'version' | 'seed' | 'pastSeeds'>,
    seed: string,
    tokens: TokenSet,
    now: string,
  ): Promise<boolean> {
    const past = [...row.pastSeeds, row.seed].slice(-20).join(' ');
    const r = await this.db
      .updateTable('campaign_tokens')
      .set({
        seed,
        past_seeds: past,
        ...this.columns(row.entry, tokens),
        version: row.version + 1,
        lease_until: null,
        lease_owner: null,
        failure: null,
        updated_at: now,
      })
      .where('entry', '=', row.entry)
      .where('version', '=', row.version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Takes what the file now says of the tokens it gave (their expiry, their scopes) while the row
   * still holds those tokens (never refreshed since); false when the row moved on.
   */
  async annotate(
    row: Pick<StoredTokens, 'entry' | 'version'>,
    tokens: Pick<TokenSet, 'expiresAtMs' | 'refreshExpiresAtMs' | 'scopes'>,
    now: string,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('campaign_tokens')
      .set({
        access_expires_at: tokens.expiresAtMs,
        refresh_expires_at: tokens.refreshExpiresAtMs,
        scope: tokens.scopes?.join(' ') ?? null,
        version: row.version + 1,
        updated_at: now,
      })
      .where('entry', '=', row.entry)
      .where('version', '=', row.version)
      .where('refreshed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Replaces a row that cannot be opened (sealed under another key) by the file's tokens. */
  async overwrite(entry: string, seed: string, tokens: TokenSet, now: string): Promise<void> {
    await this.db.deleteFrom('campaign_tokens').where('entry', '=', entry).execute();
    await this.insert(entry, seed, tokens, now);
  }

  /** Takes the refresh of `entry` at `version` until `untilMs`, unless another process holds it. */
  async claim(
    entry: string,
    version: number,
    owner: string,
    untilMs: number,
    nowMs: number,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('campaign_tokens')
      .set({ lease_until: untilMs, lease_owner: owner })
      .where('entry', '=', entry)
      .where('version', '=', version)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowMs)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Writes the refreshed tokens over `version` (and ends the lease); false when the row moved on. */
  async rotate(entry: string, version: number, tokens: TokenSet, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('campaign_tokens')
      .set((eb) => ({
        ...this.columns(entry, tokens),
        version: eb('version', '+', 1),
        lease_until: null,
        lease_owner: null,
        refreshed_at: now,
        failure: null,
        updated_at: now,
      }))
      .where('entry', '=', entry)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Ends a lease without a new token, keeping why the refresh failed (null: it was not needed). */
  async release(entry: string, owner: string, failure: string | null, now: string): Promise<void> {
    await this.db
      .updateTable('campaign_tokens')
      .set({ lease_until: null, lease_owner: null, failure, updated_at: now })
      .where('entry', '=', entry)
      .where('lease_owner', '=', owner)
      .execute();
  }
}
