import { Kysely, sql, Transaction } from 'kysely';
import type { Database, Engine } from './database';

/** One schema change, written with Kysely's schema builder so that it runs on both engines. */
// The migrations build tables that no repository type describes yet, hence the untyped schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Migration = (db: Kysely<any>, engine: Engine) => Promise<void>;

/** A module's schema: its name (as recorded in schema_migrations) and its append-only changes. */
export interface ModuleMigrations {
  module: string;
  migrations: readonly Migration[];
}

/** Thrown when the database was migrated by newer code than this: starting would misread it. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly module: string,
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `The database schema of "${module}" is at version ${databaseVersion}, newer than this code's version ${codeVersion}: run a release at least as new as the one that migrated it.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

type MigrationTables = {
  schema_migrations: { module: string; version: number; applied_at: string };
};

/** Same table, same columns as the embedded-only modules use (lib/db.ts), so old files keep their versions. */
async function ensureTable(db: Kysely<object>): Promise<void> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('schema_migrations_pkey', ['module', 'version'])
    .execute();
}

/** The migration lock on PostgreSQL: an advisory lock of the current schema, held until commit. */
const LOCK_KEY = sql`pg_advisory_xact_lock(7341, hashtext(current_schema()))`;

/**
 * Takes the migration lock for the rest of the transaction. PostgreSQL: an advisory lock scoped to
 * the current schema, so processes starting together wait for each other. SQLite: a write statement
 * first, so the transaction holds the file's write lock before it reads a version.
 */
async function lock(trx: Transaction<MigrationTables>, engine: Engine): Promise<void> {
  if (engine === 'postgres') await sql`SELECT ${LOCK_KEY}`.execute(trx);
  else await sql`DELETE FROM schema_migrations WHERE version < 0`.execute(trx);
}

/**
 * Brings every module's tables to the code's version: each module in one transaction under the
 * migration lock (several processes may start at once; the first applies, the others then find
 * nothing to do). A module recorded at a newer version than the code stops with both versions named.
 * Returns the version of each module.
 */
export async function migrateAll(
  database: Database,
  modules: readonly ModuleMigrations[],
): Promise<Record<string, number>> {
  const db = database.kysely.withTables<MigrationTables>();
  // Processes starting at once on PostgreSQL create the table one after the other, under the
  // migration lock: "IF NOT EXISTS" alone races (one of them failed with 'type "schema_migrations"
  // already exists', code 42710, on 2026-12-05; 23505 and 42P07 are the race's other faces).
  await database.kysely.transaction().execute(async (trx) => {
    if (database.engine === 'postgres') await sql`SELECT ${LOCK_KEY}`.execute(trx);
    await ensureTable(trx);
  });
  const versions: Record<string, number> = {};
  for (const { module, migrations } of modules) {
    versions[module] = await db.transaction().execute(async (trx) => {
      await lock(trx, database.engine);
      const row = await trx
        .selectFrom('schema_migrations')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('module', '=', module)
        .executeTakeFirst();
      const done = Number(row?.v ?? 0);
      if (done > migrations.length) throw new SchemaTooNewError(module, done, migrations.length);
      for (let v = done + 1; v <= migrations.length; v++) {
        await migrations[v - 1](trx, database.engine);
        await trx
          .insertInto('schema_migrations')
          .values({ module, version: v, applied_at: new Date().toISOString() })
          .execute();
      }
      return migrations.length;
    });
  }
  return versions;
}
