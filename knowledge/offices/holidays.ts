import { addDays, dateKey, weekdayOf } from './time';
import type { HolidayCalendar } from './schema';

/** Holiday ids double as locale keys (offices:holiday.ID). */
export interface Holiday {
  id: string;
  /** The date offices are closed (the observed day when the holiday falls on a weekend). */
  date: string;
}

function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return dateKey(year, month, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7);
}

/** Victoria Day: the Monday before May 25. */
function victoriaDay(year: number): string {
  const may24 = new Date(Date.UTC(year, 4, 24)).getUTCDay();
  return dateKey(year, 5, 24 - ((may24 + 6) % 7));
}

/** Easter Sunday (Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dateKey(year, month, day);
}

type Rule = { id: string; date: (y: number) => string; fixed?: boolean };

const RULES: Record<string, Rule> = {
  newYear: { id: 'newYear', date: (y) => dateKey(y, 1, 1), fixed: true },
  familyDay: { id: 'familyDay', date: (y) => nthWeekday(y, 2, 1, 3) },
  goodFriday: { id: 'goodFriday', date: (y) => addDays(easterSunday(y), -2) },
  easterMonday: { id: 'easterMonday', date: (y) => addDays(easterSunday(y), 1) },
  victoriaDay: { id: 'victoriaDay', date: victoriaDay },
  canadaDay: { id: 'canadaDay', date: (y) => dateKey(y, 7, 1), fixed: true },
  civicHoliday: { id: 'civicHoliday', date: (y) => nthWeekday(y, 8, 1, 1) },
  labourDay: { id: 'labourDay', date: (y) => nthWeekday(y, 9, 1, 1) },
  truthReconciliation: { id: 'truthReconciliation', date: (y) => dateKey(y, 9, 30), fixed: true },
  thanksgiving: { id: 'thanksgiving', date: (y) => nthWeekday(y, 10, 1, 2) },
  remembranceDay: { id: 'remembranceDay', date: (y) => dateKey(y, 11, 11), fixed: true },
  christmas: { id: 'christmas', date: (y) => dateKey(y, 12, 25), fixed: true },
  boxingDay: { id: 'boxingDay', date: (y) => dateKey(y, 12, 26), fixed: true },
};

/**
 * Which holidays close each calendar's offices. Ontario (ServiceOntario): the nine public holidays of
 * the Employment Standards Act, and the Civic Holiday, Easter Monday and Remembrance Day, on which the
 * location finder's schedule closed the centres. Federal: the Canada Labour Code's general holidays plus the federal public service's
 * designated paid holidays (Easter Monday, the Civic Holiday).
 */
export const CALENDARS: Record<HolidayCalendar, readonly string[]> = {
  ontario: [
    'newYear',
    'familyDay',
    'goodFriday',
    'easterMonday',
    'victoriaDay',
    'canadaDay',
    'civicHoliday',
    'labourDay',
    'thanksgiving',
    'remembranceDay',
    'christmas',
    'boxingDay',
  ],
  federal: [
    'newYear',
    'goodFriday',
    'easterMonday',
    'victoriaDay',
    'canadaDay',
    'civicHoliday',
    'labourDay',
    'truthReconciliation',
    'thanksgiving',
    'remembranceDay',
    'christmas',
    'boxingDay',
  ],
};

const cache = new Map<string, Map<string, Holiday>>();

/**
 * The closure days of a calendar in a year, by date. A fixed-date holiday on a Saturday or Sunday
 * closes offices on the next weekday that is not already a holiday (Christmas on a Saturday closes
 * Monday the 27th, and Boxing Day then Tuesday the 28th).
 */
export function holidaysOf(calendar: HolidayCalendar, year: number): Map<string, Holiday> {
  const key = `${calendar}:${year}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = new Map<string, Holiday>();
  const rules = CALENDARS[calendar].map((id) => RULES[id]);
  for (const rule of rules) {
    let date = rule.date(year);
    if (rule.fixed) {
      while (weekdayOf(date) === 0 || weekdayOf(date) === 6 || out.has(date))
        date = addDays(date, 1);
    }
    out.set(date, { id: rule.id, date });
  }
  cache.set(key, out);
  return out;
}

/** The holiday that closes a calendar's offices on a date, if any. */
export function holidayOn(calendar: HolidayCalendar, date: string): Holiday | undefined {
  return holidaysOf(calendar, Number(date.slice(0, 4))).get(date);
}
