import type Redis from 'ioredis';
import { Db, migrate } from '../../lib/db';

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

const MIGRATIONS = [
  `CREATE TABLE dl_conversations (id TEXT PRIMARY KEY, count INTEGER NOT NULL DEFAULT 0, touched_at INTEGER NOT NULL);
   CREATE INDEX dl_conversations_touched ON dl_conversations (touched_at);
   CREATE TABLE dl_activities (
     conversation_id TEXT NOT NULL REFERENCES dl_conversations (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (conversation_id, seq)
   );`,
];

/**
 * Conversations in the embedded database (the default): shared by the server processes of one
 * machine (WEB_CONCURRENCY), working whether or not Redis is up. Expired conversations are swept
 * when new ones start.
 */
export function sqliteConversationStore(db: Db, now: () => number = Date.now): ConversationStore {
  migrate(db, 'directline', MIGRATIONS);
  const touch = db.prepare('UPDATE dl_conversations SET touched_at = ? WHERE id = ?');
  const get = db.prepare('SELECT count, touched_at FROM dl_conversations WHERE id = ?');
  const insertActivity = db.prepare(
    'INSERT INTO dl_activities (conversation_id, seq, body) VALUES (?, ?, ?)',
  );
  const setCount = db.prepare('UPDATE dl_conversations SET count = ?, touched_at = ? WHERE id = ?');
  const trim = db.prepare('DELETE FROM dl_activities WHERE conversation_id = ? AND seq < ?');
  const list = db.prepare(
    'SELECT body FROM dl_activities WHERE conversation_id = ? AND seq >= ? ORDER BY seq',
  );
  const live = (row: { touched_at: number } | undefined) =>
    !!row && row.touched_at >= now() - TTL_SECONDS * 1000;
  const appendTx = db.transaction((id: string, activities: DlActivity[]): string[] => {
    const row = get.get(id) as { count: number; touched_at: number } | undefined;
    if (!live(row)) return [];
    const start = (row as { count: number }).count;
    const ids = activities.map((a, i) => {
      a.id = `${id}|${String(start + i).padStart(7, '0')}`;
      insertActivity.run(id, start + i, JSON.stringify(a));
      return a.id;
    });
    setCount.run(start + activities.length, now(), id);
    trim.run(id, start + activities.length - MAX_ACTIVITIES);
    return ids;
  });
  return {
    async create(id) {
      db.prepare('DELETE FROM dl_conversations WHERE touched_at < ?').run(
        now() - TTL_SECONDS * 1000,
      );
      db.prepare('INSERT INTO dl_conversations (id, count, touched_at) VALUES (?, 0, ?)').run(
        id,
        now(),
      );
    },
    async exists(id) {
      return live(get.get(id) as { touched_at: number } | undefined);
    },
    async append(id, activities) {
      return activities.length ? appendTx(id, activities) : [];
    },
    async since(id, watermark) {
      const row = get.get(id) as { count: number; touched_at: number } | undefined;
      if (!live(row)) return { activities: [], watermark };
      touch.run(now(), id);
      const activities = (list.all(id, watermark) as Array<{ body: string }>).map(
        (r) => JSON.parse(r.body) as DlActivity,
      );
      return { activities, watermark: (row as { count: number }).count };
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
