import { isTimeZone, offsetSuffix, wallClock, zoneOffsetMinutes } from '../../lib/time-zone';

const at = (iso: string) => Date.parse(iso);

describe('time zones', () => {
  it('gives Toronto its summer and winter offsets, switching at 2 a.m. local', () => {
    expect(zoneOffsetMinutes(at('2026-07-01T12:00:00Z'))).toBe(-240);
    expect(zoneOffsetMinutes(at('2026-12-01T12:00:00Z'))).toBe(-300);
    // 2026-03-08 02:00 EST = 07:00 UTC: a minute before is still winter time.
    expect(zoneOffsetMinutes(at('2026-03-08T06:59:00Z'))).toBe(-300);
    expect(zoneOffsetMinutes(at('2026-03-08T07:00:00Z'))).toBe(-240);
    // 2026-11-01 02:00 EDT = 06:00 UTC.
    expect(zoneOffsetMinutes(at('2026-11-01T05:59:59Z'))).toBe(-240);
    expect(zoneOffsetMinutes(at('2026-11-01T06:00:00Z'))).toBe(-300);
  });

  it('keeps half-hour zones right on both sides of a change that falls on a half hour of UTC', () => {
    // St. John's: 2026-03-08 02:00 NST (-03:30) = 05:30 UTC.
    expect(zoneOffsetMinutes(at('2026-03-08T05:29:00Z'), 'America/St_Johns')).toBe(-210);
    expect(zoneOffsetMinutes(at('2026-03-08T05:30:00Z'), 'America/St_Johns')).toBe(-150);
    expect(zoneOffsetMinutes(at('2026-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });

  it('reads wall clocks, writes offsets and knows which zones exist', () => {
    expect(wallClock(at('2026-07-01T16:30:15Z'), 'America/Toronto')).toEqual([
      2026, 7, 1, 12, 30, 15,
    ]);
    expect([offsetSuffix(-240), offsetSuffix(-150), offsetSuffix(330), offsetSuffix(0)]).toEqual([
      '-04:00',
      '-02:30',
      '+05:30',
      '+00:00',
    ]);
    expect([isTimeZone('America/Toronto'), isTimeZone('Mars/Olympus_Mons')]).toEqual([true, false]);
  });
});
