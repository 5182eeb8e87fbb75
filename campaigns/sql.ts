import type { Statement } from 'better-sqlite3';
import type { Db } from '../lib/db';

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * A prepared statement for `sql`, prepared once per database: publishing runs a dozen statements per
 * post, and preparing them each time would cost more than running them.
 */
export function statement(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
