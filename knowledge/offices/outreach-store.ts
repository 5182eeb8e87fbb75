import crypto from 'node:crypto';
import { Db, migrate } from '../../lib/db';
import type { Bilingual } from '../schema';
import type { Organization } from '../../lib/vocabulary';
import { formatHhmm, isoLocal, zonedInstant } from './time';

const MIGRATIONS = [
  `CREATE TABLE office_outreach_visits (
     id TEXT PRIMARY KEY,
     site_id TEXT NOT NULL,
     organization TEXT NOT NULL,
     date TEXT NOT NULL,
     start_min INTEGER NOT NULL,
     end_min INTEGER NOT NULL,
     starts_ms INTEGER NOT NULL,
     ends_ms INTEGER NOT NULL,
     services TEXT NOT NULL,
     note_en TEXT,
     note_fr TEXT,
     created_by TEXT,
     created_at TEXT NOT NULL,
     cancelled_at TEXT,
     UNIQUE (site_id, date, start_min)
   );
   CREATE TABLE office_closures (
     id TEXT PRIMARY KEY,
     office_id TEXT,
     area_lat REAL,
     area_lon REAL,
     area_radius_km REAL,
     area_label TEXT,
     from_ms INTEGER NOT NULL,
     until_ms INTEGER,
     reason_en TEXT NOT NULL,
     reason_fr TEXT NOT NULL,
     created_by TEXT,
     created_at TEXT NOT NULL,
     lifted_at TEXT,
     CHECK (office_id IS NOT NULL OR area_radius_km IS NOT NULL)
   );
   CREATE TABLE office_changes (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
   INSERT INTO office_changes (id, version) VALUES (1, 0);`,
];

export interface Visit {
  id: string;
  siteId: string;
  organization: Organization;
  /** Local date and times (America/Toronto). */
  date: string;
  startMin: number;
  endMin: number;
  startsMs: number;
  endsMs: number;
  services: string[];
  note: Bilingual | null;
}

export interface Closure {
  id: string;
  officeId: string | null;
  area: { lat: number; lon: number; radiusKm: number; label: string | null } | null;
  fromMs: number;
  /** null: until lifted. */
  untilMs: number | null;
  reason: Bilingual;
}

export interface NewVisit {
  siteId: string;
  organization: Organization;
  date: string;
  startMin: number;
  endMin: number;
  services: string[];
  note?: Bilingual | null;
  createdBy?: string | null;
}

export interface NewClosure {
  officeId?: string | null;
  area?: { lat: number; lon: number; radiusKm: number; label?: string | null } | null;
  from: Date;
  until?: Date | null;
  reason: Bilingual;
  createdBy?: string | null;
}

/** What the ranking reads, rebuilt only when visits or closures change. */
export interface OutreachSnapshot {
  version: number;
  visitsBySite: ReadonlyMap<string, readonly Visit[]>;
  visits: readonly Visit[];
  officeClosures: ReadonlyMap<string, readonly Closure[]>;
  areaClosures: readonly Closure[];
}

export class DuplicateVisitError extends Error {}

type VisitRow = {
  id: string;
  site_id: string;
  organization: Organization;
  date: string;
  start_min: number;
  end_min: number;
  starts_ms: number;
  ends_ms: number;
  services: string;
  note_en: string | null;
  note_fr: string | null;
};
type ClosureRow = {
  id: string;
  office_id: string | null;
  area_lat: number | null;
  area_lon: number | null;
  area_radius_km: number | null;
  area_label: string | null;
  from_ms: number;
  until_ms: number | null;
  reason_en: string;
  reason_fr: string;
};

const toVisit = (r: VisitRow): Visit => ({
  id: r.id,
  siteId: r.site_id,
  organization: r.organization,
  date: r.date,
  startMin: r.start_min,
  endMin: r.end_min,
  startsMs: r.starts_ms,
  endsMs: r.ends_ms,
  services: JSON.parse(r.services) as string[],
  note: r.note_en && r.note_fr ? { en: r.note_en, fr: r.note_fr } : null,
});
const toClosure = (r: ClosureRow): Closure => ({
  id: r.id,
  officeId: r.office_id,
  area:
    r.area_radius_km !== null
      ? {
          lat: r.area_lat as number,
          lon: r.area_lon as number,
          radiusKm: r.area_radius_km,
          label: r.area_label,
        }
      : null,
  fromMs: r.from_ms,
  untilMs: r.until_ms,
  reason: { en: r.reason_en, fr: r.reason_fr },
});

/**
 * Scheduled outreach visits and emergency closures, in SQLite. Reads go through a snapshot that is
 * rebuilt when the change counter moves (writes from any process bump it in the same transaction).
 */
export class OutreachStore {
  private snap: OutreachSnapshot | null = null;
  private readonly versionStmt;

  constructor(private readonly db: Db) {
    migrate(db, 'offices-outreach', MIGRATIONS);
    this.versionStmt = db.prepare('SELECT version FROM office_changes WHERE id = 1');
  }

  private bump(): void {
    this.db.prepare('UPDATE office_changes SET version = version + 1 WHERE id = 1').run();
  }

