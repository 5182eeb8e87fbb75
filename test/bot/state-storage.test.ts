import crypto from 'node:crypto';
import type { Storage } from 'botbuilder';
import Redis from 'ioredis';
import { RedisStorage } from '../../bot/state/redis-storage';
import { ETagConflictError, SqlStorage } from '../../bot/state/sql-storage';
import type { Engine } from '../../lib/database';
import { createLogger } from '../../lib/logger';
import { RedisConnections } from '../../lib/redis';
import {
  createSchema,
  dropSchema,
  schemaUrl,
  testDatabase,
  TestDatabase,
} from '../helpers/databases';
import { startTestApp } from '../helpers/app';
import { message, OFFERS_CHOICES, secondOption, send } from '../helpers/bot';
import { freePort } from '../helpers/ports';
import { OwnRedis } from '../helpers/redis-server';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DAY = 86_400_000;
/** Two apps each load the knowledge and the model: slow on a busy 2-core machine. */
const TWO_APPS_MS = 90_000;
let redis: Redis;
const prefixes: string[] = [];
const uniquePrefix = () => {
  const p = `test:botstate:${crypto.randomUUID()}:`;
  prefixes.push(p);
  return p;
};

/** The app's per-request connection: auto-pipelined, as the bot state uses it. */
const connections = new RedisConnections(REDIS_URL, createLogger('silent'));
beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  for (const p of prefixes) {
    const keys = await redis.keys(`${p}*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
  connections.close();
  for (const db of opened) await db.close();
});

const opened: TestDatabase[] = [];
const sqlStorage = (engine: Engine) => async (now?: () => number) => {
  const db = await testDatabase(engine);
  opened.push(db);
  return new SqlStorage(db.database, { ttlMs: DAY, now });
};

const STORAGES: Array<[string, (now?: () => number) => Promise<Storage>]> = [
  ['SqlStorage on SQLite', sqlStorage('sqlite')],
  ['SqlStorage on PostgreSQL', sqlStorage('postgres')],
  ['RedisStorage', async () => new RedisStorage(redis, uniquePrefix(), { ttlMs: DAY })],
  [
    'RedisStorage on the auto-pipelined per-request connection',
    async () => new RedisStorage(connections.perRequest(), uniquePrefix(), { ttlMs: DAY }),
  ],
];

describe('the per-request Redis connection', () => {
  it('is one auto-pipelined client; the shared one (BullMQ) is not pipelined', () => {
    expect(connections.perRequest()).toBe(connections.perRequest());
    expect(connections.perRequest().options.enableAutoPipelining).toBe(true);
    expect(connections.shared().options.enableAutoPipelining).toBe(false);
  });

  it('keeps each write atomic when many conversations write in the same turn of the event loop', async () => {
    const storage = new RedisStorage(connections.perRequest(), uniquePrefix(), { ttlMs: DAY });
    const keys = Array.from({ length: 40 }, (_, i) => `conversation-${i}`);
    await storage.write(Object.fromEntries(keys.map((k) => [k, { n: 0 }])));
    const read = await storage.read(keys);
    // Two turns of each conversation race with the same eTag, all sent in one pipeline: one wins.
    const results = await Promise.allSettled(
      keys.flatMap((k) => [1, 2].map((n) => storage.write({ [k]: { ...read[k], n } }))),
    );
    const lost = results.filter((r) => r.status === 'rejected');
    expect(lost).toHaveLength(keys.length);
    for (const r of lost)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ETagConflictError);
    const after = await storage.read(keys);
    expect(keys.every((k) => after[k].n === 1 || after[k].n === 2)).toBe(true);
  });
});

describe.each(STORAGES)('%s', (_name, make) => {
  it('reads back what it wrote, with an eTag, and nothing for unknown keys', async () => {
    const storage = await make();
    await storage.write({ a: { language: 'fr', nested: { ids: ['sin'] } } });
    const items = await storage.read(['a', 'missing']);
    expect(items.a).toMatchObject({ language: 'fr', nested: { ids: ['sin'] } });
    expect(typeof items.a.eTag).toBe('string');
    expect(items.missing).toBeUndefined();
  });

  it('accepts a write with the current eTag and rejects one with a stale eTag', async () => {
    const storage = await make();
    await storage.write({ k: { n: 1 } });
    const first = (await storage.read(['k'])).k;
    await storage.write({ k: { ...first, n: 2 } });
    await expect(storage.write({ k: { ...first, n: 3 } })).rejects.toBeInstanceOf(
      ETagConflictError,
    );
    expect((await storage.read(['k'])).k.n).toBe(2);
  });

  it("writes unconditionally with eTag '*' or none", async () => {
    const storage = await make();
    await storage.write({ k: { n: 1 } });
    await storage.write({ k: { n: 2, eTag: '*' } });
    await storage.write({ k: { n: 3 } });
    expect((await storage.read(['k'])).k.n).toBe(3);
  });

  it('redacts personal numbers in anything it stores', async () => {
    const storage = await make();
    await storage.write({
      k: {
        note: 'SIN 046 454 286, call 613-555-0199',
        nested: [{ postal: 'K1A 0B1' }],
        id: 'health-card',
      },
    });
    expect((await storage.read(['k'])).k).toMatchObject({
      note: 'SIN [SIN], call [PHONE]',
      nested: [{ postal: 'K1A ***' }],
      id: 'health-card',
    });
  });

  it('deletes', async () => {
    const storage = await make();
    await storage.write({ k: { n: 1 }, j: { n: 2 } });
    await storage.delete(['k']);
    expect(Object.keys(await storage.read(['k', 'j']))).toEqual(['j']);
  });
});

describe.each(STORAGES)('%s', (_name, make) => {
  it('writes several items all or none: one stale eTag leaves every item as it was', async () => {
    const storage = await make();
    await storage.write({ a: { n: 1 }, b: { n: 1 } });
    const { a, b } = await storage.read(['a', 'b']);
    await storage.write({ b: { ...b, n: 2 } });
    await expect(storage.write({ a: { ...a, n: 3 }, b: { ...b, n: 3 } })).rejects.toBeInstanceOf(
      ETagConflictError,
    );
    const after = await storage.read(['a', 'b']);
    expect([after.a.n, after.b.n]).toEqual([1, 2]);
  });
});

describe('state expiry', () => {
  it.each(['sqlite', 'postgres'] as const)(
    'forgets %s state after its time to live',
    async (engine) => {
      let now = Date.parse('2026-01-10T12:00:00-05:00');
      const storage = await sqlStorage(engine)(() => now);
      await storage.write({ k: { n: 1 } });
      now += DAY + 1;
      expect(await storage.read(['k'])).toEqual({});
    },
  );

  it.each(['sqlite', 'postgres'] as const)(
    'on %s, takes a write whose eTag was read before the state expired',
    async (engine) => {
      let now = Date.parse('2026-01-10T12:00:00-05:00');
      const storage = await sqlStorage(engine)(() => now);
      await storage.write({ k: { n: 1 } });
      const read = (await storage.read(['k'])).k;
      await storage.write({ k: { n: 2 } });
      now += DAY + 1;
      await storage.write({ k: { ...read, n: 3 } });
      expect((await storage.read(['k'])).k.n).toBe(3);
    },
  );

  it('sets a Redis expiry on every key, under the prefix', async () => {
    const prefix = uniquePrefix();
    await new RedisStorage(redis, prefix, { ttlMs: DAY }).write({ k: { n: 1 } });
    const ttl = await redis.pttl(`${prefix}k`);
    expect(ttl).toBeGreaterThan(DAY - 60_000);
    expect(ttl).toBeLessThanOrEqual(DAY);
  });
});

describe('BOT_STATE=sqlite with DATABASE_URL', () => {
  it(
    'lets two bot instances (two machines) share one conversation through PostgreSQL',
    async () => {
      const schema = await createSchema();
      const env = { DATABASE_URL: schemaUrl(schema) };
      const one = await startTestApp(env, { redis: false });
      const two = await startTestApp(env, { redis: false });
      try {
        const offered = await send(one.baseUrl, message('pg-shared-1', 'licence'));
        expect(offered.text).toMatch(OFFERS_CHOICES);
        const option = secondOption(offered.text);
        const chosen = await send(two.baseUrl, message('pg-shared-1', option.number));
        expect(chosen.text).toMatch(option.startsAnswer);
      } finally {
        await one.close();
        await two.close();
        await dropSchema(schema);
      }
    },
    TWO_APPS_MS,
  );
});

describe('BOT_STATE=redis', () => {
  it(
    'lets two bot instances share one conversation',
    async () => {
      const env = { BOT_STATE: 'redis', BOT_STATE_PREFIX: uniquePrefix(), REDIS_URL };
      const [one, two] = [
        await startTestApp(env, { redis: false }),
        await startTestApp(env, { redis: false }),
      ];
      try {
        const offered = await send(one.baseUrl, message('shared-1', 'licence'));
        expect({
          text: offered.text,
          errors: one.logLines.filter((l) => l.includes('"error"')),
        }).toEqual({ text: expect.stringMatching(OFFERS_CHOICES), errors: [] });
        const option = secondOption(offered.text);
        const chosen = await send(two.baseUrl, message('shared-1', option.number));
        expect({
          text: chosen.text,
          errors: two.logLines.filter((l) => l.includes('"error"')),
        }).toEqual({ text: expect.stringMatching(option.startsAnswer), errors: [] });
        expect(
          (await redis.keys(`${env.BOT_STATE_PREFIX}*`)).some((k) =>
            k.includes('conversations/shared-1'),
          ),
        ).toBe(true);
      } finally {
        await one.close();
        await two.close();
      }
    },
    TWO_APPS_MS,
  );

  it("apologizes in the person's language when Redis is unreachable, and keeps serving", async () => {
    const app = await startTestApp(
      {
        BOT_STATE: 'redis',
        BOT_STATE_PREFIX: uniquePrefix(),
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      },
      { redis: false },
    );
    try {
      const turn = await send(app.baseUrl, message('down-1', 'comment renouveler mon passeport'));
      expect(turn.status).toBe(200);
      expect(turn.text).toMatch(/Désolé, un problème est survenu de mon côté/);
      expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('BOT_STATE=auto (the default)', () => {
  it(
    'keeps state in Redis while it answers, in the database while it is down, and in Redis again once it is back',
    async () => {
      const own = await OwnRedis.start();
      const prefix = uniquePrefix();
      const app = await startTestApp({ REDIS_URL: own.url, BOT_STATE_PREFIX: prefix });
      const probe = new Redis(own.url, { maxRetriesPerRequest: 1, lazyConnect: true });
      const dialog = async (conversation: string) => {
        const offered = await send(app.baseUrl, message(conversation, 'licence'));
        expect(offered.text).toMatch(OFFERS_CHOICES);
        const option = secondOption(offered.text);
        const chosen = await send(app.baseUrl, message(conversation, option.number));
        expect(chosen.text).toMatch(option.startsAnswer);
      };
      const sqlRows = (conversation: string) =>
        app.db
          .prepare('SELECT count(*) AS n FROM bot_state WHERE key LIKE ?')
          .get(`%conversations/${conversation}/%`) as { n: number };
      try {
        await dialog('auto-up');
        await probe.connect();
        expect(
          (await probe.keys(`${prefix}*`)).some((k) => k.includes('conversations/auto-up/')),
        ).toBe(true);
        expect(sqlRows('auto-up').n).toBe(0);
        probe.disconnect();

        await own.stop();
        await dialog('auto-down');
        expect(sqlRows('auto-down').n).toBe(1);
        expect(
          app.logLines.filter((l) =>
            l.includes('bot state kept in the database while Redis cannot be reached'),
          ),
        ).toHaveLength(1);
        expect(app.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);

        await own.start();
        const back = Date.now() + 15_000;
        while (
          !app.logLines.some((l) => l.includes('bot state back in Redis')) &&
          Date.now() < back
        ) {
          await send(app.baseUrl, message('auto-retry', 'bonjour'));
          await new Promise((r) => setTimeout(r, 500));
        }
        await dialog('auto-back');
        const again = new Redis(own.url, { maxRetriesPerRequest: 1 });
        try {
          expect(
            (await again.keys(`${prefix}*`)).some((k) => k.includes('conversations/auto-back/')),
          ).toBe(true);
        } finally {
          again.disconnect();
        }
        expect(sqlRows('auto-back').n).toBe(0);
      } finally {
        probe.disconnect();
        await app.close();
        await own.dispose();
      }
    },
    TWO_APPS_MS,
  );

  it('keeps state in the database when the app has no Redis connection', async () => {
    const app = await startTestApp({}, { redis: false });
    try {
      const offered = await send(app.baseUrl, message('auto-none', 'licence'));
      const option = secondOption(offered.text);
      const chosen = await send(app.baseUrl, message('auto-none', option.number));
      expect(chosen.text).toMatch(option.startsAnswer);
      expect(
        app.db
          .prepare('SELECT count(*) AS n FROM bot_state WHERE key LIKE ?')
          .get('%conversations/auto-none/%'),
      ).toEqual({ n: 1 });
    } finally {
      await app.close();
    }
  });
});
