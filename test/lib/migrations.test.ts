import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { SHARED_MIGRATIONS } from '../../bot/migrations';
import { type Database, openSharedDatabase } from '../../lib/database';
import { hashToken, TokenStore } from '../../bot/auth/token-store';
import { CampaignStore } from '../../campaigns/store';
import { migrate, openDatabase } from '../../lib/db';
import { migrateAll, SchemaTooNewError } from '../../lib/migrations';
import { createSchema, dropSchema, ENGINES, schemaUrl, testDatabase } from '../helpers/databases';
import { runEntry } from '../helpers/worker-process';

const versions = async (database: Database) =>
  (
    await sql<{
      module: string;
      n: number;
    }>`SELECT module, COUNT(*) AS n FROM schema_migrations GROUP BY module ORDER BY module`.execute(
      database.kysely,
    )
  ).rows.map((r) => [r.module, Number(r.n)]);

describe.each(ENGINES)('shared migrations (%s)', (engine) => {
  it('applies each module once, and finds nothing to do the second time', async () => {
    const db = await testDatabase(engine);
    try {
      const first = await versions(db.database);
      expect(first).toEqual(
        SHARED_MIGRATIONS.map((m) => [m.module, m.migrations.length]).sort((a, b) =>
          String(a[0]).localeCompare(String(b[0])),
        ),
      );
      await migrateAll(db.database, SHARED_MIGRATIONS);
      expect(await versions(db.database)).toEqual(first);
    } finally {
      await db.close();
    }
  });

  it('stops on a database migrated by newer code, naming the module and both versions', async () => {
    const db = await testDatabase(engine);
    try {
      await sql`INSERT INTO schema_migrations (module, version, applied_at) VALUES ('auth', 7, 'later')`.execute(
        db.database.kysely,
      );
      const err = await migrateAll(db.database, SHARED_MIGRATIONS).catch((e: Error) => e);
      expect(err).toBeInstanceOf(SchemaTooNewError);
      expect((err as Error).message).toMatch(
        /"auth" is at version 7, newer than this code's version 1/,
      );
    } finally {
      await db.close();
    }
  });
});

describe('a DATA_DIR from before the query layer', () => {
  it('keeps its tables, versions and rows: nothing is migrated twice', async () => {
    const sqlite = openDatabase(':memory:');
    // What the previous release created (its raw SQL, through lib/db's migrate).
    migrate(sqlite, 'auth', [
      `CREATE TABLE staff_tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
         org TEXT NOT NULL, label TEXT, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT);`,
    ]);
    sqlite
      .prepare(
        "INSERT INTO staff_tokens (id, hash, role, org, created_at) VALUES ('old', ?, 'office', 'serviceontario', '2026-01-01')",
      )
      .run(hashToken('gst_issued-by-the-previous-release'));
    const database = openSharedDatabase({ url: '', poolMax: 1, sqlite });
    await migrateAll(database, SHARED_MIGRATIONS);
    expect(
      await new TokenStore(database).verify('gst_issued-by-the-previous-release'),
    ).toMatchObject({ tokenId: 'old', role: 'office' });
    expect(
      sqlite.prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE module = 'auth'").get(),
    ).toEqual({ n: 1 });
    sqlite.close();
  });

  it('keeps the campaigns the embedded store created (module campaigns, versions 1 and 2)', async () => {
    const sqlite = openDatabase(':memory:');
    const [v1, v2] = fs
      .readFileSync(path.join(__dirname, '../fixtures/campaigns-embedded-v2.sql'), 'utf8')
      .split('-- version 2');
    migrate(sqlite, 'campaigns', [v1, v2]);
    sqlite
      .prepare(
        "INSERT INTO campaigns (id, title, status, created_by_org, created_by_token, created_at, updated_at) VALUES ('c1', 'Old', 'draft', 'service-canada', 't', '2026-01-01', '2026-01-01')",
      )
      .run();
    const database = openSharedDatabase({ url: '', poolMax: 1, sqlite });
    await migrateAll(database, SHARED_MIGRATIONS);
    expect(await CampaignStore.open(database).getCampaign('c1')).toMatchObject({
      title: 'Old',
      posts: [],
    });
    expect(
      sqlite
        .prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE module = 'campaigns'")
        .get(),
    ).toEqual({ n: 2 });
    sqlite.close();
  });
});

describe('migrations on PostgreSQL', () => {
  it('lets several processes start at once: one applies, the others wait and find it done', async () => {
    const schema = await createSchema();
    const sqlite = openDatabase(':memory:');
    const handles = [0, 1, 2].map(() =>
      openSharedDatabase({ url: schemaUrl(schema), poolMax: 2, sqlite }),
    );
    try {
      const results = await Promise.all(handles.map((h) => migrateAll(h, SHARED_MIGRATIONS)));
      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
      // Each version of each module recorded once.
      expect(Object.fromEntries(await versions(handles[0]))).toEqual(
        Object.fromEntries(SHARED_MIGRATIONS.map((m) => [m.module, m.migrations.length])),
      );
    } finally {
      for (const h of handles) await h.close();
      sqlite.close();
      await dropSchema(schema);
    }
  });
});

describe('npm run db:migrate', () => {
  it('migrates PostgreSQL ahead of a rollout, and refuses a newer schema naming both versions', async () => {
    const schema = await createSchema();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-migrate-'));
    const env = { DATABASE_URL: schemaUrl(schema), DATA_DIR: dataDir };
    try {
      const ok = runEntry('bot/migrate-cli.ts', [], env);
      expect([ok.status, ok.stdout]).toEqual([0, 'The PostgreSQL database is up to date.\n']);
      const admin = openSharedDatabase({
        url: schemaUrl(schema),
        poolMax: 1,
        sqlite: openDatabase(':memory:'),
      });
      await sql`INSERT INTO schema_migrations (module, version, applied_at) VALUES ('offices-waits', 2, 'later')`.execute(
        admin.kysely,
      );
      await admin.close();
      const refused = runEntry('bot/migrate-cli.ts', [], env);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(
        /"offices-waits" is at version 2, newer than this code's version 1/,
      );
      // The server stops the same way, before it listens.
      const server = runEntry('bot/index.ts', [], { ...env, PORT: '0', LOG_LEVEL: 'error' });
      expect(server.stdout + server.stderr).toMatch(/version 2, newer than this code's version 1/);
      expect(server.status).not.toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await dropSchema(schema);
    }
  });

  it('stops on a malformed DATABASE_URL and on an unreachable server, saying which', () => {
    const bad = runEntry('bot/migrate-cli.ts', [], { DATABASE_URL: 'postgres//nohost' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/DATABASE_URL: must be a postgres:\/\//);
    const closed = runEntry('bot/migrate-cli.ts', [], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test',
    });
    expect(closed.status).toBe(1);
    expect(closed.stderr).toMatch(
      /Cannot reach the PostgreSQL database of DATABASE_URL \(127\.0\.0\.1:1\/test\): .*ECONNREFUSED/,
    );
  });
});
