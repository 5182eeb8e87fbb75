import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { waitFor } from '../helpers/campaigns';
import { createSchema, dropSchema, schemaUrl } from '../helpers/databases';
import { uniquePrefix } from '../helpers/redis';
import { kill, listeningPort, startWorkerProcess } from '../helpers/worker-process';

/**
 * Two machines as the README describes them: two server processes, each with a DATA_DIR of its own
 * (nothing shared on disk), on one PostgreSQL (DATABASE_URL). They start at the same moment, so
 * both run the migrations at once (the advisory lock lets one apply them).
 */
const ROOT = path.join(__dirname, '..', '..');
const OFFICE = 'so-kingston-12180';
let schema: string;
let url: string;
const dataDirs: string[] = [];
const children: ChildProcess[] = [];
const ports: number[] = [];
const base = (i: number) => `http://127.0.0.1:${ports[i]}`;

beforeAll(async () => {
  schema = await createSchema();
  url = schemaUrl(schema);
  const prefix = uniquePrefix('pg-multi');
  const started = [0, 1].map(() => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-machine-'));
    dataDirs.push(dataDir);
    const child = startWorkerProcess(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        DATABASE_REFRESH_SECONDS: '1',
        QUEUE_PREFIX: prefix,
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
  await dropSchema(schema);
});

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

describe('two machines on one PostgreSQL', () => {
  let token: string;
  beforeAll(() => {
    token = issueToken('office', 'serviceontario');
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
