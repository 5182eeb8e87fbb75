import {
  addDays,
  addMonths,
  clockTime,
  formatInstant,
  monthWeeks,
  startOfWeek,
  torontoDay,
  torontoHour,
  weekDays,
} from '../../web/campaigns/dates';

// The campaign page's calendar arithmetic runs in the browser; it is plain code, checked here in Node.
describe('campaign calendar dates (Toronto)', () => {
  it('lays a month out in whole Sunday-to-Saturday weeks', () => {
    const feb = monthWeeks('2026-02-17');
    expect(feb).toHaveLength(4);
    expect(feb[0][0]).toBe('2026-02-01');
    const may = monthWeeks('2027-05-04');
    expect(may[0][0]).toBe('2027-04-25');
    expect(may[may.length - 1][6]).toBe('2027-06-05');
    expect(may.every((w) => w.length === 7)).toBe(true);
  });

  it('moves by months from any day, and by weeks across a year end', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-01');
    expect(addMonths('2027-01-15', -1)).toBe('2026-12-01');
    expect(startOfWeek('2027-01-01')).toBe('2026-12-27');
    expect(weekDays('2027-01-01')).toEqual([
      '2026-12-27',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
  });

  it('places an instant on its Toronto day and hour, across daylight-saving changes', () => {
    expect(torontoDay(Date.parse('2026-11-02T03:30:00Z'))).toBe('2026-11-01');
    expect(torontoHour(Date.parse('2026-11-01T05:30:00Z'))).toBe(1);
    expect(torontoHour(Date.parse('2026-11-01T06:30:00Z'))).toBe(1);
    expect(clockTime(Date.parse('2026-03-08T07:15:00Z'))).toBe('03:15');
    expect(formatInstant('2027-05-04T09:00:00.000-04:00', 'en')).toMatch(/May 4, 2027.*9:00.*EDT/);
    expect(formatInstant('2027-05-04T09:00:00.000-04:00', 'fr')).toMatch(/4 mai 2027.*9 h 00.*HAE/);
    expect(formatInstant(null, 'en')).toBe('–');
  });
});
