import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the embedded database. `location` is a folder, or ':memory:' for tests.
 * A folder that cannot be created or a file that is not a database stops the start with a message
 * naming the path.
 */
export function openDatabase(location: string): Db {
  if (location === ':memory:') return configure(new Database(':memory:'));
  const file = path.join(location, 'assistant.db');
  try {
    fs.mkdirSync(location, { recursive: true });
    const db = configure(new Database(file));
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
    return db;
  } catch (err) {
    throw new Error(`Cannot open the database ${file}: ${(err as Error).message}`);
  }
}

function configure(db: Db): Db {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Applies a module's migrations in order, each once, each in a transaction. Modules own their tables
 * (`knowledge`, `auth`, `campaigns`…) and list their schema changes as an append-only array.
 */
export function migrate(db: Db, module: string, migrations: readonly string[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, version))`);
  const latest = db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE module = ?');
  const applied = () => (latest.get(module) as { v: number | null }).v ?? 0;
  const record = db.prepare(
    'INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)',
  );
  for (let v = applied() + 1; v <= migrations.length; v++) {
    // Immediate: the write lock first, then the check again, so server processes starting together
    // on one file apply each migration once (the others find it applied).
    db.transaction(() => {
      if (applied() >= v) return;
      db.exec(migrations[v - 1]);
      record.run(module, v, new Date().toISOString());
    }).immediate();
  }
}