  addVisits(visits: readonly NewVisit[], now: Date = new Date()): Visit[] {
    const insert = this.db.prepare(
      `INSERT INTO office_outreach_visits (id, site_id, organization, date, start_min, end_min, starts_ms, ends_ms, services, note_en, note_fr, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const exists = this.db.prepare(
      'SELECT id FROM office_outreach_visits WHERE site_id = ? AND date = ? AND start_min = ? AND cancelled_at IS NULL',
    );
    return this.db.transaction(() => {
      const out = visits.map((v) => {
        if (exists.get(v.siteId, v.date, v.startMin))
          throw new DuplicateVisitError(`${v.siteId} ${v.date} ${formatHhmm(v.startMin)}`);
        // A cancelled visit at the same slot gives way to the new one.
        this.db
          .prepare(
            'DELETE FROM office_outreach_visits WHERE site_id = ? AND date = ? AND start_min = ?',
          )
          .run(v.siteId, v.date, v.startMin);
        const id = crypto.randomUUID();
        const startsMs = zonedInstant(v.date, v.startMin).getTime();
        const endsMs = zonedInstant(v.date, v.endMin).getTime();
        insert.run(
          id,
          v.siteId,
          v.organization,
          v.date,
          v.startMin,
          v.endMin,
          startsMs,
          endsMs,
          JSON.stringify(v.services),
          v.note?.en ?? null,
          v.note?.fr ?? null,
          v.createdBy ?? null,
          isoLocal(now),
        );
        return {
          id,
          siteId: v.siteId,
          organization: v.organization,
          date: v.date,
          startMin: v.startMin,
          endMin: v.endMin,
          startsMs,
          endsMs,
          services: v.services,
          note: v.note ?? null,
        };
      });
      this.bump();
      return out;
    })();
  }

  cancelVisit(id: string, now: Date = new Date()): boolean {
    return this.end(
      'UPDATE office_outreach_visits SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL',
      id,
      now,
    );
  }

  addClosures(closures: readonly NewClosure[], now: Date = new Date()): Closure[] {
    const insert = this.db.prepare(
      `INSERT INTO office_closures (id, office_id, area_lat, area_lon, area_radius_km, area_label, from_ms, until_ms, reason_en, reason_fr, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return this.db.transaction(() => {
      const out = closures.map((c) => {
        const id = crypto.randomUUID();
        const area = c.area
          ? {
              lat: c.area.lat,
              lon: c.area.lon,
              radiusKm: c.area.radiusKm,
              label: c.area.label ?? null,
            }
          : null;
        insert.run(
          id,
          c.officeId ?? null,
          area?.lat ?? null,
          area?.lon ?? null,
          area?.radiusKm ?? null,
          area?.label ?? null,
          c.from.getTime(),
          c.until ? c.until.getTime() : null,
          c.reason.en,
          c.reason.fr,
          c.createdBy ?? null,
          isoLocal(now),
        );
        return {
          id,
          officeId: c.officeId ?? null,
          area,
          fromMs: c.from.getTime(),
          untilMs: c.until ? c.until.getTime() : null,
          reason: c.reason,
        };
      });
      this.bump();
      return out;
    })();
  }

  liftClosure(id: string, now: Date = new Date()): boolean {
    return this.end(
      'UPDATE office_closures SET lifted_at = ? WHERE id = ? AND lifted_at IS NULL',
      id,
      now,
    );
  }

  /** Stamps a visit's cancellation or a closure's lifting (`sql` sets it where still unset); false if there was none to end. */
  private end(sql: string, id: string, now: Date): boolean {
    return this.db.transaction(() => {
      const changed = this.db.prepare(sql).run(isoLocal(now), id).changes > 0;
      if (changed) this.bump();
      return changed;
    })();
  }

  /** Closures not lifted and not over at `now`, soonest first. */
  activeClosures(now: Date = new Date()): Closure[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM office_closures WHERE lifted_at IS NULL AND (until_ms IS NULL OR until_ms > ?) ORDER BY from_ms',
      )
      .all(now.getTime()) as ClosureRow[];
    return rows.map(toClosure);
  }

  /** Visits not cancelled and not over yet (the ranking and the outreach list read these). */
  snapshot(): OutreachSnapshot {
    const version = (this.versionStmt.get() as { version: number }).version;
    if (this.snap && this.snap.version === version) return this.snap;
    const visits = (
      this.db
        .prepare(
          'SELECT * FROM office_outreach_visits WHERE cancelled_at IS NULL ORDER BY starts_ms',
        )
        .all() as VisitRow[]
    ).map(toVisit);
    const closures = (
      this.db.prepare('SELECT * FROM office_closures WHERE lifted_at IS NULL').all() as ClosureRow[]
    ).map(toClosure);
    const visitsBySite = new Map<string, Visit[]>();
    for (const v of visits) visitsBySite.set(v.siteId, [...(visitsBySite.get(v.siteId) ?? []), v]);
    const officeClosures = new Map<string, Closure[]>();
    for (const c of closures)
      if (c.officeId)
        officeClosures.set(c.officeId, [...(officeClosures.get(c.officeId) ?? []), c]);
    this.snap = {
      version,
      visitsBySite,
      visits,
      officeClosures,
      areaClosures: closures.filter((c) => c.area),
    };
    return this.snap;
  }
}
