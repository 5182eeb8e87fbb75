import crypto from 'node:crypto';
import pg from 'pg';
import { type Database, type Engine, openSharedDatabase } from '../../lib/database';
import { openDatabase } from '../../lib/db';
import { migrateAll } from '../../lib/migrations';
import { SHARED_MIGRATIONS } from '../../bot/migrations';

/** The test PostgreSQL (trust auth, database `test`); .ci/run starts it. */
export const TEST_PG_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Both engines: the stores' tests run once on each. */
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A DATABASE_URL whose connections work in `schema` (search_path), so parallel runs never meet. */
export function schemaUrl(schema: string, base: string = TEST_PG_URL): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>, base: string): Promise<T> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty schema in the test database (or the one of `base`); drop it with `dropSchema`. */
export async function createSchema(base: string = TEST_PG_URL): Promise<string> {
  const schema = `t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`), base);
  return schema;
}

export async function dropSchema(schema: string, base: string = TEST_PG_URL): Promise<void> {
  await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`), base);
}

export interface TestDatabase {
  database: Database;
  /** The DATABASE_URL of the schema (postgres), or '' (sqlite). */
  url: string;
  close(): Promise<void>;
}

/**
 * A migrated shared database on `engine`: in-memory SQLite, or a schema of its own in the test
 * PostgreSQL, dropped by `close()`.
 */
export async function testDatabase(engine: Engine): Promise<TestDatabase> {
  const sqlite = openDatabase(':memory:');
  if (engine === 'sqlite') {
    const database = openSharedDatabase({ url: '', poolMax: 1, sqlite });
    await migrateAll(database, SHARED_MIGRATIONS);
    return {
      database,
      url: '',
      close: async () => {
        sqlite.close();
      },
    };
  }
  sqlite.close();
  const schema = await createSchema();
  const url = schemaUrl(schema);
  const database = openSharedDatabase({ url, poolMax: 4, sqlite });
  try {
    await migrateAll(database, SHARED_MIGRATIONS);
  } catch (err) {
    await database.close();
    await dropSchema(schema);
    throw err;
  }
  return {
    database,
    url,
    close: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
}

/** A fresh migrated database on `engine` for each test of the calling describe block. */
export function freshDatabaseEachTest(engine: Engine): { readonly database: Database } {
  let current: TestDatabase | null = null;
  beforeEach(async () => {
    current = await testDatabase(engine);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  return {
    get database() {
      if (!current) throw new Error('the test database exists only inside a test');
      return current.database;
    },
  };
}
