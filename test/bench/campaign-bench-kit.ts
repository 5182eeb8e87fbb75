import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { type RawBuilder, sql } from 'kysely';
import { App, createApp } from '../../bot/index';
import { loadConfig } from '../../lib/config';
import type { Database } from '../../lib/database';
import { createLogger } from '../../lib/logger';
import { PROJECT_ROOT } from '../../lib/paths';
import { createSchema, dropSchema, schemaUrl } from '../helpers/databases';

export const PER_CAMPAIGN = 200;

/** `npm run worker` in its own process, as in production scale-out. */
export function startWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'run.js'), 'bot/worker.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Checks every `everyMs` until `check` holds; a check that queries the database wants a longer interval. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The rows of a query on the shared database (SQLite or PostgreSQL). */
export const rows = async <T>(database: Database, query: RawBuilder<T>): Promise<T[]> =>
  (await query.execute(database.kysely)).rows;

/** The `n` of a COUNT query. */
export const count = async (database: Database, query: RawBuilder<{ n: number }>) =>
  Number((await rows(database, query))[0].n);

/** The values of an IN list, with each engine's placeholders. */
export const inList = (values: string[]) => sql.join(values);

/** `--posts N` (default 1,000): how many posts a run schedules. */
export function postsArg(argv: string[], fallback = 1000): number {
  const i = argv.indexOf('--posts');
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--posts takes a whole number of posts');
  return n;
}

export interface BenchPost {
  channel: string;
  publishAtMs: number;
  text: { en: string; fr: string };
}

export interface BenchApp {
  app: App;
  /** The campaigns' database: the embedded file, or a schema of its own in DATABASE_URL's PostgreSQL. */
  database: Database;
  /** The environment the worker processes get (same data directory, queue prefix, platforms). */
  env: Record<string, string>;
  /** Creates and approves campaigns of these posts through the API; how long it took and their ids. */
  schedule(posts: BenchPost[], tag: string): Promise<{ ms: number; ids: string[] }>;
  close(): Promise<void>;
}

/**
 * The API server in this process (WORKER=off) on a fresh data directory and queue prefix, on the
 * shared Redis; `extraEnv` is given to it and to the workers. With DATABASE_URL, everything shared
 * (the campaigns among it) lives in a fresh schema of that PostgreSQL, dropped by `close()`.
 */
export async function startBenchApp(extraEnv: Record<string, string> = {}): Promise<BenchApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-campaigns-'));
  const prefix = `bench-${crypto.randomBytes(4).toString('hex')}`;
  const pgBase = process.env.DATABASE_URL;
  const schema = pgBase ? await createSchema(pgBase) : null;
  const env = {
    ...(schema && pgBase ? { DATABASE_URL: schemaUrl(schema, pgBase) } : {}),
    DATA_DIR: dataDir,
    QUEUE_PREFIX: prefix,
    NLU_MODEL_DIR: path.join(os.tmpdir(), 'ontario-assistant-models'),
    CAMPAIGN_RECONCILE_SECONDS: '5',
    ...extraEnv,
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
  await until(() => app.redis?.status === 'ready', 10_000, 'Redis');

  const schedule = async (posts: BenchPost[], tag: string) => {
    const started = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < posts.length; i += PER_CAMPAIGN) {
      const body = posts.slice(i, i + PER_CAMPAIGN).map((p) => ({
        channel: p.channel,
        account: 'service-canada',
        publishAt: new Date(p.publishAtMs).toISOString(),
        text: p.text,
      }));
      const created = await fetch(`${base}/api/campaigns`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: `${tag} ${i}`, posts: body }),
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

  return {
    app,
    database: app.database,
    env,
    schedule,
    async close() {
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
      if (schema && pgBase) await dropSchema(schema, pgBase);
    },
  };
}
