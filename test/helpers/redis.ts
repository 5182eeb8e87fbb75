import crypto from 'node:crypto';
import Redis from 'ioredis';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ / key prefix no other test (or engineer sharing this Redis) uses. */
export function uniquePrefix(label = 'test'): string {
  return `t-${label}-${crypto.randomBytes(5).toString('hex')}`;
}

/** Deletes every key under `prefix:` (SCAN, never KEYS), then disconnects. */
export async function deleteKeys(prefix: string, url = TEST_REDIS_URL): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  let deleted = 0;
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await client.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis is down or gone (a test stopped it): nothing left to clean there.
  } finally {
    client.disconnect();
  }
  return deleted;
}
