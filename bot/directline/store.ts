import type Redis from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '../../lib/database';
import type { ModuleMigrations } from '../../lib/migrations';

/** An activity as the Direct Line protocol carries it (plain JSON; the bot's types stay in the adapter). */
export type DlActivity = Record<string, unknown> & { id?: string; type: string };

export interface ConversationStore {
  create(conversationId: string): Promise<void>;
  exists(conversationId: string): Promise<boolean>;
  /** Appends activities, giving each an id; returns the ids. */
  append(conversationId: string, activities: DlActivity[]): Promise<string[]>;
  /** Activities after `watermark` (a count), and the new watermark. */
  since(
    conversationId: string,
    watermark: number,
  ): Promise<{ activities: DlActivity[]; watermark: number }>;
}

/** A conversation keeps its last activities only, and expires after a quiet hour. */
export const MAX_ACTIVITIES = 500;
export const TTL_SECONDS = 3600;

type DirectLineTables = {
  dl_conversations: { id: string; count: number; touched_at: number };
  dl_activities: { conversation_id: string; seq: number; body: string };
};

export const DIRECTLINE_MIGRATIONS: ModuleMigrations = {
  module: 'directline',
  migrations: [
    async (db) => {
      await db.schema
        .createTable('dl_conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('touched_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('dl_conversations_touched')
        .on('dl_conversations')
        .column('touched_at')
        .execute();
      await db.schema
        .createTable('dl_activities')
        .addColumn('conversation_id', 'text', (c) =>
          c.notNull().references('dl_conversations.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dl_activities_pkey', ['conversation_id', 'seq'])
        .execute();
    },
  ],
};

/**
 * Conversations in the shared database (the default): the embedded file shared by the server
 * processes of one machine (WEB_CONCURRENCY), or PostgreSQL shared by every machine when
 * DATABASE_URL is set; working whether or not Redis is up. Expired conversations are swept when
 * new ones start. Appends lock the conversation's row, so two servers never hand out the same seq.
 */
export function sqlConversationStore(
  database: Database,
  now: () => number = Date.now,
): ConversationStore {
  const db = database.kysely.withTables<DirectLineTables>();
  const live = (row: { touched_at: number } | undefined) =>
    !!row && row.touched_at >= now() - TTL_SECONDS * 1000;
  const get = (q: Kysely<DirectLineTables>, id: string) =>
    q
      .selectFrom('dl_conversations')
      .select(['count', 'touched_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  return {
    async create(id) {
      await db
        .deleteFrom('dl_conversations')
        .where('touched_at', '<', now() - TTL_SECONDS * 1000)
        .execute();
      await db.insertInto('dl_conversations').values({ id, count: 0, touched_at: now() }).execute();
    },
    async exists(id) {
      return live(await get(db, id));
    },
    async append(id, activities) {
      if (activities.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        let lock = trx
          .selectFrom('dl_conversations')
          .select(['count', 'touched_at'])
          .where('id', '=', id);
        if (database.engine === 'postgres') lock = lock.forUpdate();
        const row = await lock.executeTakeFirst();
        if (!row || !live(row)) return [];
        const start = row.count;
        const ids = activities.map((a, i) => {
          a.id = `${id}|${String(start + i).padStart(7, '0')}`;
          return a.id;
        });
        await trx
          .insertInto('dl_activities')
          .values(
            activities.map((a, i) => ({
              conversation_id: id,
              seq: start + i,
              body: JSON.stringify(a),
            })),
          )
          .execute();
        await trx
          .updateTable('dl_conversations')
          .set({ count: start + activities.length, touched_at: now() })
          .where('id', '=', id)
          .execute();
        await trx
          .deleteFrom('dl_activities')
          .where('conversation_id', '=', id)
          .where('seq', '<', start + activities.length - MAX_ACTIVITIES)
          .execute();
        return ids;
      });
    },
    async since(id, watermark) {
      const row = await get(db, id);
      if (!row || !live(row)) return { activities: [], watermark };
      await db
        .updateTable('dl_conversations')
        .set({ touched_at: now() })
        .where('id', '=', id)
        .execute();
      const rows = await db
        .selectFrom('dl_activities')
        .select('body')
        .where('conversation_id', '=', id)
        .where('seq', '>=', watermark)
        .orderBy('seq')
        .execute();
      return {
        activities: rows.map((r) => JSON.parse(r.body) as DlActivity),
        watermark: row.count,
      };
    },
  };
}

/**
 * Conversations in Redis, so several server instances behind a load balancer serve the same chat
 * (a list per conversation, capped and expiring like the memory store).
 */
export function redisConversationStore(redis: Redis, prefix: string): ConversationStore {
  const key = (id: string) => `${prefix}:dl:${id}`;
  const meta = (id: string) => `${prefix}:dl:${id}:n`;
  return {
    async create(id) {
      await redis.multi().del(key(id)).set(meta(id), '0', 'EX', TTL_SECONDS).exec();
    },
    async exists(id) {
      return (await redis.exists(meta(id))) === 1;
    },
    async append(id, activities) {
      if (activities.length === 0) return [];
      const end = await redis.incrby(meta(id), activities.length);
      const start = end - activities.length;
      const ids = activities.map((a, i) => {
        a.id = `${id}|${String(start + i).padStart(7, '0')}`;
        return a.id;
      });
      await redis
        .multi()
        .rpush(key(id), ...activities.map((a) => JSON.stringify(a)))
        .ltrim(key(id), -MAX_ACTIVITIES, -1)
        .expire(key(id), TTL_SECONDS)
        .expire(meta(id), TTL_SECONDS)
        .exec();
      return ids;
    },
    async since(id, watermark) {
      const [total, items] = await Promise.all([redis.get(meta(id)), redis.lrange(key(id), 0, -1)]);
      const count = Number(total ?? 0);
      const offset = count - items.length;
      const from = Math.max(0, watermark - offset);
      return {
        activities: items.slice(from).map((s) => JSON.parse(s) as DlActivity),
        watermark: count,
      };
    },
  };
}
