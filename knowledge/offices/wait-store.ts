import { type Generated, type Kysely, sql } from 'kysely';
import type { WaitSource } from '../answer-types';
import type { Database } from '../../lib/database';
import type { ModuleMigrations } from '../../lib/migrations';
import { hourOfWeek, isoLocal } from './time';

type WaitTables = {
  office_wait_reports: {
    id: Generated<number>;
    office_id: string;
    service_id: string;
    minutes: number;
    observed_at: string;
    observed_ms: number;
    hour_of_week: number;
    source: 'staff' | 'feed';
    reporter: string | null;
    received_at: string;
  };
};

export const WAIT_MIGRATIONS: ModuleMigrations = {
  module: 'offices-waits',
  migrations: [
    async (db, engine) => {
      await db.schema
        .createTable('office_wait_reports')
        .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('office_id', 'text', (c) => c.notNull())
        .addColumn('service_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes BETWEEN 0 AND 1440`))
        .addColumn('observed_at', 'text', (c) => c.notNull())
        .addColumn('observed_ms', 'bigint', (c) => c.notNull())
        .addColumn('hour_of_week', 'integer', (c) =>
          c.notNull().check(sql`hour_of_week BETWEEN 0 AND 167`),
        )
        .addColumn('source', 'text', (c) => c.notNull().check(sql`source IN ('staff', 'feed')`))
        .addColumn('reporter', 'text')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('office_wait_reports_once', [
          'office_id',
          'service_id',
          'observed_ms',
          'source',
        ])
        .execute();
      await db.schema
        .createIndex('office_wait_reports_office')
        .on('office_wait_reports')
        .columns(['office_id', 'observed_ms'])
        .execute();
    },
  ],
};

/**
 * Rows are read again this far below the highest id seen: on PostgreSQL a lower id can commit after
 * a higher one (two servers reporting at once), and must still be counted, once.
 */
const LOOKBACK_IDS = 1000;

export type { WaitSource };

export interface WaitReport {
  officeId: string;
  /** The service the wait is for; absent for the office's general queue. */
  serviceId?: string | null;
  minutes: number;
  observedAt: Date;
  source: 'staff' | 'feed';
  /** Token id of the staff member, for staff reports. */
  reporter?: string | null;
}

export interface WaitEstimate {
  minutes: number;
  source: WaitSource;
  /** When the live report was observed, or the newest report the prediction used; null for typical. */
  observedAt: string | null;
  /** True unless the wait is a fresh live report. */
  stale: boolean;
  /** How many past reports the prediction averages. */
  basedOn?: number;
}

interface Slots {
  sum: Float64Array;
  count: Uint32Array;
  newest: Float64Array;
}

const HOURS_PER_WEEK = 168;
const keyOf = (officeId: string, serviceId: string) => `${officeId}|${serviceId}`;

/**
 * Every wait report (staff and feed) kept in the shared database, with an in-memory view for
 * ranking: the latest report per office and service, and per hour of the week the running mean of
 * past reports. The view catches up with rows written by other processes or machines on `sync()`
 * (after each own write, and periodically: see OfficeFinder), so answers never wait on the database
 * and keep coming while it is down.
 */
export class WaitStore {
  private readonly db: Kysely<WaitTables>;
  /** Every id at or below this is applied. */
  private floor = 0;
  /** Ids above `floor` already applied. */
  private readonly applied = new Set<number>();
  private readonly latest = new Map<string, { minutes: number; observedMs: number }>();
  private readonly slots = new Map<string, Slots>();
  private readonly reported = new Set<string>();

  constructor(database: Database) {
    this.db = database.kysely.withTables<WaitTables>();
  }

  /** Stores a report; false when the same report (office, service, time, source) was already stored. */
  async record(report: WaitReport, now: Date = new Date()): Promise<boolean> {
    const row = {
      office_id: report.officeId,
      service_id: report.serviceId ?? '',
      minutes: report.minutes,
      observed_at: isoLocal(report.observedAt),
      observed_ms: report.observedAt.getTime(),
      hour_of_week: hourOfWeek(report.observedAt),
      source: report.source,
      reporter: report.reporter ?? null,
      received_at: isoLocal(now),
    };
    const inserted = await this.db
      .insertInto('office_wait_reports')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
    // Seen at once by this process; other processes pick it up on their next sync.
    if (inserted.id > this.floor && !this.applied.has(inserted.id)) {
      this.applied.add(inserted.id);
      this.apply(row);
    }
    return true;
  }

  /** Applies rows added since the last read (by this or another process). */
  async sync(): Promise<void> {
    const rows = await this.db
      .selectFrom('office_wait_reports')
      .select(['id', 'office_id', 'service_id', 'minutes', 'observed_ms', 'hour_of_week'])
      .where('id', '>', Math.max(this.floor, maxOf(this.applied) - LOOKBACK_IDS))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      if (r.id <= this.floor || this.applied.has(r.id)) continue;
      this.applied.add(r.id);
      this.apply(r);
    }
    const top = maxOf(this.applied);
    if (top - this.floor > 2 * LOOKBACK_IDS) {
      this.floor = top - LOOKBACK_IDS;
      for (const id of this.applied) if (id <= this.floor) this.applied.delete(id);
    }
  }

  private apply(r: {
    office_id: string;
    service_id: string;
    minutes: number;
    observed_ms: number;
    hour_of_week: number;
  }): void {
    const key = keyOf(r.office_id, r.service_id);
    this.reported.add(r.office_id);
    const prev = this.latest.get(key);
    if (!prev || r.observed_ms >= prev.observedMs)
      this.latest.set(key, { minutes: r.minutes, observedMs: r.observed_ms });
    let s = this.slots.get(key);
    if (!s) {
      s = {
        sum: new Float64Array(HOURS_PER_WEEK),
        count: new Uint32Array(HOURS_PER_WEEK),
        newest: new Float64Array(HOURS_PER_WEEK),
      };
      this.slots.set(key, s);
    }
    s.sum[r.hour_of_week] += r.minutes;
    s.count[r.hour_of_week] += 1;
    s.newest[r.hour_of_week] = Math.max(s.newest[r.hour_of_week], r.observed_ms);
  }

  /**
   * The wait to expect at an office for a service: the live report when it is fresh (observed within
   * `freshMs` before `now`), else the mean of the office's past reports for the same hour of the week
   * as `at`, else the office type's typical wait. Service-specific reports win over office-wide ones.
   */
  estimate(
    officeId: string,
    serviceId: string,
    now: Date,
    freshMs: number,
    typicalMinutes: number,
    at: Date = now,
  ): WaitEstimate {
    if (!this.reported.has(officeId))
      return { minutes: typicalMinutes, source: 'typical', observedAt: null, stale: true };
    const keys = serviceId
      ? [keyOf(officeId, serviceId), keyOf(officeId, '')]
      : [keyOf(officeId, '')];
    const nowMs = now.getTime();
    for (const key of keys) {
      const live = this.latest.get(key);
      if (live && live.observedMs <= nowMs + 60_000 && nowMs - live.observedMs <= freshMs) {
        return {
          minutes: live.minutes,
          source: 'live',
          observedAt: isoLocal(new Date(live.observedMs)),
          stale: false,
        };
      }
    }
    const slot = hourOfWeek(at);
    for (const key of keys) {
      const s = this.slots.get(key);
      if (s && s.count[slot] > 0) {
        return {
          minutes: Math.round(s.sum[slot] / s.count[slot]),
          source: 'predicted',
          observedAt: isoLocal(new Date(s.newest[slot])),
          stale: true,
          basedOn: s.count[slot],
        };
      }
    }
    return { minutes: typicalMinutes, source: 'typical', observedAt: null, stale: true };
  }

  /** The newest reports of an office, newest first (for staff). */
  async history(
    officeId: string,
    limit = 50,
  ): Promise<
    {
      serviceId: string | null;
      minutes: number;
      observedAt: string;
      source: string;
      receivedAt: string;
    }[]
  > {
    const rows = await this.db
      .selectFrom('office_wait_reports')
      .select(['service_id', 'minutes', 'observed_at', 'source', 'received_at'])
      .where('office_id', '=', officeId)
      .orderBy('observed_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      serviceId: r.service_id || null,
      minutes: r.minutes,
      observedAt: r.observed_at,
      source: r.source,
      receivedAt: r.received_at,
    }));
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('office_wait_reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function maxOf(ids: ReadonlySet<number>): number {
  let max = 0;
  for (const id of ids) if (id > max) max = id;
  return max;
}
