import { formatInZone, HOME_ZONE } from '../../campaigns/time';
import { type Language as Lang, localeOf as locale } from '../../lib/vocabulary';

/**
 * Calendar arithmetic on Toronto days written YYYY-MM-DD. The server's own time module says which
 * day and hour an instant falls on in Toronto, whatever zone the browser is in.
 */
export type Day = string;

const toUtc = (day: Day) =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const fromUtc = (ms: number): Day => new Date(ms).toISOString().slice(0, 10);

/** The Toronto wall-clock time of an instant: 2027-05-04T09:00 (no offset). */
export const torontoWallClock = (ms: number): string => formatInZone(ms, HOME_ZONE).slice(0, 16);
export const torontoDay = (ms: number): Day => torontoWallClock(ms).slice(0, 10);
export const torontoHour = (ms: number): number => Number(torontoWallClock(ms).slice(11, 13));
export const today = (): Day => torontoDay(Date.now());

export const addDays = (day: Day, n: number): Day => fromUtc(toUtc(day) + n * 86_400_000);
export const weekday = (day: Day): number => new Date(toUtc(day)).getUTCDay();
/** Weeks start on Sunday, as Canadian calendars print them. */
export const startOfWeek = (day: Day): Day => addDays(day, -weekday(day));
export const weekDays = (day: Day): Day[] =>
  Array.from({ length: 7 }, (_, i) => addDays(startOfWeek(day), i));

export function addMonths(day: Day, n: number): Day {
  const d = new Date(toUtc(day.slice(0, 8) + '01'));
  d.setUTCMonth(d.getUTCMonth() + n);
  return fromUtc(d.getTime());
}

/** The weeks (Sunday to Saturday) that show the month of `day`, with the neighbouring months' days. */
export function monthWeeks(day: Day): Day[][] {
  const first = day.slice(0, 8) + '01';
  const month = first.slice(0, 7);
  const weeks: Day[][] = [];
  let start = startOfWeek(first);
  do {
    weeks.push(weekDays(start));
    start = addDays(start, 7);
  } while (start.slice(0, 7) <= month);
  return weeks;
}

const format = (lang: Lang, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', ...options });

export const monthLabel = (day: Day, lang: Lang) =>
  format(lang, { month: 'long', year: 'numeric' }).format(toUtc(day));
export const longDay = (day: Day, lang: Lang) =>
  format(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    toUtc(day),
  );
export const shortDay = (day: Day, lang: Lang) =>
  format(lang, { weekday: 'short', day: 'numeric', month: 'short' }).format(toUtc(day));
export const weekdayName = (day: Day, lang: Lang, width: 'long' | 'short') =>
  format(lang, { weekday: width }).format(toUtc(day));
export const mediumDay = (day: Day, lang: Lang) =>
  format(lang, { day: 'numeric', month: 'long', year: 'numeric' }).format(toUtc(day));

/** An instant in Toronto time for people: "Tue, May 4, 2027, 9:00 a.m. EDT" / "mar. 4 mai 2027, 09 h 00 HAE". */
export function formatInstant(iso: string | null, lang: Lang): string {
  if (!iso) return '–';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: HOME_ZONE,
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(ms);
}

/** Hours and minutes in Toronto: 09:00. */
export const clockTime = (ms: number): string => torontoWallClock(ms).slice(11, 16);

/** The value a datetime-local input shows for a Toronto day at an hour. */
export const localInputValue = (day: Day, hour: number) =>
  `${day}T${String(hour).padStart(2, '0')}:00`;
