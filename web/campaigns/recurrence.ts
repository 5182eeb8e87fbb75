import { parseExpression } from 'cron-parser';
import type { PostView } from './types';

/** More occurrences than a month of a person's calendar can hold; stops an every-minute pattern early. */
const MAX_PER_PERIOD = 500;

export interface Occurrence {
  ms: number;
  /** Every occurrence after the post's first. */
  repeat: boolean;
}

/**
 * The occurrences of a recurring post from `fromMs` (included) to `toMs` (excluded), by the server's
 * rules (campaigns/scheduler.ts nextOccurrences): the cron pattern read in the post's time zone, the
 * first match at or after its publish time, none after `until`, at most `count` in all.
 */
export function occurrencesBetween(
  post: Pick<PostView, 'publishAt' | 'repeat'>,
  fromMs: number,
  toMs: number,
): Occurrence[] {
  const start = post.publishAt ? Date.parse(post.publishAt) : NaN;
  if (!post.repeat || Number.isNaN(start)) return [];
  const { pattern, timeZone, until, count } = post.repeat;
  const series = (afterMs: number) => {
    try {
      return parseExpression(pattern, {
        tz: timeZone,
        currentDate: new Date(afterMs),
        endDate: until ? new Date(until) : undefined,
      });
    } catch {
      // The server validated the pattern; a pattern this cron-parser cannot read shows no repeats.
      return null;
    }
  };
  const fromStart = series(start - 1);
  if (!fromStart?.hasNext()) return [];
  const first = fromStart.next().getTime();
  // With a count the occurrences are numbered from the first; without one, start at the period.
  const it = count === null ? series(Math.max(start, fromMs) - 1) : series(start - 1);
  const out: Occurrence[] = [];
  for (let n = 0; it?.hasNext() && (count === null || n < count); n++) {
    const ms = it.next().getTime();
    if (ms >= toMs || out.length >= MAX_PER_PERIOD) break;
    if (ms >= fromMs) out.push({ ms, repeat: ms !== first });
  }
  return out;
}
