import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { TokenStore } from '../../bot/auth/token-store';
import { openSharedDatabase } from '../../lib/database';
import { openDatabase } from '../../lib/db';
import { campaign, inMs, post, waitFor } from '../helpers/campaigns';
import { freePort } from '../helpers/ports';
import { TEST_REDIS_URL } from '../helpers/redis';
import { kill, listeningPort, startWorkerProcess } from '../helpers/worker-process';

/**
 * Scale-out as documented: two server processes and a separate worker process on one Redis, the
 * same DATA_DIR (one machine), bot state and chat conversations in Redis.
 */
const prefix = `multi-${process.pid}-${Date.now()}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-'));
const env = {
  DATA_DIR: dataDir,
  QUEUE_PREFIX: prefix,
  BOT_STATE: 'redis',
  BOT_STATE_PREFIX: `${prefix}:bot:`,
  DIRECTLINE_STORE: 'redis',
  REDIS_URL: TEST_REDIS_URL,
  HOST: '127.0.0.1',
  // Info, for the line that says which port a server (started on port 0) listens on.
  LOG_LEVEL: 'info',
  RATE_LIMIT_PER_CLIENT: '0',
};
const children: ChildProcess[] = [];
const ports: number[] = [];
const base = (i: number) => `http://127.0.0.1:${ports[i]}`;
/** A channel's reply address nothing listens on (the replies come back in the response). */
let serviceUrl: string;

/** A server process on a port of the system's choosing. */
async function startServer(): Promise<void> {
  const child = startWorkerProcess({ ...env, PORT: '0', WORKER: 'inline' }, 'bot/index.ts');
  children.push(child);
  ports.push(await listeningPort(child));
}

beforeAll(async () => {
  serviceUrl = `http://127.0.0.1:${await freePort()}/`;
  // The first server seeds the database; the others start once it is ready.
  await startServer();
  await waitFor(
    async () => (await fetch(`${base(0)}/readyz`).catch(() => null))?.status === 200,
    60_000,
    'server 1',
  );
  children.push(startWorkerProcess({ ...env, LOG_LEVEL: 'warn' }, 'bot/worker.ts'));
  await startServer();
  await waitFor(
    async () => (await fetch(`${base(1)}/readyz`).catch(() => null))?.status === 200,
    60_000,
    'server 2',
  );
}, 120_000);

afterAll(async () => {
  for (const c of children) await kill(c, 'SIGTERM');
  const redis = new Redis(TEST_REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function turn(instance: number, text: string): Promise<string> {
  const res = await fetch(`${base(instance)}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      text,
      locale: 'en-CA',
      channelId: 'webchat',
      serviceUrl,
      deliveryMode: 'expectReplies',
      from: { id: 'u-multi' },
      recipient: { id: 'bot' },
      conversation: { id: `${prefix}-conv` },
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { activities: Array<{ text?: string }> };
  return body.activities.map((a) => a.text ?? '').join('\n');
}

describe('several instances on one Redis', () => {
  it('continues a conversation whose turns alternate between the two server processes', async () => {
    expect(await turn(0, 'we just had a baby')).toMatch(/Having a baby: your checklist/);
    expect(await turn(1, 'next')).toMatch(/Step 1 of 6/);
    expect(await turn(0, 'next')).toMatch(/Step 2 of 6/);
    expect(await turn(1, 'next')).toMatch(/Step 3 of 6/);
  });

  it('lets a web chat started on one instance continue on the other', async () => {
    const gen = (await (
      await fetch(`${base(0)}/v3/directline/tokens/generate`, { method: 'POST' })
    ).json()) as { token: string; conversationId: string };
    const auth = { Authorization: `Bearer ${gen.token}`, 'Content-Type': 'application/json' };
    await fetch(`${base(0)}/v3/directline/conversations`, { method: 'POST', headers: auth });
    const posted = await fetch(
      `${base(1)}/v3/directline/conversations/${gen.conversationId}/activities`,
      {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ type: 'message', text: 'passport', locale: 'en-CA' }),
      },
    );
    expect(posted.status).toBe(200);
    const seen = (await (
      await fetch(`${base(0)}/v3/directline/conversations/${gen.conversationId}/activities`, {
        headers: auth,
      })
    ).json()) as { activities: Array<{ text?: string; attachments?: unknown[] }> };
    expect(seen.activities.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(seen.activities)).toMatch(/Canadian passport/);
  });

  it('publishes each scheduled post once, with three workers competing (two inline, one separate)', async () => {
    const db = openDatabase(dataDir);
    const { token } = await new TokenStore(
      openSharedDatabase({ url: '', poolMax: 1, sqlite: db }),
    ).issue({ role: 'comms', org: 'service-canada' });
    db.close();
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const posts = Array.from({ length: 20 }, (_, i) => post({ publishAt: inMs(3000 + i * 50) }));
    const created = (await (
      await fetch(`${base(0)}/api/campaigns`, {
        method: 'POST',
        headers,
        body: JSON.stringify(campaign(posts)),
      })
    ).json()) as { id: string };
    const approved = (await (
      await fetch(`${base(1)}/api/campaigns/${created.id}/approve`, { method: 'POST', headers })
    ).json()) as { status: string };
    expect(approved.status).toBe('scheduled');
    const done = await waitFor(
      async () => {
        const c = (await (
          await fetch(`${base(0)}/api/campaigns/${created.id}`, { headers })
        ).json()) as { posts: Array<{ status: string }> };
        return c.posts.every((p) => p.status === 'published') && c.posts;
      },
      30_000,
      'every post published',
    );
    expect(done).toHaveLength(20);
    const outbox = (await (await fetch(`${base(1)}/api/outbox?limit=200`)).json()) as {
      items: Array<{ postId: string; language?: string }>;
    };
    const mine = outbox.items.filter((i) => done.length && i.postId);
    const perPost = new Map<string, number>();
    for (const item of mine) perPost.set(item.postId, (perPost.get(item.postId) ?? 0) + 1);
    // Each post goes to the outbox once per language: two entries, never more.
    expect([...perPost.values()].every((n) => n === 2)).toBe(true);
    expect(perPost.size).toBe(20);
  }, 60_000);
});
