import crypto from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Kysely } from 'kysely';
import type { Database } from '../../lib/database';
import type { ModuleMigrations } from '../../lib/migrations';
import { stateJson } from './redact-state';

type StateTables = {
  bot_state: { key: string; etag: string; body: string; expires_at: number };
};

export const BOT_STATE_MIGRATIONS: ModuleMigrations = {
  module: 'bot',
  migrations: [
    async (db) => {
      await db.schema
        .createTable('bot_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('etag', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('bot_state_expiry')
        .on('bot_state')
        .column('expires_at')
        .execute();
    },
  ],
};

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
 * Bot Framework state in the shared database (the embedded file, or PostgreSQL with DATABASE_URL).
 * Optimistic concurrency as the Storage contract says: a write carrying an eTag other than '*'
 * succeeds only if it is still the stored one (checked by the write itself, under the row's lock).
 * Items expire `ttlMs` after their last write (conversations are not kept forever).
 */
export class SqlStorage implements Storage {
  private readonly db: Kysely<StateTables>;
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(
    private readonly database: Database,
    private readonly options: StorageOptions,
  ) {
    this.db = database.kysely.withTables<StateTables>();
    this.now = options.now ?? Date.now;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const rows = await this.db
      .selectFrom('bot_state')
      .select(['key', 'etag', 'body'])
      .where('key', 'in', keys)
      .where('expires_at', '>', this.now())
      .execute();
    for (const row of rows) items[row.key] = { ...JSON.parse(row.body), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = this.now();
    const entries = Object.entries(changes);
    const writeAll = async (q: Kysely<StateTables>) => {
      for (const [key, item] of entries) {
        const { eTag, ...body } = (item ?? {}) as { eTag?: string };
        const conditional = !!eTag && eTag !== '*';
        // One statement: the row is replaced only while its eTag is still the one read (or it has
        // expired); the database locks the row for the check, so no read comes first.
        const result = await q
          .insertInto('bot_state')
          .values({
            key,
            etag: newETag(),
            body: stateJson(body),
            expires_at: now + this.options.ttlMs,
          })
          .onConflict((oc) => {
            const update = oc.column('key').doUpdateSet((eb) => ({
              etag: eb.ref('excluded.etag'),
              body: eb.ref('excluded.body'),
              expires_at: eb.ref('excluded.expires_at'),
            }));
            return conditional
              ? update.where((eb) =>
                  eb.or([
                    eb('bot_state.etag', '=', eTag as string),
                    eb('bot_state.expires_at', '<=', now),
                  ]),
                )
              : update;
          })
          .executeTakeFirst();
        if (conditional && Number(result.numInsertedOrUpdatedRows ?? 0) === 0)
          throw new ETagConflictError(key);
      }
    };
    // One item (what BotState writes) is a single atomic statement; several, one transaction.
    if (entries.length === 1) await writeAll(this.db);
    else await this.db.transaction().execute(writeAll);
    if (now - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await this.db.deleteFrom('bot_state').where('expires_at', '<=', now).execute();
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }
}
