import { distanceKm } from './geo';
import { Holiday, holidayOn } from './holidays';
import type { Closure, OutreachSnapshot, Visit } from './outreach-store';
import type { Office } from './registry';
import { addDays, weekdayOf, zonedInstant } from './time';

/** When an office serves a service on one local date. */
export interface DayPlan {
  date: string;
  /** Opening intervals in minutes after local midnight, sorted. */
  intervals: [number, number][];
  holiday: Holiday | null;
  /** Outreach visits on that date offering the service. */
  visits: Visit[];
}

/**
 * The hours an office serves a service on a date: its weekly hours (for services its type delivers)
 * unless a holiday of its calendar closes it, plus any outreach visit held there that offers the service.
 */
const NO_VISITS: Visit[] = [];

export function dayPlan(
  office: Office,
  serviceId: string,
  date: string,
  snap: OutreachSnapshot,
  weekday: number = weekdayOf(date),
): DayPlan {
  const holiday = holidayOn(office.calendar, date) ?? null;
  const intervals: [number, number][] = [];
  if (office.schedule && office.services.has(serviceId) && !holiday) {
    for (const [a, b] of office.schedule[weekday]) intervals.push([a, b]);
  }
  const atSite = snap.visitsBySite.get(office.id);
  if (!atSite) return { date, intervals, holiday, visits: NO_VISITS };
  const visits = atSite.filter((v) => v.date === date && v.services.includes(serviceId));
  for (const v of visits) intervals.push([v.startMin, v.endMin]);
  intervals.sort((x, y) => x[0] - y[0]);
  return { date, intervals: merge(intervals), holiday, visits };
}

function merge(intervals: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of intervals) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const NO_CLOSURES: Closure[] = [];

/** Closures that concern an office: its own, and area closures whose circle holds it. */
export function closuresOf(office: Office, snap: OutreachSnapshot): Closure[] {
  const reported = snap.officeClosures.get(office.id) ?? NO_CLOSURES;
  // A closure the office's own listing states (no end known) counts like a reported one.
  const own = office.listedClosure ? [office.listedClosure, ...reported] : reported;
  if (snap.areaClosures.length === 0) return own as Closure[];
  const area = snap.areaClosures.filter(
    (c) => c.area && distanceKm(office, c.area) <= c.area.radiusKm,
  );
  return area.length ? [...own, ...area] : (own as Closure[]);
}

/** The closure in force at some moment of [fromMs, toMs], if any. */
export function closureDuring(
  closures: readonly Closure[],
  fromMs: number,
  toMs: number,
): Closure | undefined {
  return closures.find((c) => c.fromMs <= toMs && (c.untilMs === null || c.untilMs > fromMs));
}

/**
 * The first moment, at or after `fromMs`, when the office serves the service and no closure stops it,
 * looking up to `days` days ahead; null when there is none (an outreach site with no visit scheduled,
 * or a closure without an end).
 */
export function nextOpening(
  office: Office,
  serviceId: string,
  today: string,
  fromMs: number,
  snap: OutreachSnapshot,
  closures: readonly Closure[],
  days = 21,
): { at: Date; closesAt: Date } | null {
  for (let d = 0; d <= days; d++) {
    const date = addDays(today, d);
    for (const [a, b] of dayPlan(office, serviceId, date, snap).intervals) {
      const opens = zonedInstant(date, a).getTime();
      const closes = zonedInstant(date, b).getTime();
      let start = Math.max(opens, fromMs);
      if (start >= closes) continue;
      const closure = closureDuring(closures, start, start);
      if (closure) {
        if (closure.untilMs === null) return null;
        start = Math.max(start, closure.untilMs);
        if (start >= closes) continue;
      }
      return { at: new Date(start), closesAt: new Date(closes) };
    }
  }
  return null;
}
