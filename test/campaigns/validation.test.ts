import { CHANNEL_LIMITS, findLinks, textLength, xLength } from '../../campaigns/channel-limits';
import { formatInZone, parseBlackouts, parseTime } from '../../campaigns/time';
import { validateCampaign, validateEdit, validateReason } from '../../campaigns/validation';

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

describe('campaign problems (path, code, params), in the order the API lists them', () => {
  const listed = (body: unknown) => {
    const r = validateCampaign(body, ctx);
    return 'problems' in r ? r.problems : [];
  };
  const one = (o: Record<string, unknown>) => listed({ title: 't', posts: [post(o)] });

  it.each<[string, unknown, unknown[]]>([
    [
      'a body that is not an object',
      null,
      [{ path: '', code: 'type', params: { expected: 'object {title, posts}' } }],
    ],
    [
      'no posts',
      { title: 't' },
      [{ path: 'posts', code: 'required', params: { expected: 'array' } }],
    ],
    [
      'posts null',
      { title: 't', posts: null },
      [{ path: 'posts', code: 'type', params: { expected: 'array' } }],
    ],
    ['an empty list', { title: 't', posts: [] }, [{ path: 'posts', code: 'no_posts' }]],
    [
      'too many posts',
      { title: 't', posts: Array.from({ length: 201 }, () => post()) },
      [{ path: 'posts', code: 'too_many_posts', params: { max: 200, count: 201 } }],
    ],
  ])('%s', (_what, body, expected) => {
    expect(listed(body)).toEqual(expected);
  });

  it('names each time problem with the values its message needs', () => {
    expect(
      listed({
        title: '  ',
        posts: [
          post({ publishAt: '2026-11-01T09:00' }),
          post({ publishAt: '2026-12-24T12:00' }),
          post({ publishAt: '2027-03-14T02:30' }),
          post({ publishAt: 42 }),
        ],
      }),
    ).toEqual([
      { path: 'title', code: 'empty' },
      {
        path: 'posts[0].publishAt',
        code: 'time_past',
        params: { value: '2026-11-01T09:00:00.000-05:00', now: '2026-12-01T07:00:00.000-05:00' },
      },
      {
        path: 'posts[1].publishAt',
        code: 'time_blackout',
        params: {
          value: '2026-12-24T12:00:00.000-05:00',
          blackout: '2026-12-24T00:00:00.000-05:00/2026-12-26T00:00:00.000-05:00',
        },
      },
      {
        path: 'posts[2].publishAt',
        code: 'nonexistent_time',
        params: { value: '2027-03-14T02:30' },
      },
      { path: 'posts[3].publishAt', code: 'type', params: { expected: 'string' } },
    ]);
  });

  it("counts the text and a share's comment the channel's way, and alt text in characters", () => {
    expect(
      one({
        text: {
          en: `See https://www.canada.ca/en/services/benefits.html ${'a'.repeat(256)}`,
          fr: 'é'.repeat(281),
        },
        image: { url: 'https://x.ca/a.png', alt: { en: 'a'.repeat(1001), fr: 'b' } },
        partnerShare: { afterMinutes: 30, text: { en: '🇨🇦'.repeat(141), fr: 'ok' } },
      }),
    ).toEqual([
      {
        path: 'posts[0].text.en',
        code: 'too_long',
        params: { max: 280, length: 284, channel: 'x' },
      },
      {
        path: 'posts[0].text.fr',
        code: 'too_long',
        params: { max: 280, length: 281, channel: 'x' },
      },
      {
        path: 'posts[0].image.alt.en',
        code: 'too_long',
        params: { max: 1000, length: 1001, channel: '' },
      },
      {
        path: 'posts[0].partnerShare.text.en',
        code: 'too_long',
        params: { max: 280, length: 282, channel: 'x' },
      },
    ]);
  });

  it('checks no length against an unknown channel', () => {
    expect(
      one({
        channel: 'myspace',
        text: { en: 'a'.repeat(6000), fr: 'b' },
        image: { url: 'https://x.ca/a.png', alt: { en: 'a'.repeat(5000), fr: 'b' } },
      }),
    ).toEqual([
      {
        path: 'posts[0].channel',
        code: 'unknown_channel',
        params: { value: 'myspace', allowed: 'x, facebook, linkedin, outbox, webhook' },
      },
    ]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a pattern of the wrong type before a bad zone',
      { repeat: { pattern: 7, timeZone: 'Mars/Olympus' } },
      ['posts[0].repeat.pattern type', 'posts[0].repeat.timeZone bad_timezone'],
    ],
    [
      'a share with a recurrence whose pattern is read, whatever else it gets wrong',
      {
        repeat: { pattern: '0 9 * * 1', until: 'y', count: 0 },
        partnerShare: { afterMinutes: 30 },
      },
      [
        'posts[0].repeat.until bad_time',
        'posts[0].repeat.count bad_count',
        'posts[0].partnerShare share_with_repeat',
      ],
    ],
    [
      'no share conflict while the pattern cannot be read',
      { repeat: { pattern: 7 }, partnerShare: { afterMinutes: 30 } },
      ['posts[0].repeat.pattern type'],
    ],
    [
      'no share conflict while the share has problems of its own',
      { repeat: { pattern: '0 9 * * 1' }, partnerShare: { afterMinutes: 30, text: { en: 'x' } } },
      ['posts[0].partnerShare.text.fr missing_language'],
    ],
    [
      'an end before the first publish time',
      { repeat: { pattern: '0 9 * * 1', until: '2026-12-09T00:00' } },
      ['posts[0].repeat.until until_before_start'],
    ],
    [
      'no end compared with a publish time that is wrong',
      { publishAt: 'tomorrow', repeat: { pattern: '0 9 * * 1', until: '2020-01-01T00:00' } },
      ['posts[0].publishAt bad_time'],
    ],
  ])('%s', (_what, fields, expected) => {
    expect(one(fields).map((p) => `${p.path} ${p.code}`)).toEqual(expected);
  });

  it('reads reasons alone', () => {
    expect(validateReason(undefined, true)).toEqual({
      problems: [{ path: 'reason', code: 'required' }],
    });
    expect(validateReason(null, false)).toEqual({ reason: null });
    expect(validateReason(' Wrong date ', true)).toEqual({ reason: 'Wrong date' });
  });
});

