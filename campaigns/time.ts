import {
  HOME_ZONE,
  isTimeZone,
  offsetSuffix,
  wallClock,
  zoneOffsetMinutes,
} from '../lib/time-zone';

export { HOME_ZONE, isTimeZone, zoneOffsetMinutes };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An instant written in ISO 8601 with the zone's offset at that instant: 2026-06-01T09:00:00.000-04:00. */
export function formatInZone(ms: number, zone: string = HOME_ZONE): string {
  const offset = zoneOffsetMinutes(ms, zone);
  return new Date(ms + offset * 60_000).toISOString().slice(0, 23) + offsetSuffix(offset);
}

export type ParsedTime = { ms: number } | { error: 'invalid' | 'nonexistent' };

/**
 * Reads an ISO 8601 date-time. With an offset (or Z) it is that instant; without one it is a wall-clock
 * time in `zone`: a time skipped by the spring-forward change is `nonexistent`, and a time repeated by
 * the fall-back change is the first of the two.
 */
export function parseTime(text: string, zone: string = HOME_ZONE): ParsedTime {
  const m = ISO.exec(text.trim());
  if (!m) return { error: 'invalid' };
  const [y, mo, d, h, mi, s = '0', frac = '0', off] = m.slice(1);
  const fields = [+y, +mo, +d, +h, +mi, +s];
  const ms = Number(frac.padEnd(3, '0'));
  const asUtc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], ms);
  const check = new Date(asUtc);
  if (
    check.getUTCMonth() !== fields[1] - 1 ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  ) {
    return { error: 'invalid' };
  }
  if (off) {
    if (off === 'Z') return { ms: asUtc };
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (minutes > 18 * 60) return { error: 'invalid' };
    return { ms: asUtc - sign * minutes * 60_000 };
  }
  // The two offsets the zone may have around this wall-clock time; keep those that give it back.
  const candidates = [
    ...new Set(
      [-12, 12].map((hours) => asUtc - zoneOffsetMinutes(asUtc + hours * 3_600_000, zone) * 60_000),
    ),
  ]
    .filter((t) => wallClock(t, zone).every((v, i) => v === fields[i]))
    .sort((a, b) => a - b);
  return candidates.length ? { ms: candidates[0] } : { error: 'nonexistent' };
}

export interface Blackout {
  startMs: number;
  endMs: number;
  label: string;
}

/**
 * Reads CAMPAIGN_BLACKOUTS: comma-separated `start/end` intervals (ISO 8601, with an offset or in
 * Toronto time) during which nothing may be published. Throws naming the bad interval.
 */
export function parseBlackouts(text: string): Blackout[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((interval) => {
      const [a, b, extra] = interval.split('/');
      const start = a ? parseTime(a) : { error: 'invalid' as const };
      const end = b ? parseTime(b) : { error: 'invalid' as const };
      if (extra !== undefined || !('ms' in start) || !('ms' in end) || end.ms <= start.ms) {
        throw new Error(
          `CAMPAIGN_BLACKOUTS: "${interval}" is not an interval start/end with the end after the start`,
        );
      }
      return {
        startMs: start.ms,
        endMs: end.ms,
        label: `${formatInZone(start.ms)}/${formatInZone(end.ms)}`,
      };
    });
}

export function blackoutAt(ms: number, blackouts: readonly Blackout[]): Blackout | undefined {
  return blackouts.find((b) => ms >= b.startMs && ms < b.endMs);
}
