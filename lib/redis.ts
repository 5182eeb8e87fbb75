import Redis from 'ioredis';
import { Logger } from './logger';

/**
 * A Redis connection that never blocks the service: commands fail fast while Redis is down, and the
 * client keeps reconnecting in the background, so everything recovers by itself when Redis returns.
 */
export function createRedis(url: string, logger: Logger, name = 'main'): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(500 * times, 5000),
    connectionName: `assistant-${name}`,
  });
  let down = false;
  client.on('error', (err) => {
    if (!down) logger.warn('redis unavailable', { name, err: (err as Error).message });
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info('redis back', { name });
    down = false;
  });
  return client;
}

export function redisState(client: Redis | null): 'ok' | 'down' {
  return client?.status === 'ready' ? 'ok' : 'down';
}
