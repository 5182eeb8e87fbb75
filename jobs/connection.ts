import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ connection options for REDIS_URL. Workers need `maxRetriesPerRequest: null` (blocking
 * commands must not give up); the retry strategy keeps reconnecting while Redis is down, so
 * queues recover by themselves when it returns.
 */
export function queueConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname && url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => Math.min(500 * times, 5000),
  };
}
