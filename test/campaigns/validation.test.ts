import { CHANNEL_LIMITS, findLinks, textLength, xLength } from '../../campaigns/channel-limits';
import { formatInZone, parseBlackouts, parseTime } from '../../campaigns/time';
import { validateCampaign } from '../../campaigns/validation';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ctx = { now: NOW, blackouts: parseBlackouts('2026-12-24T00:00/2026-12-26T00:00') };
const post = (o: Record<string, unknown> = {}) => ({
  channel: 'x',
  account: 'serviceontario',
  publishAt: '2026-12-10T09:00',
  text: { en: 'Renew online', fr: 'Renouvelez en ligne' },
  ...o,
});
const problems = (body: unknown) => {
  const r = validateCampaign(body, ctx);
  return 'problems' in r ? r.problems.map((p) => `${p.path} ${p.code}`) : [];
};

describe('X length', () => {
  it.each([
    ['hello', 5],
    [
      'https://www.canada.ca/en/immigration-refugees-citizenship/services/canadian-passports.html',
      23,
    ],
    ['Voir canada.ca/passeport.', 5 + 23 + 1],
    ['Renouvelez votre carte santé à ServiceOntario', 45],
    ['Passport 🇨🇦 ready', 9 + 2 + 6],
    ['パスポート', 10],
    ['Two links: http://a.ca and https://b.com/x?y=1', 11 + 23 + 5 + 23],
  ])('counts %s as %i', (text, length) => {
    expect(xLength(text)).toBe(length);
  });

  it('finds links with their trailing punctuation left out', () => {
    expect(findLinks('Go to https://ontario.ca/health-card. Or www.canada.ca!')).toEqual([
      'https://ontario.ca/health-card',
      'www.canada.ca',
    ]);
  });

  it('accepts 280 and refuses 281', () => {
    expect(
      problems({
        title: 't',
        posts: [post({ text: { en: 'a'.repeat(280), fr: 'b'.repeat(281) } })],
      }),
    ).toEqual(['posts[0].text.fr too_long']);
  });

  it('counts code points on other channels, against their own limits', () => {
    expect(textLength('linkedin', 'é'.repeat(10))).toBe(10);
    expect(CHANNEL_LIMITS.linkedin.maxText).toBe(3000);
    expect(
      problems({
        title: 't',
        posts: [
          post({ channel: 'linkedin', text: { en: 'a'.repeat(3001), fr: 'b'.repeat(3000) } }),
        ],
      }),
    ).toEqual(['posts[0].text.en too_long']);
  });
});

describe('times', () => {
  it('reads Toronto wall-clock times and writes them with the offset of the day', () => {
    expect(parseTime('2026-06-01T09:00')).toEqual({ ms: Date.parse('2026-06-01T13:00:00Z') });
    expect(parseTime('2026-12-01T09:00')).toEqual({ ms: Date.parse('2026-12-01T14:00:00Z') });
    expect(formatInZone(Date.parse('2026-06-01T13:00:00Z'))).toBe('2026-06-01T09:00:00.000-04:00');
    expect(formatInZone(Date.parse('2026-12-01T14:00:00Z'))).toBe('2026-12-01T09:00:00.000-05:00');
  });

  it('respects an explicit offset', () => {
    expect(parseTime('2026-06-01T09:00:00+02:00')).toEqual({
      ms: Date.parse('2026-06-01T07:00:00Z'),
    });
    expect(parseTime('2026-06-01T09:00:00.250Z')).toEqual({
      ms: Date.parse('2026-06-01T09:00:00.250Z'),
    });
  });

  it('refuses a time skipped by spring-forward, and takes the first of a repeated hour', () => {
    expect(parseTime('2027-03-14T02:30')).toEqual({ error: 'nonexistent' });
    expect(parseTime('2026-11-01T01:30')).toEqual({ ms: Date.parse('2026-11-01T05:30:00Z') });
  });

  it.each([
    'tomorrow',
    '2026-02-30T10:00',
    '2026-06-01 09:00',
    '2026-06-01T25:00',
    '2026-06-01T09:00+19:00',
  ])('refuses %s', (text) => {
    expect(parseTime(text)).toEqual({ error: 'invalid' });
  });

  it('reads blackouts and names a bad one', () => {
    expect(parseBlackouts('')).toEqual([]);
    expect(() => parseBlackouts('2026-12-26T00:00/2026-12-24T00:00')).toThrow(
      /CAMPAIGN_BLACKOUTS: "2026-12-26/,
    );
  });
});

describe('campaign validation', () => {
  it('accepts a good campaign and normalizes its times to Toronto', () => {
    const r = validateCampaign({ title: ' Summer ', posts: [post()] }, ctx);
    expect(r).toEqual({
      draft: {
        title: 'Summer',
        posts: [
          expect.objectContaining({
            publishAt: '2026-12-10T09:00:00.000-05:00',
            image: null,
            repeat: null,
            partnerShare: null,
          }),
        ],
      },
    });
  });

  it('lists every problem of every post', () => {
    expect(
      problems({
        posts: [
          post({
            publishAt: '2026-12-24T12:00',
            image: { url: 'ftp://x', alt: { fr: 'Un passeport' } },
          }),
          post({ text: 'both', account: 7, publishAt: '2027-03-14T02:15' }),
          post({
            repeat: { pattern: 'every day', timeZone: 'Mars/Olympus', count: 0 },
            partnerShare: { afterMinutes: -1 },
          }),
          post({ repeat: { pattern: '0 9 * * 1' }, partnerShare: { afterMinutes: 30 } }),
        ],
      }),
    ).toEqual([
      'title required',
      'posts[0].publishAt time_blackout',
      'posts[0].image.url bad_url',
      'posts[0].image.alt.en alt_missing',
      'posts[1].account unknown_account',
      'posts[1].publishAt nonexistent_time',
      'posts[1].text type',
      'posts[2].repeat.timeZone bad_timezone',
      'posts[2].repeat.pattern bad_pattern',
      'posts[2].repeat.count bad_count',
      'posts[2].partnerShare.afterMinutes bad_minutes',
      'posts[3].partnerShare share_with_repeat',
    ]);
  });

  it('accepts a recurring post in a named time zone', () => {
    const r = validateCampaign(
      {
        title: 't',
        posts: [
          post({ repeat: { pattern: '0 9 * * 1', until: '2027-06-01T00:00-04:00', count: 10 } }),
        ],
      },
      ctx,
    );
    expect(r).toMatchObject({
      draft: {
        posts: [
          {
            repeat: {
              pattern: '0 9 * * 1',
              timeZone: 'America/Toronto',
              until: '2027-06-01T00:00:00.000-04:00',
              count: 10,
            },
          },
        ],
      },
    });
  });
});
