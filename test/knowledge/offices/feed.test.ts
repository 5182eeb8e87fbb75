import { parseWaitFeed } from '../../../knowledge/offices/feed';
import { officeFinder } from '../../helpers/offices';

const NOW = new Date('2025-03-11T10:00:00-04:00');

describe('the wait-time feed', () => {
  let parse: (payload: unknown) => ReturnType<typeof parseWaitFeed>;
  beforeAll(async () => {
    const { registry } = await officeFinder();
    parse = (payload) => parseWaitFeed(payload, registry, NOW);
  });

  it('keeps the good reports and names the first problem of each bad one', () => {
    const r = parse({
      generatedAt: '2025-03-11T09:55:00-04:00',
      reports: [
        { office: 'sc-barrie', minutes: 25 },
        'x',
        { office: 'sc-nowhere', minutes: 5 },
        { office: 'sc-barrie', minutes: 2.5, service: 'nope' },
        { office: 'sc-barrie', minutes: 5, service: 'health-card' },
        { office: 'sc-barrie', minutes: 5, observedAt: '2025-03-11T11:00:00-04:00' },
        { office: 'sc-barrie', minutes: 40, service: 'passport', observedAt: '2025-03-11T09:50Z' },
      ],
    });
    expect(r.fatal).toBeNull();
    expect(r.problems).toEqual([
      'reports[1]: not an object',
      'reports[2].office: unknown office "sc-nowhere"',
      'reports[3].minutes: must be a whole number 0..1440',
      'reports[4].service: "health-card" is not a service this office delivers',
      'reports[5].observedAt: must be an ISO 8601 time with an offset, not in the future',
    ]);
    expect(r.reports).toEqual([
      {
        officeId: 'sc-barrie',
        serviceId: null,
        minutes: 25,
        observedAt: new Date('2025-03-11T09:55:00-04:00'),
        source: 'feed',
      },
      {
        officeId: 'sc-barrie',
        serviceId: 'passport',
        minutes: 40,
        observedAt: new Date('2025-03-11T09:50Z'),
        source: 'feed',
      },
    ]);
  });

  it.each([
    ['not an object', [], 'the feed must be a JSON object'],
    ['no reports', { rows: [] }, 'the feed has no "reports" list'],
    ['too many', { reports: new Array(10_001).fill({}) }, 'the feed has more than 10000 reports'],
    [
      'a bad time',
      { generatedAt: 'noon', reports: [] },
      '"generatedAt" is not an ISO 8601 time with an offset',
    ],
  ])('refuses a whole payload: %s', (_what, payload, fatal) => {
    expect(parse(payload)).toEqual({ reports: [], problems: [], fatal });
  });

  it('dates reports without a time at the poll when the feed gives none', () => {
    expect(parse({ reports: [{ office: 'sc-barrie', minutes: 0 }] }).reports[0].observedAt).toEqual(
      NOW,
    );
  });
});
