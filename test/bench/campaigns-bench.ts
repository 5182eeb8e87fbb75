import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { createApp } from '../../bot/index';
import { loadConfig } from '../../lib/config';
import { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { PROJECT_ROOT } from '../../lib/paths';
import { percentile } from './nlu-eval';

const POSTS = 1000;
const PER_CAMPAIGN = 200;

interface Figures {
  latenessMs: number[];
  publishedPerSecond: number;
  duplicates: number;
  missing: number;
}

/** `npm run worker` in its own process, as in production scale-out. */
function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    [path.join(PROJECT_ROOT, 'scripts', 'run.js'), 'bot/worker.ts'],
    { env: { ...process.env, ...env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const count = (db: Db, sql: string, ...args: unknown[]) =>
  (db.prepare(sql).get(...args) as { n: number }).n;

/**
 * `npm run bench:campaigns`: publish lateness (actual minus scheduled) for 1,000 posts due within one
 * minute, scheduling throughput through the API, publishing throughput to the outbox, and a run where
 * the worker process is killed with SIGKILL and restarted mid-way (duplicates and lost posts counted).
 * The worker runs as `npm run worker` in a process of its own; the API server runs here with WORKER=off.
 */
export async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-campaigns-'));
  const prefix = `bench-${crypto.randomBytes(4).toString('hex')}`;
  const env = {
    DATA_DIR: dataDir,
    QUEUE_PREFIX: prefix,
    NLU_MODEL_DIR: path.join(os.tmpdir(), 'ontario-assistant-models'),
    CAMPAIGN_RECONCILE_SECONDS: '5',
  };
  const config = loadConfig({
    ...process.env,
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    WORKER: 'off',
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, createLogger('silent'));
  const { port } = await app.listen();
  const base = `http://127.0.0.1:${port}`;
  const token = (await app.tokens.issue({ role: 'comms', org: 'service-canada' })).token;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const db = app.db;
  let worker: ChildProcess | null = null;
  try {
    await until(() => app.redis?.status === 'ready', 10_000, 'Redis');
    worker = startWorker(env);

    /** Creates and approves campaigns whose posts fall at `times`; answers how long scheduling took. */
    const schedule = async (
      times: number[],
      tag: string,
    ): Promise<{ ms: number; ids: string[] }> => {
      const started = performance.now();
      const ids: string[] = [];
      for (let i = 0; i < times.length; i += PER_CAMPAIGN) {
        const posts = times.slice(i, i + PER_CAMPAIGN).map((at, k) => ({
          channel: 'outbox',
          account: 'service-canada',
          publishAt: new Date(at).toISOString(),
          text: {
            en: `${tag} post ${i + k}: renew online at https://www.canada.ca`,
            fr: `${tag} publication ${i + k} : renouvelez en ligne sur https://www.canada.ca`,
          },
        }));
        const created = await fetch(`${base}/api/campaigns`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ title: `${tag} ${i}`, posts }),
        });
        if (created.status !== 201)
          throw new Error(`create answered ${created.status}: ${await created.text()}`);
        const { id } = (await created.json()) as { id: string };
        const approved = await fetch(`${base}/api/campaigns/${id}/approve`, {
          method: 'POST',
          headers: { authorization: headers.authorization },
        });
        if (approved.status !== 200) throw new Error(`approve answered ${approved.status}`);
        ids.push(id);
      }
      return { ms: performance.now() - started, ids };
    };

    const settle = async (ids: string[], timeoutMs: number): Promise<Figures> => {
      const marks = ids.map(() => '?').join(', ');
      const pending = () =>
        count(
          db,
          `SELECT COUNT(*) AS n FROM campaign_posts WHERE campaign_id IN (${marks}) AND status NOT IN ('published', 'failed')`,
          ...ids,
        );
      await until(() => pending() === 0, timeoutMs, 'every post to be published');
      const rows = db
        .prepare(
          `SELECT lateness_ms AS l, publish_at_ms AS due FROM campaign_posts WHERE campaign_id IN (${marks}) AND status = 'published'`,
        )
        .all(...ids) as { l: number; due: number }[];
      const published = db
        .prepare(
          `SELECT MIN(published_at) AS a, MAX(published_at) AS b FROM campaign_posts WHERE campaign_id IN (${marks})`,
        )
        .get(...ids) as { a: string; b: string };
      const firstDue = Math.min(...rows.map((r) => r.due));
      return {
        latenessMs: rows.map((r) => r.l).sort((a, b) => a - b),
        publishedPerSecond:
          rows.length / Math.max(0.001, (Date.parse(published.b) - firstDue) / 1000),
        duplicates: count(
          db,
          `SELECT COUNT(*) AS n FROM (SELECT 1 FROM campaign_outbox WHERE campaign_id IN (${marks}) GROUP BY post_id, language HAVING COUNT(*) > 1)`,
          ...ids,
        ),
        missing:
          POSTS * 2 -
          count(
            db,
            `SELECT COUNT(DISTINCT delivery_key) AS n FROM campaign_outbox WHERE campaign_id IN (${marks})`,
            ...ids,
          ),
      };
    };
    const line = (label: string, f: Figures) =>
      `${label}: lateness p50 ${percentile(f.latenessMs, 50)} ms, p99 ${percentile(f.latenessMs, 99)} ms, max ${f.latenessMs[f.latenessMs.length - 1]} ms; duplicates ${f.duplicates}, missing ${f.missing}`;

    // 1. Lateness: 1,000 posts due within one minute, spread evenly.
    const start1 = Date.now() + 20_000;
    const run1 = await schedule(
      Array.from({ length: POSTS }, (_, i) => start1 + Math.floor((i * 60_000) / POSTS)),
      'lateness',
    );
    process.stdout.write(
      `Scheduling through the API (create + approve, ${POSTS} posts in ${POSTS / PER_CAMPAIGN} campaigns): ${(run1.ms / 1000).toFixed(2)} s, ${Math.round(POSTS / (run1.ms / 1000))} posts/s\n`,
    );
    const f1 = await settle(run1.ids, 150_000);
    process.stdout.write(`${line('1,000 posts due within one minute', f1)}\n`);

    // 2. Publishing throughput: 1,000 posts due at the same instant.
    const start2 = Date.now() + 12_000;
    const run2 = await schedule(
      Array.from({ length: POSTS }, () => start2),
      'burst',
    );
    const f2 = await settle(run2.ids, 120_000);
    process.stdout.write(
      `Publishing throughput (1,000 posts due at once, 2 deliveries each, one worker process): ${Math.round(f2.publishedPerSecond)} posts/s; ${line('burst', f2)}\n`,
    );

    // 3. SIGKILL mid-way, then a new worker process.
    const start3 = Date.now() + 15_000;
    const run3 = await schedule(
      Array.from({ length: POSTS }, (_, i) => start3 + Math.floor((i * 30_000) / POSTS)),
      'kill',
    );
    const marks = run3.ids.map(() => '?').join(', ');
    await until(
      () =>
        count(
          db,
          `SELECT COUNT(*) AS n FROM campaign_posts WHERE campaign_id IN (${marks}) AND status = 'published'`,
          ...run3.ids,
        ) >=
        POSTS / 2,
      120_000,
      'half the posts',
    );
    await stop(worker, 'SIGKILL');
    const before = count(
      db,
      `SELECT COUNT(*) AS n FROM campaign_posts WHERE campaign_id IN (${marks}) AND status = 'published'`,
      ...run3.ids,
    );
    worker = startWorker(env);
    const f3 = await settle(run3.ids, 180_000);
    const failed = count(
      db,
      `SELECT COUNT(*) AS n FROM campaign_posts WHERE campaign_id IN (${marks}) AND status = 'failed'`,
      ...run3.ids,
    );
    process.stdout.write(
      `${line(`Worker SIGKILLed after ${before} of ${POSTS} posts (due within 30 s), then restarted`, f3)}, failed ${failed}\n`,
    );
  } finally {
    if (worker) await stop(worker, 'SIGTERM');
    await app.close();
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
