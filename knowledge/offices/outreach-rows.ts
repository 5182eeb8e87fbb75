import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { ModuleMigrations } from '../../lib/migrations';
import type { Bilingual } from '../schema';
import type { Organization } from '../../lib/vocabulary';
import { isoLocal, zonedInstant } from './time';

export type VisitRow = {
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
export type ClosureRow = {
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

export type OutreachTables = {
  office_outreach_visits: VisitRow & {
    created_by: string | null;
    created_at: string;
    cancelled_at: string | null;
  };
  office_closures: ClosureRow & {
    created_by: string | null;
    created_at: string;
    lifted_at: string | null;
  };
  office_changes: { id: number; version: number };
};

export const OUTREACH_MIGRATIONS: ModuleMigrations = {
  module: 'offices-outreach',
  migrations: [
    async (db) => {
      await db.schema
        .createTable('office_outreach_visits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('organization', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('start_min', 'integer', (c) => c.notNull())
        .addColumn('end_min', 'integer', (c) => c.notNull())
        .addColumn('starts_ms', 'bigint', (c) => c.notNull())
        .addColumn('ends_ms', 'bigint', (c) => c.notNull())
        .addColumn('services', 'text', (c) => c.notNull())
        .addColumn('note_en', 'text')
        .addColumn('note_fr', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('cancelled_at', 'text')
        .addUniqueConstraint('office_outreach_visits_slot', ['site_id', 'date', 'start_min'])
        .execute();
      await db.schema
        .createTable('office_closures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('office_id', 'text')
        .addColumn('area_lat', 'double precision')
        .addColumn('area_lon', 'double precision')
        .addColumn('area_radius_km', 'double precision')
        .addColumn('area_label', 'text')
        .addColumn('from_ms', 'bigint', (c) => c.notNull())
        .addColumn('until_ms', 'bigint')
        .addColumn('reason_en', 'text', (c) => c.notNull())
        .addColumn('reason_fr', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'text')
        .addCheckConstraint(
          'office_closures_where',
          sql`office_id IS NOT NULL OR area_radius_km IS NOT NULL`,
        )
        .execute();
      await db.schema
        .createTable('office_changes')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.insertInto('office_changes').values({ id: 1, version: 0 }).execute();
    },
  ],
};

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

/** A visit to schedule: where, who, when (local times) and what, with an optional note. */
export type NewVisit = Pick<
  Visit,
  'siteId' | 'organization' | 'date' | 'startMin' | 'endMin' | 'services'
> & {
  note?: Bilingual | null;
  createdBy?: string | null;
};

export interface NewClosure {
  officeId?: string | null;
  area?: { lat: number; lon: number; radiusKm: number; label?: string | null } | null;
  from: Date;
  until?: Date | null;
  reason: Bilingual;
  createdBy?: string | null;
}

export const toVisit = (r: VisitRow): Visit => ({
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
export const toClosure = (r: ClosureRow): Closure => ({
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

/** A new visit as stored and answered: its id and its instants (the local times in Toronto). */
export function newVisit(v: NewVisit): Visit {
  return {
    id: crypto.randomUUID(),
    siteId: v.siteId,
    organization: v.organization,
    date: v.date,
    startMin: v.startMin,
    endMin: v.endMin,
    startsMs: zonedInstant(v.date, v.startMin).getTime(),
    endsMs: zonedInstant(v.date, v.endMin).getTime(),
    services: v.services,
    note: v.note ?? null,
  };
}

/** A new closure as stored and answered, with its id. */
export function newClosure(c: NewClosure): Closure {
  return {
    id: crypto.randomUUID(),
    officeId: c.officeId ?? null,
    area: c.area
      ? { lat: c.area.lat, lon: c.area.lon, radiusKm: c.area.radiusKm, label: c.area.label ?? null }
      : null,
    fromMs: c.from.getTime(),
    untilMs: c.until ? c.until.getTime() : null,
    reason: c.reason,
  };
}

/** Who wrote a row, and when (every visit and closure keeps both). */
const written = (createdBy: string | null | undefined, now: Date) => ({
  created_by: createdBy ?? null,
  created_at: isoLocal(now),
});

/** The row a new visit is stored as. */
export function visitRow(visit: Visit, createdBy: string | null | undefined, now: Date) {
  return {
    id: visit.id,
    site_id: visit.siteId,
    organization: visit.organization,
    date: visit.date,
    start_min: visit.startMin,
    end_min: visit.endMin,
    starts_ms: visit.startsMs,
    ends_ms: visit.endsMs,
    services: JSON.stringify(visit.services),
    note_en: visit.note?.en ?? null,
    note_fr: visit.note?.fr ?? null,
    ...written(createdBy, now),
  };
}

/** The row a new closure is stored as. */
export function closureRow(closure: Closure, createdBy: string | null | undefined, now: Date) {
  return {
    id: closure.id,
    office_id: closure.officeId,
    area_lat: closure.area?.lat ?? null,
    area_lon: closure.area?.lon ?? null,
    area_radius_km: closure.area?.radiusKm ?? null,
    area_label: closure.area?.label ?? null,
    from_ms: closure.fromMs,
    until_ms: closure.untilMs,
    reason_en: closure.reason.en,
    reason_fr: closure.reason.fr,
    ...written(createdBy, now),
  };
}
