import Redis from 'ioredis';
import { createRateLimiter } from '../../lib/rate-limit';
import { getJson, startTestApp } from '../helpers/app';
import { TEST_REDIS_URL } from '../helpers/redis';

const prefix = `test-rl-${process.pid}-${Date.now()}`;
let redis: Redis;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { lazyConnect: false });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('rate limiter', () => {
  it('is shared through Redis: two limiters (two instances) count against one limit', async () => {
    await redis.ping();
    const clock = () => 1_700_000_000_000;
    const a = createRateLimiter({ redis, prefix, windowSeconds: 10, now: clock });
    const b = createRateLimiter({ redis, prefix, windowSeconds: 10, now: clock });
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(
        (await a.hit('client', '10.0.0.1', 4)).allowed,
        (await b.hit('client', '10.0.0.1', 4)).allowed,
      );
    expect(results).toEqual([true, true, true, true, false, false]);
    expect((await a.hit('client', '10.0.0.2', 4)).allowed).toBe(true);
  });

  it('waits for the very first connection, so a window is not counted partly in memory', async () => {
    const connecting = new Redis(TEST_REDIS_URL, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    try {
      expect(connecting.status).not.toBe('ready');
      const clock = () => 1_700_000_000_000;
      const limiter = createRateLimiter({
        redis: connecting,
        prefix,
        windowSeconds: 10,
        now: clock,
      });
      const allowed = [];
      for (let i = 0; i < 6; i++) allowed.push((await limiter.hit('conv', 'first', 5)).allowed);
      expect(allowed).toEqual([true, true, true, true, true, false]);
      const window = Math.floor(clock() / 10_000);
      expect(await redis.get(`${prefix}:rl:conv:first:${window}`)).toBe('6');
    } finally {
      connecting.disconnect();
    }
  });

  it('keeps limiting in memory when Redis is absent, and opens a new window when the old one ends', async () => {
    let t = 1_700_000_000_000;
    const limiter = createRateLimiter({ redis: null, prefix, windowSeconds: 10, now: () => t });
    expect((await limiter.hit('conv', 'c1', 2)).allowed).toBe(true);
    expect((await limiter.hit('conv', 'c1', 2)).allowed).toBe(true);
    const third = await limiter.hit('conv', 'c1', 2);
    expect(third).toMatchObject({ allowed: false, remaining: 0 });
    expect(third.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    t += 10_000;
    expect((await limiter.hit('conv', 'c1', 2)).allowed).toBe(true);
  });
});

describe('per-client limit on /api', () => {
  it('answers 429 with Retry-After and a bilingual JSON error, and keeps serving health checks', async () => {
    const app = await startTestApp(
      { RATE_LIMIT_PER_CLIENT: '3', RATE_LIMIT_WINDOW_SECONDS: '60', QUEUE_PREFIX: prefix },
      { redis: false },
    );
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await getJson(`${app.baseUrl}/api/services/sin`)).status);
      const res = await fetch(`${app.baseUrl}/api/services/sin?lang=fr`);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(statuses).toEqual([200, 200, 200]);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(body.error.code).toBe('rate_limited');
      expect(body.error.message).toMatch(/Trop de requêtes/);
      expect((await getJson(`${app.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
    // It starts an app of its own (the knowledge built again): 90 s, as the other tests that do.
  }, 90_000);
});
