import type Redis from 'ioredis';

/** An activity as the Direct Line protocol carries it (plain JSON; the bot's types stay in the adapter). */
export type DlActivity = Record<string, unknown> & { id?: string; type: string };

export interface ConversationStore {
  create(conversationId: string): Promise<void>;
  exists(conversationId: string): Promise<boolean>;
  /** Appends activities, giving each an id; returns the ids. */
  append(conversationId: string, activities: DlActivity[]): Promise<string[]>;
  /** Activities after `watermark` (a count), and the new watermark. */
  since(conversationId: string, watermark: number): Promise<{ activities: DlActivity[]; watermark: number }>;
}

/** A conversation keeps its last activities only, and expires after a quiet hour. */
export const MAX_ACTIVITIES = 500;
export const TTL_SECONDS = 3600;

/** Conversations in this process's memory (one instance; the default without Redis). */
export function memoryConversationStore(now: () => number = Date.now, maxConversations = 10_000): ConversationStore {
  const conversations = new Map<string, { activities: DlActivity[]; offset: number; touched: number }>();
  const sweep = () => {
    const limit = now() - TTL_SECONDS * 1000;
    for (const [id, c] of conversations) if (c.touched < limit) conversations.delete(id);
    while (conversations.size > maxConversations) conversations.delete(conversations.keys().next().value as string);
  };
  return {
    async create(id) {
      sweep();
      conversations.set(id, { activities: [], offset: 0, touched: now() });
    },
    async exists(id) {
      const c = conversations.get(id);
      return !!c && c.touched >= now() - TTL_SECONDS * 1000;
    },
    async append(id, activities) {
      const c = conversations.get(id);
      if (!c) return [];
      c.touched = now();
      const ids = activities.map((a, i) => {
        a.id = `${id}|${String(c.offset + c.activities.length + i).padStart(7, '0')}`;
        return a.id;
      });
      c.activities.push(...activities);
      const excess = c.activities.length - MAX_ACTIVITIES;
      if (excess > 0) {
        c.activities.splice(0, excess);
        c.offset += excess;
      }
      return ids;
    },
    async since(id, watermark) {
      const c = conversations.get(id);
      if (!c) return { activities: [], watermark };
      const from = Math.max(0, watermark - c.offset);
      return { activities: c.activities.slice(from), watermark: c.offset + c.activities.length };
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
      return { activities: items.slice(from).map((s) => JSON.parse(s) as DlActivity), watermark: count };
    },
  };
}
