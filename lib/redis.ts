import type { ConnectionOptions } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from './logger';

/**
 * A Redis connection that never blocks the service: commands fail fast while Redis is down, and the
 * client keeps reconnecting in the background, so everything recovers by itself when Redis returns.
 */
function createRedis(url: string, logger: Logger, name: string, pipelined = false): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    enableAutoPipelining: pipelined,
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

/**
 * The one place a process gets its Redis connections: the shared fail-fast client (the app's
 * commands, the campaign queue, rate limits, bot state), named extra clients where one must be
 * separate, and the options BullMQ workers and queues connect with. `close()` disconnects every
 * client it made.
 */
export class RedisConnections {
  private readonly clients: Redis[] = [];
  private main: Redis | null = null;
  private requests: Redis | null = null;

  constructor(
    readonly url: string,
    private readonly logger: Logger,
  ) {}

  /** The process's shared fail-fast connection (made on first use). */
  shared(): Redis {
    this.main ??= this.open('main');
    return this.main;
  }

  /**
   * The process's fail-fast connection for the commands every request makes (bot state, rate
   * limits), made on first use: auto-pipelined, so the commands of the turns in flight go out in one
   * write per turn of the event loop rather than one write each. BullMQ keeps the shared client:
   * its queues and workers are not known to work pipelined (taskforcesh/bullmq#457).
   */
  perRequest(): Redis {
    this.requests ??= this.open('requests', true);
    return this.requests;
  }

  /** A fail-fast connection of its own, named in Redis' client list. */
  open(name: string, pipelined = false): Redis {
    const client = createRedis(this.url, this.logger, name, pipelined);
    this.clients.push(client);
    return client;
  }

  /** For BullMQ queues and workers: blocking commands wait, reconnection never stops. */
  forQueues(): ConnectionOptions {
    return queueConnection(this.url);
  }

  close(): void {
    for (const client of this.clients) client.disconnect();
    this.clients.length = 0;
    this.main = null;
    this.requests = null;
  }
}

/** ioredis statuses of a client still making its first connection (not one that lost it). */
const FIRST_CONNECTION = ['wait', 'connecting', 'connect'];

/** Whether `client` is still making its first connection attempt. */
export function connectingFirstTime(client: Redis): boolean {
  return FIRST_CONNECTION.includes(client.status);
}

/**
 * Waits until `client` is ready, or `ms` pass, or (with `untilFailure`) its connection attempt
 * fails ('error' or 'close'); whether it is ready then. For callers that may arrive while the
 * process is still connecting.
 */
export function readyWithin(client: Redis, ms: number, untilFailure = false): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const events = untilFailure ? ['ready', 'error', 'close'] : ['ready'];
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      for (const e of events) client.off(e, done);
      resolve(client.status === 'ready');
    }
    for (const e of events) client.once(e, done);
  });
}

/** Thrown by a fail-fast Redis user when the connection is not ready. */
export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is not connected');
    this.name = 'RedisUnavailableError';
  }
}

/**
 * Whether an error means Redis cannot be reached (not connected, the connection lost mid-command,
 * retries spent), as against an error Redis answered (a script error, a wrong type).
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (err instanceof RedisUnavailableError) return true;
  const e = err as { name?: string; message?: string } | null;
  return (
    e?.name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/.test(
      e?.message ?? '',
    )
  );
}

export function redisState(client: Redis | null): 'ok' | 'down' {
  return client?.status === 'ready' ? 'ok' : 'down';
}
