import type { KnowledgeRecord, OfficeType, ServiceRecord } from '../schema';
import { GridIndex } from './geo';
import type { OfficeRegistryData } from './load';
import {
  HolidayCalendar,
  OfficeRecord,
  OfficeTypeRecord,
  SelectService,
  WeeklyHours,
  WEEKDAYS,
} from './schema';
import type { Closure } from './outreach-store';
import { parseHhmm, zonedInstant } from './time';

/** Opening intervals per weekday (0 = Sunday), in minutes after local midnight. */
export type WeekSchedule = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

/** An office as the ranking uses it: the record plus what is derived once at load. */
export interface Office {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly record: OfficeRecord;
  readonly type: OfficeTypeRecord;
  readonly services: ReadonlySet<string>;
  /** null: no weekly hours (open only during scheduled outreach visits). */
  readonly schedule: WeekSchedule | null;
  readonly calendar: HolidayCalendar;
  readonly typicalWaitMinutes: number;
  /** True when the hours are the office type's usual ones, not the office's own. */
  readonly hoursTypical: boolean;
  /** A closure with no known end that the office's listing states. */
  readonly listedClosure: Closure | null;
}

export function toSchedule(hours: WeeklyHours): WeekSchedule {
  return WEEKDAYS.map((d) =>
    (hours[d] ?? []).map(([a, b]) => [parseHhmm(a), parseHhmm(b)] as const),
  );
}

/**
 * The office registry in memory: offices by id, the services each delivers (the office type's, per
 * the service records' officeTypes, with the office's own exceptions), and a spatial index per service.
 */
export class OfficeRegistry {
  readonly offices: readonly Office[];
  private readonly byId: Map<string, Office>;
  private readonly byService = new Map<string, Office[]>();
  private readonly indexes = new Map<string, GridIndex<Office>>();
  readonly types: ReadonlyMap<OfficeType, OfficeTypeRecord>;
  /** The services each office type delivers (from the service records' officeTypes). */
  readonly typeServices: ReadonlyMap<OfficeType, ReadonlySet<string>>;

  /** Why only some offices deliver a service in person, by service id (see select-services.json). */
  private readonly selectNotes: Map<string, SelectService>;

  constructor(
    readonly data: OfficeRegistryData,
    records: readonly KnowledgeRecord[],
  ) {
    this.selectNotes = new Map(data.selectServices.map((s) => [s.service, s]));
    const onlyAt = new Map(
      data.selectServices.filter((s) => s.offices).map((s) => [s.service, new Set(s.offices)]),
    );
    const services = records.filter((r): r is ServiceRecord => r.kind === 'service');
    const byType = new Map<OfficeType, string[]>();
    for (const s of services)
      for (const t of s.officeTypes) byType.set(t, [...(byType.get(t) ?? []), s.id]);
    this.typeServices = new Map([...byType].map(([t, ids]) => [t, new Set(ids)]));
    this.types = new Map(data.types.map((t) => [t.type, t]));
    this.offices = data.offices.map((record) => {
      const type = this.types.get(record.type) as OfficeTypeRecord;
      const delivered = new Set(byType.get(record.type) ?? []);
      for (const id of record.services?.add ?? []) delivered.add(id);
      for (const id of record.services?.remove ?? []) delivered.delete(id);
      for (const [service, offices] of onlyAt) {
        if (offices.has(record.id)) delivered.add(service);
        else delivered.delete(service);
      }
      const hours = record.hours?.value ?? type.hours.value;
      return {
        id: record.id,
        lat: record.location.lat,
        lon: record.location.lon,
        record,
        type,
        services: delivered,
        schedule: hours ? toSchedule(hours) : null,
        calendar: type.holidays.value,
        typicalWaitMinutes: type.typicalWaitMinutes.value,
        hoursTypical: !record.hours && hours !== null,
        listedClosure: record.closedSince
          ? {
              id: `listed-${record.id}`,
              officeId: record.id,
              area: null,
              fromMs: zonedInstant(record.closedSince.date, 0).getTime(),
              untilMs: null,
              reason: record.closedSince.reason,
            }
          : null,
      };
    });
    this.byId = new Map(this.offices.map((o) => [o.id, o]));
    for (const o of this.offices) {
      for (const s of o.services) {
        const list = this.byService.get(s);
        if (list) list.push(o);
        else this.byService.set(s, [o]);
      }
    }
  }

  /** The note on a service that only some offices deliver in person, if any. */
  selectNote(serviceId: string): SelectService | undefined {
    return this.selectNotes.get(serviceId);
  }

  get(id: string): Office | undefined {
    return this.byId.get(id);
  }

  /** Every office that delivers a service (outreach sites included: they deliver it during visits). */
  officesFor(serviceId: string): readonly Office[] {
    return this.byService.get(serviceId) ?? [];
  }

  /** The spatial index of the offices that deliver a service (built on first use). */
  indexFor(serviceId: string): GridIndex<Office> {
    let index = this.indexes.get(serviceId);
    if (!index) {
      index = new GridIndex(this.officesFor(serviceId));
      this.indexes.set(serviceId, index);
    }
    return index;
  }

  /** Builds every service index now, so the first query does not pay for it. */
  warm(): void {
    for (const s of this.byService.keys()) this.indexFor(s);
  }
}
