import crypto from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../lib/database';
import type { ModuleMigrations } from '../../lib/migrations';
import type { Bilingual } from '../schema';
import type { Organization } from '../../lib/vocabulary';
import { formatHhmm, isoLocal, zonedInstant } from './time';

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

type OutreachTables = {
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
  /** Every closure not lifted. */
  closures: readonly Closure[];
  officeClosures: ReadonlyMap<string, readonly Closure[]>;
  areaClosures: readonly Closure[];
}

export class DuplicateVisitError extends Error {}

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
 * Scheduled outreach visits and emergency closures, in the shared database. Reads go through an
 * in-memory snapshot rebuilt by `refresh()` when the change counter moved (writes from any process
 * bump it in the same transaction): after each own write, and periodically (see OfficeFinder), so
 * answers never wait on the database and keep coming while it is down.
 */
export class OutreachStore {
  private snap: OutreachSnapshot = {
    version: -1,
    visitsBySite: new Map(),
    visits: [],
    closures: [],
    officeClosures: new Map(),
    areaClosures: [],
  };
  private readonly db: Kysely<OutreachTables>;

  constructor(database: Database) {
    this.db = database.kysely.withTables<OutreachTables>();
  }

  private async bump(trx: Transaction<OutreachTables>): Promise<void> {
    await trx
      .updateTable('office_changes')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', 1)
      .execute();
  }

  async addVisits(visits: readonly NewVisit[], now: Date = new Date()): Promise<Visit[]> {
    return this.write(async (trx) => {
      const saved: Visit[] = [];
      for (const v of visits) {
        const taken = await trx
          .selectFrom('office_outreach_visits')
          .select('id')
          .where('site_id', '=', v.siteId)
          .where('date', '=', v.date)
          .where('start_min', '=', v.startMin)
          .where('cancelled_at', 'is', null)
          .executeTakeFirst();
        if (taken) throw new DuplicateVisitError(`${v.siteId} ${v.date} ${formatHhmm(v.startMin)}`);
        // A cancelled visit at the same slot gives way to the new one.
        await trx
          .deleteFrom('office_outreach_visits')
          .where('site_id', '=', v.siteId)
          .where('date', '=', v.date)
          .where('start_min', '=', v.startMin)
          .execute();
        const visit: Visit = {
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
        await trx
          .insertInto('office_outreach_visits')
          .values({
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
            created_by: v.createdBy ?? null,
            created_at: isoLocal(now),
          })
          .execute();
        saved.push(visit);
      }
      return saved;
    });
  }

  async cancelVisit(id: string, now: Date = new Date()): Promise<boolean> {
    return this.write(
      async (trx) =>
        (
          await trx
            .updateTable('office_outreach_visits')
            .set({ cancelled_at: isoLocal(now) })
            .where('id', '=', id)
            .where('cancelled_at', 'is', null)
            .executeTakeFirst()
        ).numUpdatedRows > 0n,
      (changed) => changed,
    );
  }

  async addClosures(closures: readonly NewClosure[], now: Date = new Date()): Promise<Closure[]> {
    return this.write(async (trx) => {
      const saved: Closure[] = [];
      for (const c of closures) {
        const closure: Closure = {
          id: crypto.randomUUID(),
          officeId: c.officeId ?? null,
          area: c.area
            ? {
                lat: c.area.lat,
                lon: c.area.lon,
                radiusKm: c.area.radiusKm,
                label: c.area.label ?? null,
              }
            : null,
          fromMs: c.from.getTime(),
          untilMs: c.until ? c.until.getTime() : null,
          reason: c.reason,
        };
        await trx
          .insertInto('office_closures')
          .values({
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
            created_by: c.createdBy ?? null,
            created_at: isoLocal(now),
          })
          .execute();
        saved.push(closure);
      }
      return saved;
    });
  }

  async liftClosure(id: string, now: Date = new Date()): Promise<boolean> {
    return this.write(
      async (trx) =>
        (
          await trx
            .updateTable('office_closures')
            .set({ lifted_at: isoLocal(now) })
            .where('id', '=', id)
            .where('lifted_at', 'is', null)
            .executeTakeFirst()
        ).numUpdatedRows > 0n,
      (changed) => changed,
    );
  }

  /**
   * Runs `change` in one transaction that also bumps the change counter (when `changed` says it
   * changed something), then refreshes this process's copy.
   */
  private async write<T>(
    change: (trx: Transaction<OutreachTables>) => Promise<T>,
    changed: (result: T) => boolean = () => true,
  ): Promise<T> {
    const result = await this.db.transaction().execute(async (trx) => {
      const r = await change(trx);
      if (changed(r)) await this.bump(trx);
      return r;
    });
    if (changed(result)) await this.refresh();
    return result;
  }

  /** Closures not lifted and not over at `now`, soonest first (from the in-memory copy). */
  activeClosures(now: Date = new Date()): Closure[] {
    return this.snap.closures
      .filter((c) => c.untilMs === null || c.untilMs > now.getTime())
      .sort((x, y) => x.fromMs - y.fromMs);
  }

  /** The visits not cancelled and the closures not lifted, as of the last refresh. */
  snapshot(): OutreachSnapshot {
    return this.snap;
  }

  /** Re-reads visits and closures when another process (or this one) changed them. */
  async refresh(): Promise<void> {
    const { version } = await this.db
      .selectFrom('office_changes')
      .select('version')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    if (this.snap.version === version) return;
    const visits = (
      await this.db
        .selectFrom('office_outreach_visits')
        .selectAll()
        .where('cancelled_at', 'is', null)
        .orderBy('starts_ms')
        .execute()
    ).map(toVisit);
    const closures = (
      await this.db
        .selectFrom('office_closures')
        .selectAll()
        .where('lifted_at', 'is', null)
        .execute()
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
      closures,
      officeClosures,
      areaClosures: closures.filter((c) => c.area),
    };
  }
}
