import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'restify';
import { requireStaff } from '../../bot/auth/require-staff';
import { hashToken, TokenStore } from '../../bot/auth/token-store';
import { openDatabase } from '../../lib/db';
import { AppError } from '../../lib/errors';
import { ENGINES, testDatabase, TestDatabase } from '../helpers/databases';

const ROOT = path.join(__dirname, '..', '..');
const request = (authorization?: string) =>
  ({ headers: authorization ? { authorization } : {} }) as unknown as Request;

async function thrown(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('did not throw');
}

describe.each(ENGINES)('staff tokens (%s)', (engine) => {
  let db: TestDatabase;
  let store: TokenStore;
  beforeAll(async () => {
    db = await testDatabase(engine);
    store = new TokenStore(db.database);
  });
  afterAll(() => db.close());

  it('accepts a token it issued, with its role and organization', async () => {
    const { token } = await store.issue({ role: 'office', org: 'service-canada' });
    expect(await requireStaff(store, request(`Bearer ${token}`), ['office'])).toMatchObject({
      role: 'office',
      org: 'service-canada',
    });
  });

  it('answers 401 without a token, with a malformed header or an unknown token', async () => {
    for (const header of [undefined, 'Basic abc', 'Bearer', 'Bearer gst_unknown']) {
      expect((await thrown(() => requireStaff(store, request(header), ['office']))).status).toBe(
        401,
      );
    }
  });

  it('answers 403 for the wrong role, and lets admin through', async () => {
    const agent = (await store.issue({ role: 'agent', org: 'serviceontario' })).token;
    const err = await thrown(() => requireStaff(store, request(`Bearer ${agent}`), ['office']));
    expect(err.status).toBe(403);
    expect(err.params).toMatchObject({ role: 'agent' });
    const admin = (await store.issue({ role: 'admin', org: 'serviceontario' })).token;
    expect((await requireStaff(store, request(`Bearer ${admin}`), ['office'])).role).toBe('admin');
  });

  it('rejects expired and revoked tokens with token_expired', async () => {
    const old = (
      await store.issue({
        role: 'comms',
        org: 'serviceontario',
        days: 1,
        now: new Date(Date.now() - 2 * 86_400_000),
      })
    ).token;
    expect(
      (await thrown(() => requireStaff(store, request(`Bearer ${old}`), ['comms']))).code,
    ).toBe('token_expired');
    const { token } = await store.issue({ role: 'comms', org: 'serviceontario' });
    expect(await store.revoke(token)).toBe(true);
    expect(await store.revoke(token)).toBe(false);
    expect(
      (await thrown(() => requireStaff(store, request(`Bearer ${token}`), ['comms']))).code,
    ).toBe('token_expired');
  });
});

describe('npm run token', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, DATA_DIR: dataDir };

  it('prints one token on stdout and stores only its hash', async () => {
    const out = execFileSync(
      'npm',
      ['run', '--silent', 'token', '--', '--role', 'comms', '--org', 'serviceontario'],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    const token = out.trim();
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(token).toMatch(/^gst_[A-Za-z0-9_-]{40,}$/);
    const db = openDatabase(dataDir);
    const row = db.prepare('SELECT hash, role, org FROM staff_tokens').get() as {
      hash: string;
      role: string;
      org: string;
    };
    expect(row).toEqual({ hash: hashToken(token), role: 'comms', org: 'serviceontario' });
    expect(fs.readFileSync(path.join(dataDir, 'assistant.db')).includes(Buffer.from(token))).toBe(
      false,
    );
    db.close();
  });

  it('refuses an unknown role or organization with a usage message and exit code 2', async () => {
    const r = spawnSync(
      'npm',
      ['run', '--silent', 'token', '--', '--role', 'boss', '--org', 'serviceontario'],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--role must be one of/);
  });
});

describe('npm run token with DATABASE_URL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('postgres');
  });
  afterAll(() => db.close());

  it('issues the token into PostgreSQL, where any machine verifies it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-cli-pg-'));
    try {
      const token = execFileSync(
        'npm',
        ['run', '--silent', 'token', '--', '--role', 'office', '--org', 'service-canada'],
        {
          cwd: ROOT,
          env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: db.url },
          encoding: 'utf8',
        },
      ).trim();
      expect(await new TokenStore(db.database).verify(token)).toMatchObject({
        role: 'office',
        org: 'service-canada',
      });
      // Nothing of it in this machine's embedded file.
      const local = openDatabase(dataDir);
      const tables = local
        .prepare("SELECT name FROM sqlite_master WHERE name = 'staff_tokens'")
        .all();
      local.close();
      expect(tables).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops on a malformed DATABASE_URL, naming the key but not echoing its value', () => {
    const r = spawnSync(
      'npm',
      ['run', '--silent', 'token', '--', '--role', 'office', '--org', 'service-canada'],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: 'mysql://secret-password@db/x' },
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/DATABASE_URL: must be a postgres:\/\//);
    expect(r.stderr).not.toMatch(/secret-password/);
  });
});
