import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Db } from './db';

/** Which engine holds the shared stores. */
export type Engine = 'sqlite' | 'postgres';

/**
 * The database of the shared stores (staff tokens, waits, outreach, usage, chat state…): PostgreSQL
 * when `DATABASE_URL` is set, so that every machine sees the same rows; otherwise the embedded
 * SQLite file under DATA_DIR. Repositories declare their own tables (`kysely.withTables<T>()`)
 * and write their queries once, in Kysely, for both engines.
 */
export interface Database {
  readonly engine: Engine;
  readonly kysely: Kysely<object>;
  /** Closes the PostgreSQL pool (the embedded file belongs to whoever opened it). */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`, or empty for the embedded file. */
  url: string;
  /** Most connections this process opens to PostgreSQL. */
  poolMax: number;
  /** The embedded database, used when `url` is empty. */
  sqlite: Db;
  /** How long a query waits for a connection before it fails (PostgreSQL down or pool exhausted). */
  connectTimeoutMs?: number;
  /** Told when an idle connection breaks (PostgreSQL restarted); the pool replaces it by itself. */
  onConnectionError?: (err: Error) => void;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * COUNT and SUM come back as int8 or numeric, and epoch milliseconds are int8: read them as numbers
 * (all of ours are far below 2^53), as SQLite gives them.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Distinct statements the embedded database keeps compiled (the stores run a few dozen). */
const STATEMENTS = 256;

/**
 * The embedded database as Kysely sees it, keeping each statement it compiles: Kysely prepares every
 * query it runs, and compiling the same SQL again took a tenth of a millisecond per query (a bot turn
 * runs three or four). SQLite recompiles a kept statement by itself after a schema change.
 */
function keepingStatements(db: Db): SqliteDatabase {
  const kept = new Map<string, ReturnType<Db['prepare']>>();
  return {
    close: () => db.close(),
    prepare: (sql: string) => {
      let statement = kept.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        if (kept.size >= STATEMENTS) kept.delete(kept.keys().next().value as string);
        kept.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Opens the shared stores' database (see {@link Database}). Nothing is connected until the first query. */
export function openSharedDatabase(options: DatabaseOptions): Database {
  if (!options.url) {
    const database = keepingStatements(options.sqlite);
    return {
      engine: 'sqlite',
      kysely: new Kysely<object>({ dialect: new SqliteDialect({ database }) }),
      close: async () => {},
    };
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // Without a listener an idle connection that breaks would crash the process.
  pool.on('error', (err) => options.onConnectionError?.(err));
  const kysely = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  return { engine: 'postgres', kysely, close: () => kysely.destroy() };
}

/** Connection-level failures: the server is down, restarting, unreachable or out of connections. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown (also pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too_many_connections
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection is closed|Client has encountered a connection error|Cannot use a pool after calling end/i;

/**
 * True when a query failed because the database could not be reached (not because of the query):
 * the caller answers 503 and tries again later, nothing is assumed written.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable);
  return UNAVAILABLE_MESSAGES.test(err.message);
}

/** Why a connection failed, in one line (an AggregateError of several addresses has no message of its own). */
function reason(err: unknown): string {
  if (err instanceof AggregateError && !err.message)
    return err.errors.map((e: Error) => e.message).join('; ');
  return err instanceof Error
    ? err.message || String((err as { code?: unknown }).code)
    : String(err);
}

/** Says which server could not be reached (host, port and database; never the user or password). */
export function unreachableMessage(url: string, err: unknown): string {
  const u = new URL(url);
  return `Cannot reach the PostgreSQL database of DATABASE_URL (${u.hostname}:${u.port || '5432'}${u.pathname}): ${reason(err)}`;
}
