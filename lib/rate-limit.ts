import type Redis from 'ioredis';
import { connectingFirstTime, readyWithin } from './redis';

/** How long a hit waits for the process's very first Redis connection (never for a lost one). */
const FIRST_CONNECTION_WAIT_MS = 2000;

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the current window ends (for Retry-After). */
  retryAfterSeconds: number;
  remaining: number;
}

export interface RateLimiter {
  /** Counts one hit for `key` in `bucket` and says whether it is within `limit` per window. */
  hit(bucket: string, key: string, limit: number): Promise<RateDecision>;
}

/**
 * Fixed-window counters shared by every instance through Redis (INCR + PEXPIRE in one round
 * trip), falling back to this process's memory while Redis is down, so limits keep applying
 * (per instance) instead of failing open or failing every request.
 */
export function createRateLimiter(opts: {
  redis: Redis | null;
  prefix: string;
  windowSeconds: number;
  now?: () => number;
}): RateLimiter {
  const windowMs = opts.windowSeconds * 1000;
  const now = opts.now ?? Date.now;
  const memory = new Map<string, { count: number; resetAt: number }>();
  let sweepAt = 0;

  const local = (id: string, windowEnd: number): number => {
    const t = now();
    if (t > sweepAt) {
      for (const [k, v] of memory) if (v.resetAt <= t) memory.delete(k);
      sweepAt = t + windowMs;
    }
    const entry = memory.get(id);
    if (!entry || entry.resetAt <= t) {
      memory.set(id, { count: 1, resetAt: windowEnd });
      return 1;
    }
    entry.count++;
    return entry.count;
  };

  return {
    async hit(bucket, key, limit) {
      const t = now();
      const window = Math.floor(t / windowMs);
      const windowEnd = (window + 1) * windowMs;
      const id = `${opts.prefix}:rl:${bucket}:${key}:${window}`;
      let count: number;
      // The first requests after a start wait for the first connection, so one window is not
      // counted partly here and partly in Redis; a connection lost later is not waited for.
      if (opts.redis && connectingFirstTime(opts.redis))
        await readyWithin(opts.redis, FIRST_CONNECTION_WAIT_MS, true);
      if (opts.redis && opts.redis.status === 'ready') {
        try {
          const res = await opts.redis
            .multi()
            .incr(id)
            .pexpire(id, windowMs + 1000)
            .exec();
          count = Number(res?.[0]?.[1] ?? 1);
        } catch {
          count = local(id, windowEnd);
        }
      } else {
        count = local(id, windowEnd);
      }
      return {
        allowed: count <= limit,
        retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - t) / 1000)),
        remaining: Math.max(0, limit - count),
      };
    },
  };
}
