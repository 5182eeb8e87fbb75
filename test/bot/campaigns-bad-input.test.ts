import { startTestApp, TestApp } from '../helpers/app';
import { call, campaign, post, staffTokens } from '../helpers/campaigns';

let app: TestApp;
let t: Awaited<ReturnType<typeof staffTokens>>;
let id: string;
let postId: string;
beforeAll(async () => {
  app = await startTestApp();
  t = await staffTokens(app);
  const created = await call(app, 'POST', '/api/campaigns', t.sc, campaign());
  id = created.body.id;
  postId = created.body.posts[0].id;
});
afterAll(async () => app.close());

/**
 * A wrong body and the fields the answer's problem list names, in its order. Bodies are built when
 * the test runs, so one can name the campaign's post (`postId`).
 */
type Bad = [what: string, body: () => unknown, fields: string[]];

const BAD_CAMPAIGNS: Bad[] = [
  ['null', () => null, ['']],
  ['an array', () => [], ['']],
  ['a number', () => 42, ['']],
  ['a string', () => 'text', ['']],
  ['title and posts of the wrong type', () => ({ title: 42, posts: 'x' }), ['title', 'posts']],
  [
    'posts that are not objects',
    () => ({ title: 'x', posts: [null, 1, 'a', []] }),
    ['posts[0]', 'posts[1]', 'posts[2]', 'posts[3]'],
  ],
  [
    'a title too long and texts that are not strings',
    () => ({ title: 'x'.repeat(5000), posts: [post({ text: { en: 5, fr: ['x'] } })] }),
    ['title', 'posts[0].text.en', 'posts[0].text.fr'],
  ],
  [
    'post fields of the wrong type',
    () => ({
      title: 'x',
      posts: [post({ image: 'x', repeat: [], partnerShare: 'x', publishAt: 12345 })],
    }),
    ['posts[0].publishAt', 'posts[0].image', 'posts[0].repeat', 'posts[0].partnerShare'],
  ],
  [
    'nested post fields of the wrong type',
    () => ({
      title: 'x',
      posts: [
        post({
          image: { url: 42, alt: 'x' },
          repeat: { pattern: 7, count: 'x', until: 'y' },
          partnerShare: { afterMinutes: 1.5, text: 'x' },
        }),
      ],
    }),
    [
      'posts[0].image.url',
      'posts[0].image.alt',
      'posts[0].repeat.pattern',
      'posts[0].repeat.until',
      'posts[0].repeat.count',
      'posts[0].partnerShare.afterMinutes',
      'posts[0].partnerShare.text',
    ],
  ],
  [
    '201 posts',
    () => ({ title: 'x', posts: Array.from({ length: 201 }, () => post()) }),
    ['posts'],
  ],
];

const BAD_REASONS: Bad[] = [
  ['a reason that is not a string', () => ({ reason: {} }), ['reason']],
  ['a reason over 500 characters', () => ({ reason: 'x'.repeat(501) }), ['reason']],
];

type Case = readonly [
  method: string,
  path: string,
  what: string,
  body: () => unknown,
  fields: string[],
];
const on = (method: string, path: string, bad: Bad[]): Case[] =>
  bad.map(([what, body, fields]) => [method, path, what, body, fields]);

