import { type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../lib/database';
import {
  type Closure,
  closureRow,
  type NewClosure,
  type NewVisit,
  newClosure,
  newVisit,
  type OutreachTables,
  toClosure,
  toVisit,
  type Visit,
  visitRow,
} from './outreach-rows';
import { formatHhmm, isoLocal } from './time';

export { OUTREACH_MIGRATIONS } from './outreach-rows';
export type { Closure, NewClosure, NewVisit, Visit } from './outreach-rows';

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

/** The column that says a row has ended: a visit is cancelled, a closure lifted. */
const ENDED_BY = {
  office_outreach_visits: 'cancelled_at',
  office_closures: 'lifted_at',
} as const;

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
        const slot = trx
          .selectFrom('office_outreach_visits')
          .select('id')
          .where('site_id', '=', v.siteId)
          .where('date', '=', v.date)
          .where('start_min', '=', v.startMin);
        if (await slot.where('cancelled_at', 'is', null).executeTakeFirst())
          throw new DuplicateVisitError(`${v.siteId} ${v.date} ${formatHhmm(v.startMin)}`);
        // A cancelled visit at the same slot gives way to the new one.
        await trx
          .deleteFrom('office_outreach_visits')
          .where('site_id', '=', v.siteId)
          .where('date', '=', v.date)
          .where('start_min', '=', v.startMin)
          .execute();
        const visit = newVisit(v);
        await trx
          .insertInto('office_outreach_visits')
          .values(visitRow(visit, v.createdBy, now))
          .execute();
        saved.push(visit);
      }
      return saved;
    });
  }

  async cancelVisit(id: string, now: Date = new Date()): Promise<boolean> {
    return this.end('office_outreach_visits', id, now);
  }

  async addClosures(closures: readonly NewClosure[], now: Date = new Date()): Promise<Closure[]> {
    const saved = closures.map(newClosure);
    if (saved.length === 0) return saved;
    return this.write(async (trx) => {
      await trx
        .insertInto('office_closures')
        .values(saved.map((c, i) => closureRow(c, closures[i].createdBy, now)))
        .execute();
      return saved;
    });
  }

  async liftClosure(id: string, now: Date = new Date()): Promise<boolean> {
    return this.end('office_closures', id, now);
  }

  /**
   * Ends a visit or a closure that has not ended (the row stays, with the time it was cancelled or
   * lifted); true when it did.
   */
  private end(table: keyof typeof ENDED_BY, id: string, now: Date): Promise<boolean> {
    const column = ENDED_BY[table];
    return this.write(
      async (trx) =>
        (
          await trx
            .updateTable(table)
            .set(column, isoLocal(now))
            .where('id', '=', id)
            .where(column, 'is', null)
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
