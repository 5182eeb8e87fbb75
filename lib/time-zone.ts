/**
 * Time zones through Intl alone (no library, so the browser bundles can use it too): wall-clock
 * fields and UTC offsets of an instant in a named IANA zone.
 */

/** The service's home time zone: opening hours and publish times are wall-clock times there. */
export const HOME_ZONE = 'America/Toronto';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** [year, month, day, hour, minute, second] of an instant on the zone's clocks. */
export function wallClock(ms: number, zone: string): number[] {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return [+parts.year, +parts.month, +parts.day, +parts.hour, +parts.minute, +parts.second];
}

const SLOT = 15 * 60_000;
const offsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset from UTC at an instant, in minutes (-240 for Toronto in summer). Offsets are
 * whole quarter-hours and change only on a quarter-hour of UTC, so they are cached per zone and
 * quarter-hour: Intl formatting is slow enough to matter when offices are ranked.
 */
export function zoneOffsetMinutes(ms: number, zone: string = HOME_ZONE): number {
  const slot = Math.floor(ms / SLOT);
  let cache = offsets.get(zone);
  if (!cache) offsets.set(zone, (cache = new Map()));
  const hit = cache.get(slot);
  if (hit !== undefined) return hit;
  const probe = slot * SLOT;
  const [y, mo, d, h, mi, s] = wallClock(probe, zone);
  const offset = Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - probe) / 60_000);
  if (cache.size > 100_000) cache.clear();
  cache.set(slot, offset);
  return offset;
}

/** An offset in minutes as ISO 8601 writes it: -240 → "-04:00". */
export function offsetSuffix(offset: number): string {
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
