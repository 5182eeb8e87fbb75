import crypto from 'node:crypto';
import { Db, migrate } from './db';

const MIGRATIONS = [
  `CREATE TABLE app_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL);`,
];

/**
 * A secret generated once and kept in the database, so every server process sharing DATA_DIR
 * uses the same one (instances on other machines are given it through the environment instead).
 */
export function persistentSecret(db: Db, name: string): string {
  migrate(db, 'secrets', MIGRATIONS);
  db.prepare('INSERT OR IGNORE INTO app_secrets (name, value, created_at) VALUES (?, ?, ?)').run(
    name,
    crypto.randomBytes(32).toString('base64url'),
    new Date().toISOString(),
  );
  return (db.prepare('SELECT value FROM app_secrets WHERE name = ?').get(name) as { value: string })
    .value;
}
