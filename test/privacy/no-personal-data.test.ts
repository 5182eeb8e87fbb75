import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { getJson, startTestApp, TestApp } from '../helpers/app';
import { personalData } from '../helpers/personal-data';
import { freePort } from '../helpers/ports';
import { TEST_REDIS_URL } from '../helpers/redis';

const people = [personalData(11), personalData(42), personalData(97)];
const messages = (p: ReturnType<typeof personalData>) => [
  `Hi, my SIN is ${p.sinSpaced} and I lost the card`,
  `mon NAS est le ${p.sin}, je l'ai perdu`,
  `my health card number is ${p.health}, it expired`,
  `ma carte santé ${p.health} est expirée, appelez-moi au ${p.phone}`,
  `email me at ${p.email} about my passport`,
  `je demeure au ${p.postal}, où est le bureau le plus proche?`,
  `I live at ${p.postal} and my phone is ${p.phoneDigits}`,
  `weather tomorrow? my number is ${p.phone}`,
];

/** Every way a personal number could appear if it leaked: as typed, digits only, and the full postal code. */
const needles = (p: ReturnType<typeof personalData>) => [
  p.sin,
  p.sinSpaced,
  p.healthDigits,
  p.health,
  p.phoneDigits,
  p.phone,
  p.email,
  p.postal,
  p.postal.replace(' ', ''),
];

let app: TestApp;
let redis: Redis;
/** A channel's reply address nothing listens on (the replies come back in the response). */
let serviceUrl: string;
const prefix = `privacy-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  app = await startTestApp({
    BOT_STATE: 'redis',
    BOT_STATE_PREFIX: `${prefix}:bot:`,
    DIRECTLINE_STORE: 'redis',
    QUEUE_PREFIX: prefix,
    RATE_LIMIT_PER_CONVERSATION: '0',
  });
  redis = new Redis(TEST_REDIS_URL);
  serviceUrl = `http://127.0.0.1:${await freePort()}/`;
}, 60_000);
afterAll(async () => {
  await app.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

async function botTurn(conversation: string, text: string, locale = 'en-CA') {
  const res = await fetch(`${app.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      text,
      locale,
      channelId: 'webchat',
      serviceUrl,
      deliveryMode: 'expectReplies',
      from: { id: `user-${conversation}` },
      recipient: { id: 'bot' },
      conversation: { id: conversation },
    }),
  });
  expect(res.status).toBe(200);
}

async function webChat(text: string) {
  const dl = `${app.baseUrl}/v3/directline`;
  const { token, conversationId } = (await getJson(`${dl}/tokens/generate`, { method: 'POST' }))
    .body;
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  await fetch(`${dl}/conversations`, { method: 'POST', headers: auth });
  await fetch(`${dl}/conversations/${conversationId}/activities`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ type: 'message', text, from: { id: 'web-user' } }),
  });
  const seen = await getJson(`${dl}/conversations/${conversationId}/activities`, { headers: auth });
  return JSON.stringify(seen.body);
}

describe('privacy: a conversation full of personal numbers leaves none behind', () => {
  it('keeps no SIN, health number, phone, e-mail or full postal code in the logs, the database or Redis', async () => {
    const webEchoes: string[] = [];
    for (const [i, p] of people.entries()) {
      for (const [j, text] of messages(p).entries()) {
        await botTurn(`conv-${i}`, text, j % 2 ? 'fr-CA' : 'en-CA');
        await getJson(`${app.baseUrl}/api/lookup?q=${encodeURIComponent(text)}`);
      }
      webEchoes.push(await webChat(messages(p)[0]));
    }
    app.usage.flush();
    app.db.pragma('wal_checkpoint(TRUNCATE)');

    const logs = app.logLines.join('\n');
    const dbFiles = fs
      .readdirSync(app.dataDir)
      .filter((f) => f.startsWith('assistant.db'))
      .map((f) => fs.readFileSync(path.join(app.dataDir, f)).toString('latin1'));
    const keys = await redis.keys(`${prefix}*`);
    const redisDump: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'string') redisDump.push(String(await redis.get(key)));
      else if (type === 'list') redisDump.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'hash') redisDump.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'set') redisDump.push(...(await redis.smembers(key)));
      else if (type === 'zset') redisDump.push(...(await redis.zrange(key, 0, -1)));
    }
    expect(keys.length).toBeGreaterThan(0); // bot state and chat conversations really went to Redis
    const places = {
      logs,
      database: dbFiles.join('\n'),
      redis: redisDump.join('\n'),
      webChatEchoes: webEchoes.join('\n'),
    };
    const found: string[] = [];
    for (const p of people)
      for (const n of needles(p))
        for (const [where, text] of Object.entries(places))
          if (text.includes(n)) found.push(`${n} in ${where}`);
    expect(found).toEqual([]);
    // What is kept is still useful: the redacted placeholders and the postal area.
    expect(places.database + places.redis).toMatch(/\[SIN\]|\[PHONE\]|K1A \*\*\*/);
  }, 120_000);
});
