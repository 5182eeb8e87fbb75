import crypto from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { Db, migrate } from '../../lib/db';
import { stateJson } from './redact-state';

const MIGRATIONS = [
  `CREATE TABLE bot_state (
     key TEXT PRIMARY KEY,
     etag TEXT NOT NULL,
     body TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX bot_state_expiry ON bot_state (expires_at);`,
];

/** Thrown when an item is written with an eTag that is no longer the stored one. */
export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

export interface StorageOptions {
  /** How long an item is kept after its last write. */
  ttlMs: number;
  now?: () => number;
}

/** Expired rows are swept at most this often. */
const SWEEP_EVERY_MS = 10 * 60_000;

/** Unique per process start plus a counter: cheaper than random bytes on every write, and never reused. */
const ETAG_PREFIX = crypto.randomBytes(6).toString('hex');
let etagCount = 0;
export const newETag = (): string => `${ETAG_PREFIX}-${(++etagCount).toString(36)}`;

/**
 * Bot Framework state in the embedded SQLite database. Optimistic concurrency as the Storage
 * contract says: a write carrying an eTag other than '*' succeeds only if it is still the stored one.
 * Items expire `ttlMs` after their last write (conversations are not kept forever).
 */
export class SqliteStorage implements Storage {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;
  private readonly sweepStmt;
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly options: StorageOptions,
  ) {
    migrate(db, 'bot', MIGRATIONS);
    this.now = options.now ?? Date.now;
    this.getStmt = db.prepare('SELECT etag, body FROM bot_state WHERE key = ? AND expires_at > ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO bot_state (key, etag, body, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, body = excluded.body, expires_at = excluded.expires_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM bot_state WHERE key = ?');
    this.sweepStmt = db.prepare('DELETE FROM bot_state WHERE expires_at <= ?');
  }

  async read(keys: string[]): Promise<StoreItems> {
    const now = this.now();
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.getStmt.get(key, now) as { etag: string; body: string } | undefined;
      if (row) items[key] = { ...JSON.parse(row.body), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = this.now();
    const entries = Object.entries(changes);
    const writeAll = () => {
      for (const [key, item] of entries) {
        const { eTag, ...body } = (item ?? {}) as { eTag?: string };
        if (eTag && eTag !== '*') {
          const current = this.getStmt.get(key, now) as { etag: string } | undefined;
          if (current && current.etag !== eTag) throw new ETagConflictError(key);
        }
        this.upsertStmt.run(key, newETag(), stateJson(body), now + this.options.ttlMs);
      }
    };
    // One unconditional item (what BotState writes) is a single atomic statement; anything else, one transaction.
    const single =
      entries.length === 1 &&
      [undefined, '', '*'].includes((entries[0][1] as { eTag?: string } | undefined)?.eTag);
    if (single) writeAll();
    else this.db.transaction(writeAll)();
    if (now - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = now;
      this.sweepStmt.run(now);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.deleteStmt.run(key);
  }
}
