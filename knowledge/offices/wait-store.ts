import type { WaitSource } from '../answer-types';
import { Db, migrate } from '../../lib/db';
import { hourOfWeek, isoLocal } from './time';

const MIGRATIONS = [
  `CREATE TABLE office_wait_reports (
     id INTEGER PRIMARY KEY,
     office_id TEXT NOT NULL,
     service_id TEXT NOT NULL DEFAULT '',
     minutes INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
     observed_at TEXT NOT NULL,
     observed_ms INTEGER NOT NULL,
     hour_of_week INTEGER NOT NULL CHECK (hour_of_week BETWEEN 0 AND 167),
     source TEXT NOT NULL CHECK (source IN ('staff', 'feed')),
     reporter TEXT,
     received_at TEXT NOT NULL,
     UNIQUE (office_id, service_id, observed_ms, source)
   );
   CREATE INDEX office_wait_reports_office ON office_wait_reports (office_id, observed_ms);`,
];

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
 * Every wait report (staff and feed) kept in SQLite, with an in-memory view for ranking: the latest
 * report per office and service, and per hour of the week the running mean of past reports. The view
 * catches up with rows written by other processes (the feed worker) before each read.
 */
export class WaitStore {
  private readonly insertStmt;
  private readonly sinceStmt;
  private readonly lastIdStmt;
  private lastId = 0;
  private readonly latest = new Map<string, { minutes: number; observedMs: number }>();
  private readonly slots = new Map<string, Slots>();
  private readonly reported = new Set<string>();

  constructor(private readonly db: Db) {
    migrate(db, 'offices-waits', MIGRATIONS);
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO office_wait_reports (office_id, service_id, minutes, observed_at, observed_ms, hour_of_week, source, reporter, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.sinceStmt = db.prepare(
      'SELECT id, office_id, service_id, minutes, observed_ms, hour_of_week FROM office_wait_reports WHERE id > ? ORDER BY id',
    );
    this.lastIdStmt = db.prepare('SELECT MAX(id) AS id FROM office_wait_reports');
    this.sync();
  }

  /** Stores a report; false when the same report (office, service, time, source) was already stored. */
  record(report: WaitReport, now: Date = new Date()): boolean {
    const info = this.insertStmt.run(
      report.officeId,
      report.serviceId ?? '',
      report.minutes,
      isoLocal(report.observedAt),
      report.observedAt.getTime(),
      hourOfWeek(report.observedAt),
      report.source,
      report.reporter ?? null,
      isoLocal(now),
    );
    this.sync();
    return info.changes > 0;
  }

  /** Applies rows added since the last read (by this or another process). */
  sync(): void {
    const max = (this.lastIdStmt.get() as { id: number | null }).id ?? 0;
    if (max <= this.lastId) return;
    const rows = this.sinceStmt.all(this.lastId) as {
      id: number;
      office_id: string;
      service_id: string;
      minutes: number;
      observed_ms: number;
      hour_of_week: number;
    }[];
    for (const r of rows) {
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
      this.lastId = r.id;
    }
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
  history(
    officeId: string,
    limit = 50,
  ): {
    serviceId: string | null;
    minutes: number;
    observedAt: string;
    source: string;
    receivedAt: string;
  }[] {
    const rows = this.db
      .prepare(
        'SELECT service_id, minutes, observed_at, source, received_at FROM office_wait_reports WHERE office_id = ? ORDER BY observed_ms DESC, id DESC LIMIT ?',
      )
      .all(officeId, limit) as {
      service_id: string;
      minutes: number;
      observed_at: string;
      source: string;
      received_at: string;
    }[];
    return rows.map((r) => ({
      serviceId: r.service_id || null,
      minutes: r.minutes,
      observedAt: r.observed_at,
      source: r.source,
      receivedAt: r.received_at,
    }));
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM office_wait_reports').get() as { n: number })
      .n;
  }
}
