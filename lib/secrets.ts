import crypto from 'node:crypto';
import type { Database } from './database';
import type { ModuleMigrations } from './migrations';

type SecretTables = {
  app_secrets: { name: string; value: string; created_at: string };
};

export const SECRET_MIGRATIONS: ModuleMigrations = {
  module: 'secrets',
  migrations: [
    (db) =>
      db.schema
        .createTable('app_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute(),
  ],
};

/**
 * A secret generated once and kept in the shared database, so every server process (of the
 * machine, or of every machine on PostgreSQL) uses the same one; the first to start makes it.
 */
export async function persistentSecret(database: Database, name: string): Promise<string> {
  const db = database.kysely.withTables<SecretTables>();
  await db
    .insertInto('app_secrets')
    .values({
      name,
      value: crypto.randomBytes(32).toString('base64url'),
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('app_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}
