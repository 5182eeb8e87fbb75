import { startTestApp, TestApp } from '../helpers/app';
import { call, campaign, post, staffTokens } from '../helpers/campaigns';

let app: TestApp;
let t: ReturnType<typeof staffTokens>;
let id: string;
let postId: string;
beforeAll(async () => {
  app = await startTestApp();
  t = staffTokens(app);
  const created = await call(app, 'POST', '/api/campaigns', t.sc, campaign());
  id = created.body.id;
  postId = created.body.posts[0].id;
});
afterAll(async () => app.close());

/** Built once the campaign exists, so bodies can name its post. */
const bodies = (): unknown[] => [
  null,
  [],
  42,
  'text',
  {},
  { title: 42, posts: 'x' },
  { title: 'x', posts: [null, 1, 'a', []] },
  { title: 'x'.repeat(5000), posts: [post({ text: { en: 5, fr: ['x'] } })] },
  { title: 'x', posts: [post({ image: 'x', repeat: [], partnerShare: 'x', publishAt: 12345 })] },
  {
    title: 'x',
    posts: [
      post({
        image: { url: 42, alt: 'x' },
        repeat: { pattern: 7, count: 'x', until: 'y' },
        partnerShare: { afterMinutes: 1.5, text: 'x' },
      }),
    ],
  },
  { title: 'x', posts: Array.from({ length: 201 }, () => post()) },
  { posts: [{ id: {} }, { id: 'nope' }, { id: postId, channel: null }] },
  { reason: {} },
  { reason: 'x'.repeat(501) },
];

describe('campaign endpoints never answer 5xx to bad input', () => {
  it.each([
    ['POST', '/api/campaigns'],
    ['PATCH', '/api/campaigns/ID'],
    ['PATCH', '/api/campaigns/ID/posts/POST'],
    ['POST', '/api/campaigns/ID/posts/POST/reschedule'],
    ['POST', '/api/campaigns/ID/reject'],
    ['POST', '/api/campaigns/ID/pause'],
    ['POST', '/api/campaigns/pause-all'],
  ])('%s %s', async (method, template) => {
    const path = template.replace('ID', id).replace('POST', postId);
    for (const body of bodies()) {
      const res = await call(app, method, path, t.sc, body);
      expect({ body, status: res.status < 500, json: typeof res.body === 'object' }).toEqual({
        body,
        status: true,
        json: true,
      });
      if (res.status >= 400) expect(typeof res.body.error.message).toBe('string');
    }
    await call(app, 'POST', '/api/campaigns/resume-all', t.sc);
  });

  it('refuses a body that is not JSON, bad query values and unknown ids', async () => {
    const raw = await fetch(`${app.baseUrl}/api/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.sc}`, 'content-type': 'application/json' },
      body: '{"title":',
    });
    expect(raw.status).toBe(400);
    for (const q of [
      'status=zzz',
      'limit=-1',
      'limit=abc',
      'offset=1.5',
      'status=draft&status=scheduled',
    ]) {
      expect((await call(app, 'GET', `/api/campaigns?${q}`, t.sc)).status).toBe(400);
    }
    expect((await call(app, 'GET', '/api/outbox?limit=9999')).status).toBe(400);
    expect((await call(app, 'GET', `/api/campaigns/${id}/audit?before=x`, t.sc)).status).toBe(400);
    for (const action of ['approve', 'reject', 'cancel', 'pause', 'resume', 'audit']) {
      const get = action === 'audit';
      const res = await call(
        app,
        get ? 'GET' : 'POST',
        `/api/campaigns/${'x'.repeat(300)}/${action}`,
        t.sc,
        get ? undefined : { reason: 'r' },
      );
      expect(res.status).toBe(404);
    }
  });
});
