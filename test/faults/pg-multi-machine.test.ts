import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { TestApp } from '../helpers/app';
import { call, campaign, inMs, post, waitFor } from '../helpers/campaigns';
import { createSchema, dropSchema, schemaUrl } from '../helpers/databases';
import { CREDENTIALS, startFakes, type Fakes } from '../helpers/fake-platforms';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { kill, listeningPort, startWorkerProcess } from '../helpers/worker-process';

/**
 * Two machines as the README describes them: two server processes, each with a DATA_DIR of its own
 * (nothing shared on disk), on one PostgreSQL (DATABASE_URL) and one Redis, and campaign workers on
 * further machines. The servers start at the same moment, so both run the migrations at once (the
 * advisory lock lets one apply them).
 */
const ROOT = path.join(__dirname, '..', '..');
const OFFICE = 'so-kingston-12180';
let schema: string;
let url: string;
let prefix: string;
let fakes: Fakes;
/** What every machine is given: the database, Redis, the queue prefix, the platforms and their credentials. */
let shared: Record<string, string>;
const dataDirs: string[] = [];
const children: ChildProcess[] = [];
const ports: number[] = [];
const base = (i: number) => `http://127.0.0.1:${ports[i]}`;

/** A DATA_DIR of its own for a machine (removed after the tests). */
function machineDir(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-machine-'));
  dataDirs.push(dataDir);
  return dataDir;
}

beforeAll(async () => {
  schema = await createSchema();
  url = schemaUrl(schema);
  prefix = uniquePrefix('pg-multi');
  fakes = await startFakes();
  // Slow enough that a worker killed mid-run has calls in flight.
  fakes.x.latencyMs = 40;
  const credentials = path.join(machineDir(), 'credentials.json');
  fs.writeFileSync(credentials, JSON.stringify(CREDENTIALS));
  shared = {
    DATABASE_URL: url,
    // Four processes here, other test files' pools beside them, one PostgreSQL of 100 connections.
    DATABASE_POOL_MAX: '4',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    ...fakes.env,
    CAMPAIGN_CREDENTIALS_FILE: credentials,
  };
  const started = [0, 1].map(() => {
    const child = startWorkerProcess(
      {
        ...shared,
        DATA_DIR: machineDir(),
        DATABASE_REFRESH_SECONDS: '1',
        WORKER: 'off',
        HOST: '127.0.0.1',
        PORT: '0',
        // Info, for the line that says which port a server (started on port 0) listens on.
        LOG_LEVEL: 'info',
        RATE_LIMIT_PER_CLIENT: '0',
      },
      'bot/index.ts',
    );
    children.push(child);
    return listeningPort(child);
  });
  ports.push(...(await Promise.all(started)));
}, 120_000);

afterAll(async () => {
  for (const c of children) await kill(c, 'SIGTERM');
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  await fakes?.close();
  await deleteKeys(prefix);
  await dropSchema(schema);
});

/** A campaign worker on a machine of its own (`npm run worker`): only the shared settings in common. */
function startWorker(): ChildProcess {
  const child = startWorkerProcess({
    ...shared,
    DATA_DIR: machineDir(),
    CAMPAIGN_LOCK_MS: '2000',
    CAMPAIGN_RECONCILE_SECONDS: '1',
    CAMPAIGN_FEED_SETTLE_MS: '1000',
    CAMPAIGN_WORKER_CONCURRENCY: '8',
  });
  children.push(child);
  return child;
}

/** `npm run token` on a third machine: only DATABASE_URL in common with the servers. */
function issueToken(role: string, org: string): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-cli-'));
  try {
    return execFileSync('npm', ['run', '--silent', 'token', '--', '--role', role, '--org', org], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: url },
      encoding: 'utf8',
    }).trim();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Comms tokens of each organization (`npm run token`). */
let sc: string;
let so: string;