describe('an edit', () => {
  interface Stored {
    id: string;
    input: Record<string, unknown>;
    locked?: boolean;
  }
  const stored: Stored[] = [
    { id: 'p1', input: post() },
    { id: 'p2', input: post({ channel: 'facebook' }), locked: true },
  ];
  const target = (postCount = stored.length) => ({
    postCount,
    find: (id: unknown, path: string) => {
      const s = stored.find((p) => p.id === id);
      if (s?.locked) throw new Error(`locked at ${path}`);
      return s;
    },
    merge: (s: Stored, patch: Record<string, unknown>) => {
      const { id: _id, text, ...rest } = patch;
      const merged = { ...s.input, ...rest };
      return text
        ? { ...merged, text: { ...(s.input.text as object), ...(text as object) } }
        : merged;
    },
  });
  const edit = (body: unknown, postCount?: number) => validateEdit(body, ctx, target(postCount));
  const codes = (body: unknown, postCount?: number) => {
    const r = edit(body, postCount);
    return 'problems' in r ? r.problems.map((p) => `${p.path} ${p.code}`) : [];
  };

  it('lists every problem in the order of the fields, each post by its place in the edit', () => {
    expect(
      codes({
        title: 'x'.repeat(201),
        posts: [42, { id: 'nope' }, { id: 'p1', text: { en: '' } }, post({ text: { en: 'x' } })],
      }),
    ).toEqual([
      'title too_long',
      'posts[0] type',
      'posts[1].id unknown_post',
      'posts[2].text.en missing_language',
      'posts[3].text.fr missing_language',
    ]);
    expect(edit({ posts: [{ id: 'p1', text: { fr: ' ' } }, post({ text: { en: 'x' } })] })).toEqual(
      {
        problems: [
          { path: 'posts[0].text.fr', code: 'missing_language', params: { language: 'fr' } },
          { path: 'posts[1].text.fr', code: 'missing_language', params: { language: 'fr' } },
        ],
      },
    );
  });

  it.each([
    ['not an object', [], [' type']],
    ['nothing to change', {}, [' nothing_to_change']],
    ['posts not a list', { posts: 'x' }, ['posts type']],
    ['a title that is not text', { title: 7 }, ['title type']],
  ])('%s', (_what, body, expected) => {
    expect(codes(body)).toEqual(expected);
  });

  it('counts the new posts with the stored ones against the limit, and still reads each', () => {
    expect(codes({ posts: [post(), post({ text: 'x' })] }, 199)).toEqual([
      'posts too_many_posts',
      'posts[1].text type',
    ]);
    expect(edit({ posts: [{ id: 'p1', text: { en: 'New' } }] }, 200)).toMatchObject({
      edit: { edits: [{ post: { id: 'p1' } }] },
    });
  });

  it('leaves it to the campaign to refuse a post that cannot change, naming its place', () => {
    expect(() => edit({ posts: [{ id: 'p1' }, { id: 'p2', text: { en: 'x' } }] })).toThrow(
      'locked at posts[1]',
    );
  });

  it('reads a new title, an edited post merged with its stored values, and a whole new post', () => {
    const r = edit({
      title: ' Winter ',
      posts: [
        { id: 'p1', text: { en: ' Renew now ', fr: 'Renouvelez' } },
        post({
          channel: 'linkedin',
          text: { en: ' Renew ', fr: ' Renouvelez ' },
          image: { url: 'https://x.ca/a.png', alt: { en: ' A card ', fr: 'Une carte' } },
          partnerShare: { afterMinutes: 60, text: { en: 'Shared', fr: 'Partagé' } },
        }),
        post({ repeat: { pattern: '0 9 * * 1', timeZone: 'Europe/Paris' } }),
      ],
    });
    expect(r).toEqual({
      edit: {
        title: 'Winter',
        edits: [
          {
            post: stored[0],
            draft: {
              channel: 'x',
              account: 'serviceontario',
              publishAt: '2026-12-10T09:00:00.000-05:00',
              text: { en: 'Renew now', fr: 'Renouvelez' },
              image: null,
              repeat: null,
              partnerShare: null,
            },
          },
        ],
        additions: [
          {
            channel: 'linkedin',
            account: 'serviceontario',
            publishAt: '2026-12-10T09:00:00.000-05:00',
            text: { en: 'Renew', fr: 'Renouvelez' },
            image: { url: 'https://x.ca/a.png', alt: { en: 'A card', fr: 'Une carte' } },
            repeat: null,
            partnerShare: { afterMinutes: 60, text: { en: 'Shared', fr: 'Partagé' } },
          },
          expect.objectContaining({
            repeat: { pattern: '0 9 * * 1', timeZone: 'Europe/Paris', until: null, count: null },
          }),
        ],
      },
    });
    expect(edit({ posts: [] })).toEqual({ edit: { edits: [], additions: [] } });
  });
});
