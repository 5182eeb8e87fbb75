import { parseTime } from '../../campaigns/time';
import { nextOccurrences } from '../../campaigns/scheduler';
import { occurrencesBetween } from '../../web/campaigns/recurrence';
import type { Recurrence } from '../../campaigns/model';

const at = (text: string) => (parseTime(text) as { ms: number }).ms;
const weekly = (extra: Partial<Recurrence> = {}): Recurrence => ({
  pattern: '0 9 * * 1',
  timeZone: 'America/Toronto',
  until: null,
  count: null,
  ...extra,
});
const post = (repeat: Recurrence, publishAt = '2027-03-01T09:00:00.000-05:00') => ({
  publishAt,
  repeat,
});

// The calendar places a recurring post where the worker will publish it: the same rules, in the browser.
describe('recurring posts on the calendar', () => {
  it('gives the occurrences the scheduler gives, across the daylight-saving change', () => {
    const p = post(weekly());
    const server = nextOccurrences(
      { repeat: p.repeat, publishAtMs: Date.parse(p.publishAt) },
      Date.parse(p.publishAt) - 1,
      6,
    );
    const browser = occurrencesBetween(p, at('2027-03-01T00:00'), at('2027-04-06T00:00'));
    expect(browser.map((o) => o.ms)).toEqual(server);
    // 9:00 stays 9:00 in Toronto when the clocks move on March 14.
    expect(browser.map((o) => new Date(o.ms).toISOString().slice(11, 16))).toEqual([
      '14:00',
      '14:00',
      '13:00',
      '13:00',
      '13:00',
      '13:00',
    ]);
    expect(browser.map((o) => o.repeat)).toEqual([false, true, true, true, true, true]);
  });

  it('shows only the occurrences in the period, counted from the first', () => {
    const p = post(weekly({ count: 3 }));
    expect(occurrencesBetween(p, at('2027-03-01T00:00'), at('2027-06-01T00:00'))).toHaveLength(3);
    const april = occurrencesBetween(
      post(weekly()),
      at('2027-04-01T00:00'),
      at('2027-05-01T00:00'),
    );
    expect(april.map((o) => o.ms)).toEqual(
      ['05', '12', '19', '26'].map((d) => at(`2027-04-${d}T09:00`)),
    );
    expect(april.every((o) => o.repeat)).toBe(true);
  });

  it('stops at until and never before the publish time', () => {
    const p = post(weekly({ until: '2027-03-15T09:00:00.000-04:00' }));
    expect(
      occurrencesBetween(p, at('2027-02-01T00:00'), at('2027-05-01T00:00')).map((o) => o.ms),
    ).toEqual([at('2027-03-01T09:00'), at('2027-03-08T09:00'), at('2027-03-15T09:00')]);
    expect(occurrencesBetween({ publishAt: null, repeat: weekly() }, 0, Date.now())).toEqual([]);
  });
});
