import http from 'node:http';
import Redis from 'ioredis';
import restify from 'restify';
import { registerDirectLineRoutes, DIRECT_LINE_BASE } from '../../bot/directline/routes';
import {
  sqlConversationStore,
  redisConversationStore,
  DlActivity,
  ConversationStore,
} from '../../bot/directline/store';
import { ENGINES, testDatabase, TestDatabase } from '../helpers/databases';
import { ConversationTokens } from '../../bot/directline/tokens';
import { createServer } from '../../bot/server';
import { createI18n } from '../../lib/i18n';
import { createLogger } from '../../lib/logger';
import { Metrics } from '../../lib/metrics';
import { createRateLimiter } from '../../lib/rate-limit';
import { TEST_REDIS_URL } from '../helpers/redis';

/** A bot that greets on conversationUpdate and echoes messages: the bridge is under test, not the dialogs. */
const echoBot = async (a: DlActivity): Promise<DlActivity[]> =>
  a.type === 'conversationUpdate'
    ? [{ type: 'message', text: 'Hello / Bonjour' }]
    : a.type === 'message'
      ? [{ type: 'message', text: `you said: ${String(a.text)}`, replyToId: a.id }]
      : [];

async function start(store: ConversationStore) {
  const i18n = createI18n();
  const logger = createLogger('silent');
  const server = createServer({
    i18n,
    logger,
    metrics: new Metrics(),
    rateLimiter: createRateLimiter({ redis: null, prefix: 't', windowSeconds: 10 }),
    limits: { maxBodyBytes: 65536, perClient: 0, trustProxy: false, requestTimeoutMs: 10000 },
  });
  registerDirectLineRoutes(server, {
    i18n,
    logger,
    store,
    tokens: new ConversationTokens('test-secret'),
    runTurn: echoBot,
    bot: { id: 'bot', name: 'Assistant' },
    maxTextLength: 2000,
    conversationLimit: {
      limiter: createRateLimiter({ redis: null, prefix: 't', windowSeconds: 60 }),
      perWindow: 5,
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}${DIRECT_LINE_BASE}`;
  return { server, base };
}

async function call(url: string, token: string | null, method = 'GET', body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'Content-Type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** A GET with each of `authorizations` as its own Authorization header line (fetch would join them). */
function rawGet(url: string, authorizations: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'GET', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setHeader('Authorization', authorizations);
    req.on('error', reject);
    req.end();
  });
}

describe.each(ENGINES)('Direct Line-compatible channel (%s)', (engine) => {
  let s: Awaited<ReturnType<typeof start>>;
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase(engine);
    s = await start(sqlConversationStore(db.database));
  });
  afterAll(async () => {
    s.server.close();
    await db.close();
  });

  it('starts a conversation with a greeting, takes messages and returns them from a watermark', async () => {
    const gen = await call(`${s.base}/tokens/generate`, null, 'POST');
    expect(gen.status).toBe(200);
    const { token, conversationId } = gen.body;
    expect((await call(`${s.base}/conversations`, token, 'POST')).status).toBe(201);
    const first = await call(`${s.base}/conversations/${conversationId}/activities`, token);
    expect(first.body.activities.map((a: any) => a.text)).toEqual(['Hello / Bonjour']);
    const post = await call(`${s.base}/conversations/${conversationId}/activities`, token, 'POST', {
      type: 'message',
      text: 'passport',
      from: { id: 'u1' },
      channelData: { clientActivityID: 'c1' },
    });
    expect(post.status).toBe(200);
    expect(post.body.id).toMatch(new RegExp(`^${conversationId}\\|`));
    const next = await call(
      `${s.base}/conversations/${conversationId}/activities?watermark=${first.body.watermark}`,
      token,
    );
    expect(next.body.activities.map((a: any) => [a.from.role, a.text])).toEqual([
      ['user', 'passport'],
      ['bot', 'you said: passport'],
    ]);
    expect(next.body.activities[0].channelData.clientActivityID).toBe('c1');
    expect(next.body.watermark).toBe('3');
  });

  it('lets a client reconnect to a conversation (GET /conversations/ID), greeting it once however it was started', async () => {
    const { token, conversationId } = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    expect((await call(`${s.base}/conversations`, token, 'POST')).status).toBe(201);
    const again = await call(`${s.base}/conversations/${conversationId}?watermark=`, token);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      conversationId,
      token: expect.any(String),
      streamUrl: null,
    });
    const other = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    expect((await call(`${s.base}/conversations/${conversationId}`, other.token)).status).toBe(403);
    expect((await call(`${s.base}/conversations/${conversationId}`, null)).status).toBe(401);
    const all = await call(
      `${s.base}/conversations/${conversationId}/activities`,
      again.body.token,
    );
    expect(all.body.activities.map((a: any) => a.text)).toEqual(['Hello / Bonjour']);
    // Reconnecting first starts it too; starting it afterwards does not greet again.
    const fresh = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    expect(
      (await call(`${s.base}/conversations/${fresh.conversationId}`, fresh.token)).status,
    ).toBe(200);
    expect((await call(`${s.base}/conversations`, fresh.token, 'POST')).status).toBe(201);
    const greeted = await call(
      `${s.base}/conversations/${fresh.conversationId}/activities`,
      fresh.token,
    );
    expect(greeted.body.activities.map((a: any) => a.text)).toEqual(['Hello / Bonjour']);
  });

  it('keeps and shows back only a redacted copy of what the person typed', async () => {
    const { token, conversationId } = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    await call(`${s.base}/conversations`, token, 'POST');
    await call(`${s.base}/conversations/${conversationId}/activities`, token, 'POST', {
      type: 'message',
      text: 'my SIN is 046 454 286',
    });
    const all = await call(`${s.base}/conversations/${conversationId}/activities`, token);
    expect(all.body.activities[1].text).toBe('my SIN is [SIN]');
  });

  it('refuses a missing or forged token, and a token for another conversation', async () => {
    const a = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    const b = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    expect(
      (await call(`${s.base}/conversations/${a.conversationId}/activities`, null)).status,
    ).toBe(401);
    expect(
      (
        await call(
          `${s.base}/conversations/${a.conversationId}/activities`,
          a.token.slice(0, -2) + 'xx',
        )
      ).status,
    ).toBe(401);
    const cross = await call(`${s.base}/conversations/${b.conversationId}/activities`, a.token);
    expect(cross.status).toBe(403);
    expect(cross.body.error.code).toBe('forbidden');
  });

  it('takes a token and a watermark given once, and refuses either given twice (400, not the first copy)', async () => {
    const a = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    const b = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    await call(`${s.base}/conversations`, a.token, 'POST');
    const activities = `${s.base}/conversations/${a.conversationId}/activities`;
    const once = await call(`${activities}?watermark=0`, a.token);
    expect(once.status).toBe(200);
    expect(once.body.activities.length).toBeGreaterThan(0);
    const twice = await call(`${activities}?watermark=1&watermark=0`, a.token);
    expect(twice.status).toBe(400);
    expect(twice.body.error).toMatchObject({
      code: 'bad_parameter',
      message: expect.stringContaining('watermark must be given once'),
    });
    // Two Authorization headers, the first valid: Node keeps only the first, which would pass.
    const tokens = await rawGet(activities, [`Bearer ${a.token}`, `Bearer ${b.token}`]);
    expect(tokens.status).toBe(400);
    expect(JSON.parse(tokens.body).error).toMatchObject({
      code: 'bad_parameter',
      message: expect.stringContaining('Authorization must be given once'),
    });
    expect((await rawGet(activities, [`Bearer ${a.token}`])).status).toBe(200);
  });

  it('rejects an activity without a type, and survives', async () => {
    const { token, conversationId } = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    await call(`${s.base}/conversations`, token, 'POST');
    const bad = await call(`${s.base}/conversations/${conversationId}/activities`, token, 'POST', {
      text: 'no type',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_activity');
    expect((await call(`${s.base}/conversations/${conversationId}/activities`, token)).status).toBe(
      200,
    );
  });

  it('limits the turns of one conversation, with Retry-After', async () => {
    const { token, conversationId } = (await call(`${s.base}/tokens/generate`, null, 'POST')).body;
    await call(`${s.base}/conversations`, token, 'POST');
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await call(`${s.base}/conversations/${conversationId}/activities`, token, 'POST', {
            type: 'message',
            text: `q${i}`,
          })
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('expires tokens', () => {
    let now = 1_700_000_000_000;
    const tokens = new ConversationTokens('k', 60, () => now);
    const { token } = tokens.issue('abcdefghij');
    expect(tokens.verify(token)).toBe('abcdefghij');
    now += 61_000;
    expect(tokens.verify(token)).toBeNull();
  });
});

/** Starts a conversation on one instance, continues it on the other, reads it back on the first. */
async function continuedElsewhere(one: ConversationStore, two: ConversationStore) {
  const first = await start(one);
  const second = await start(two);
  try {
    const { token, conversationId } = (await call(`${first.base}/tokens/generate`, null, 'POST'))
      .body;
    await call(`${first.base}/conversations`, token, 'POST');
    await call(`${second.base}/conversations/${conversationId}/activities`, token, 'POST', {
      type: 'message',
      text: 'hi',
    });
    const seen = await call(`${first.base}/conversations/${conversationId}/activities`, token);
    return seen.body.activities.map((a: any) => a.text);
  } finally {
    first.server.close();
    second.server.close();
  }
}

const CONTINUED = ['Hello / Bonjour', 'hi', 'you said: hi'];

describe('conversations shared through PostgreSQL', () => {
  it('lets a server on another machine continue a conversation the first started', async () => {
    const db = await testDatabase('postgres');
    try {
      const store = () => sqlConversationStore(db.database);
      expect(await continuedElsewhere(store(), store())).toEqual(CONTINUED);
    } finally {
      await db.close();
    }
  });
});

describe('conversations shared through Redis', () => {
  it('lets a second instance continue a conversation the first started', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const prefix = `test-dl-${process.pid}-${Date.now()}`;
    try {
      const store = () => redisConversationStore(redis, prefix);
      expect(await continuedElsewhere(store(), store())).toEqual(CONTINUED);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
void restify;
