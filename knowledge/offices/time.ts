import { HOME_ZONE, offsetSuffix, zoneOffsetMinutes } from '../../lib/time-zone';

export { HOME_ZONE };

export interface LocalTime {
  /** YYYY-MM-DD, the local calendar date. */
  date: string;
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

/** The local calendar date and time of an instant. */
export function localTime(at: Date): LocalTime {
  const shifted = new Date(at.getTime() + zoneOffsetMinutes(at.getTime()) * 60_000);
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  return {
    date: dateKey(year, month, day),
    year,
    month,
    day,
    weekday: shifted.getUTCDay(),
    minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

export function dateKey(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The instant of a local wall-clock time (minutes after midnight of a YYYY-MM-DD date). */
export function zonedInstant(date: string, minutes: number): Date {
  const [y, m, d] = date.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d, 0, minutes);
  // Two passes settle the offset on either side of a daylight-saving change.
  let t = naive - zoneOffsetMinutes(naive) * 60_000;
  t = naive - zoneOffsetMinutes(t) * 60_000;
  return new Date(t);
}

/** ISO 8601 with the home zone's offset, e.g. 2025-03-10T08:30:00-04:00. */
export function isoLocal(at: Date): string {
  const offset = zoneOffsetMinutes(at.getTime());
  return new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19) + offsetSuffix(offset);
}

/** The date `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return dateKey(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** "08:30" → 510. */
export function parseHhmm(value: string): number {
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
}

export function formatHhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Hour of the week in local time (0 = Sunday 00:00–00:59 … 167), the slot wait predictions use. */
export function hourOfWeek(at: Date): number {
  const t = localTime(at);
  return t.weekday * 24 + Math.floor(t.minutes / 60);
}