describe('two machines on one PostgreSQL', () => {
  let token: string;
  beforeAll(() => {
    token = issueToken('office', 'serviceontario');
    // Issued before any request: a request after seconds of silence may find its kept-alive
    // connection closed by the server.
    sc = issueToken('comms', 'service-canada');
    so = issueToken('comms', 'serviceontario');
  });

  it('accepts a token from npm run token on both servers', async () => {
    for (const i of [0, 1]) {
      const res = await fetch(`${base(i)}/api/offices/${OFFICE}/waits`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect([i, res.status]).toEqual([i, 200]);
    }
  });

  it('shows a wait reported on one server in the other server’s answers', async () => {
    const put = await fetch(`${base(0)}/api/offices/${OFFICE}/wait`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      // Shorter than the typical wait, so the office stays among the nearest at any hour.
      body: JSON.stringify({ minutes: 3 }),
    });
    expect(put.status).toBe(204);
    const seen = await waitFor(
      async () => {
        const res = await fetch(
          `${base(1)}/api/offices/nearest?service=health-card&near=K7L%203N6&limit=20`,
        );
        const body = (await res.json()) as {
          offices: Array<{ id: string; waitMinutes: number | null }>;
        };
        const office = body.offices.find((o) => o.id === OFFICE);
        return office?.waitMinutes === 3 ? office : null;
      },
      15_000,
      'the wait on the second server',
    );
    expect(seen).toMatchObject({ id: OFFICE, waitMinutes: 3, waitStale: false });
  });
});

describe('campaigns on two servers and separate workers', () => {
  const server = (i: number) => ({ baseUrl: base(i) }) as TestApp;

  /** Each text as many times as X stored it. */
  const xTexts = () => fakes.x.posts.map((p) => p.sentText).sort();
  /** The campaign's posts as a server reads them. */
  const postsOn = async (i: number, id: string) =>
    (await call(server(i), 'GET', `/api/campaigns/${id}`, so)).body.posts as {
      status: string;
    }[];
  const allSettled = (i: number, id: string, n: number) =>
    waitFor(
      async () => {
        const posts = await postsOn(i, id);
        return posts.length === n && posts.every((p) => p.status === 'published');
      },
      60_000,
      'every post published',
    );

  it('publishes a campaign approved on two servers (one organization each) once, through a worker', async () => {
    const created = await call(
      server(0),
      'POST',
      '/api/campaigns',
      sc,
      campaign([
        post({ channel: 'x', publishAt: inMs(4000), text: { en: 'Joint X', fr: 'Conjoint X' } }),
        post({ account: 'serviceontario', publishAt: inMs(4000) }),
      ]),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call(server(0), 'POST', `/api/campaigns/${id}/approve`, sc)).body.status).toBe(
      'draft',
    );
    // The other organization approves on the other server, which sees the first approval.
    const approved = await call(server(1), 'POST', `/api/campaigns/${id}/approve`, so);
    expect(approved.body.status).toBe('scheduled');

    const worker = startWorker();
    try {
      await allSettled(1, id, 2);
    } finally {
      await kill(worker, 'SIGTERM');
    }
    expect(xTexts()).toEqual(['Conjoint X', 'Joint X']);
    expect(fakes.x.duplicates()).toBe(0);
    const outbox = await call(server(0), 'GET', `/api/outbox?campaign=${id}`);
    expect(outbox.body.items.map((i: { language: string }) => i.language).sort()).toEqual([
      'en',
      'fr',
    ]);
  }, 120_000);

  it('finishes the posts of a SIGKILLed worker on another, with no post twice on X', async () => {
    const before = fakes.x.posts.length;
    const n = 60;
    const created = await call(
      server(1),
      'POST',
      '/api/campaigns',
      sc,
      campaign(
        Array.from({ length: n }, (_, i) =>
          post({
            channel: 'x',
            publishAt: inMs(5000 + i * 20),
            text: { en: `Post ${i}`, fr: `Publication ${i}` },
          }),
        ),
      ),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call(server(0), 'POST', `/api/campaigns/${id}/approve`, sc)).body.status).toBe(
      'scheduled',
    );
    const first = startWorker();
    const second = startWorker();
    try {
      await waitFor(
        () => fakes.x.posts.length - before >= n / 2,
        60_000,
        'the workers to publish some posts',
      );
      expect(await kill(first, 'SIGKILL')).toBeNull();
      await allSettled(0, id, n);
    } finally {
      await kill(second, 'SIGTERM');
    }
    const expected = Array.from({ length: n }, (_, i) => [`Post ${i}`, `Publication ${i}`]).flat();
    expect(xTexts().filter((t) => /^(Post|Publication) \d+$/.test(t))).toEqual(expected.sort());
    expect(fakes.x.duplicates()).toBe(0);
  }, 180_000);
});