const CASES: Case[] = [
  ...on('POST', '/api/campaigns', [
    ['no fields', () => ({}), ['title', 'posts']],
    ...BAD_CAMPAIGNS,
  ]),
  ...on('PATCH', '/api/campaigns/ID', [
    ['no change', () => ({}), ['']],
    ...BAD_CAMPAIGNS,
    [
      'posts that are not the campaign’s, or without a channel',
      () => ({ posts: [{ id: {} }, { id: 'nope' }, { id: postId, channel: null }] }),
      ['posts[0].id', 'posts[1].id', 'posts[2].channel'],
    ],
  ]),
  // One post's edit is the campaign's edit of that post: the problems name it as posts[0].
  ...on('PATCH', '/api/campaigns/ID/posts/POST', [
    [
      'texts that are not strings',
      () => ({ text: { en: 5, fr: ['x'] } }),
      ['posts[0].text.en', 'posts[0].text.fr'],
    ],
    [
      'fields of the wrong type',
      () => ({ image: 'x', repeat: [], partnerShare: 'x', publishAt: 12345 }),
      ['posts[0].publishAt', 'posts[0].image', 'posts[0].repeat', 'posts[0].partnerShare'],
    ],
    ['no channel', () => ({ channel: null }), ['posts[0].channel']],
    ['an unknown channel', () => ({ channel: 'myspace' }), ['posts[0].channel']],
    ['a time that is not a date', () => ({ publishAt: 'tomorrow' }), ['posts[0].publishAt']],
    ['an array', () => [], ['']],
    ['a number', () => 42, ['']],
    ['a string', () => 'text', ['']],
  ]),
  ...on('POST', '/api/campaigns/ID/posts/POST/reschedule', [
    ['no body', () => null, ['posts[0].publishAt']],
    ['no time', () => ({}), ['posts[0].publishAt']],
    ['a number', () => ({ publishAt: 12345 }), ['posts[0].publishAt']],
    ['a word', () => ({ publishAt: 'tomorrow' }), ['posts[0].publishAt']],
    ['a time in the past', () => ({ publishAt: '2020-01-01T10:00:00Z' }), ['posts[0].publishAt']],
    ['an array', () => [], ['']],
  ]),
  // A rejection needs a reason; a pause may go without one, but not with a bad one.
  ...on('POST', '/api/campaigns/ID/reject', [
    ['no body', () => null, ['reason']],
    ['no reason', () => ({}), ['reason']],
    ['an empty reason', () => ({ reason: '' }), ['reason']],
    ...BAD_REASONS,
  ]),
  ...on('POST', '/api/campaigns/ID/pause', [...BAD_REASONS, ['a number', () => 42, ['']]]),
  ...on('POST', '/api/campaigns/pause-all', [...BAD_REASONS, ['an array', () => [], ['']]]),
];

describe('campaign endpoints refuse bad input with 400 invalid_campaign and name each problem', () => {
  it.each(CASES)('%s %s: %s', async (method, template, _what, body, fields) => {
    const path = template.replace('ID', id).replace('POST', postId);
    const res = await call(app, method, path, t.sc, body());
    expect({
      status: res.status,
      code: res.body?.error?.code,
      message: typeof res.body?.error?.message,
      fields: res.body?.error?.problems?.map((p: { path: string }) => p.path),
    }).toEqual({ status: 400, code: 'invalid_campaign', message: 'string', fields });
    // Nothing was changed: the campaign is still the draft it was, and nothing is paused.
    const now = await call(app, 'GET', `/api/campaigns/${id}`, t.sc);
    expect(now.body).toMatchObject({ status: 'draft', pausedAll: false });
  });

  it('refuses a body that is not JSON, bad query values and unknown ids', async () => {
    const raw = await fetch(`${app.baseUrl}/api/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.sc}`, 'content-type': 'application/json' },
      body: '{"title":',
    });
    expect({ status: raw.status, code: ((await raw.json()) as any).error?.code }).toEqual({
      status: 400,
      code: 'bad_request',
    });
    const refused = async (method: string, path: string, body?: unknown) => {
      const res = await call(app, method, path, t.sc, body);
      return { path, status: res.status, code: res.body?.error?.code };
    };
    for (const q of [
      'status=zzz',
      'limit=-1',
      'limit=abc',
      'offset=1.5',
      'status=draft&status=scheduled',
    ]) {
      const path = `/api/campaigns?${q}`;
      expect(await refused('GET', path)).toEqual({ path, status: 400, code: 'bad_parameter' });
    }
    for (const path of ['/api/outbox?limit=9999', `/api/campaigns/${id}/audit?before=x`])
      expect(await refused('GET', path)).toEqual({ path, status: 400, code: 'bad_parameter' });
    // An id longer than any the router accepts is no route at all; a plausible one is no campaign.
    for (const [unknown, code] of [
      ['x'.repeat(300), 'not_found'],
      ['nope', 'unknown_campaign'],
    ])
      for (const action of ['approve', 'reject', 'cancel', 'pause', 'resume', 'audit']) {
        const path = `/api/campaigns/${unknown}/${action}`;
        const res = await (action === 'audit'
          ? refused('GET', path)
          : refused('POST', path, { reason: 'r' }));
        expect(res).toEqual({ path, status: 404, code });
      }
  });
});
