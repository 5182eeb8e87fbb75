import { campaignMetrics } from '../../campaigns/metrics';
import { CampaignStore } from '../../campaigns/store';
import { startTestApp, TestApp } from '../helpers/app';
import { call, campaign, inMs, post, staffTokens, waitFor } from '../helpers/campaigns';

let app: TestApp;
let t: Awaited<ReturnType<typeof staffTokens>>;
beforeAll(async () => {
  app = await startTestApp({ CAMPAIGN_RECONCILE_SECONDS: '2' });
  t = await staffTokens(app);
});
afterAll(async () => app.close());

const joint = () => campaign([post(), post({ account: 'serviceontario', channel: 'x' })]);
const create = async (body: unknown = joint(), token = t.sc) => {
  const res = await call(app, 'POST', '/api/campaigns', token, body);
  expect(res.status).toBe(201);
  return res.body;
};
const approveBoth = async (id: string) => {
  expect((await call(app, 'POST', `/api/campaigns/${id}/approve`, t.sc)).status).toBe(200);
  return call(app, 'POST', `/api/campaigns/${id}/approve`, t.so);
};

describe('POST /api/campaigns', () => {
  it('creates a draft with every post in draft', async () => {
    const body = await create();
    expect(body).toMatchObject({ status: 'draft', title: 'Renew online before summer' });
    expect(body.posts).toHaveLength(2);
    expect(body.posts.map((p: { status: string }) => p.status)).toEqual(['draft', 'draft']);
    expect(body.posts[0].publishAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[45]:00$/);
    expect(body.approvals).toEqual({
      required: ['service-canada', 'serviceontario'],
      approved: [],
      pending: ['service-canada', 'serviceontario'],
    });
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual(['not_configured']);
  });

  it('answers 401 without a token and 403 for another role', async () => {
    expect((await call(app, 'POST', '/api/campaigns', undefined, joint())).status).toBe(401);
    const res = await call(app, 'POST', '/api/campaigns', t.office, joint());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('lists every problem at once', async () => {
    const res = await call(app, 'POST', '/api/campaigns', t.sc, {
      title: '',
      posts: [
        post({ text: { en: 'Only English' } }),
        post({
          channel: 'x',
          text: {
            en: `${'a'.repeat(250)} https://www.canada.ca/${'x'.repeat(100)} ${'b'.repeat(10)}`,
            fr: 'ok',
          },
        }),
        post({ image: { url: 'https://example.ca/a.png', alt: { en: 'A passport' } } }),
        post({ publishAt: '2020-01-01T09:00:00-05:00' }),
        post({ account: 'city-of-ottawa', channel: 'myspace' }),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_campaign');
    const found = res.body.error.problems.map(
      (p: { path: string; code: string }) => `${p.path} ${p.code}`,
    );
    expect(found).toEqual([
      'title empty',
      'posts[0].text.fr missing_language',
      'posts[1].text.en too_long',
      'posts[2].image.alt.fr alt_missing',
      'posts[3].publishAt time_past',
      'posts[4].channel unknown_channel',
      'posts[4].account unknown_account',
    ]);
    // 250 + 1 + 23 (the link) + 1 + 10: the link counts 23 whatever its length.
    expect(res.body.error.problems[2]).toMatchObject({ length: 285, max: 280 });
    expect(res.body.error.message).toMatch(/7 problem/);
  });

  it('writes the problems in French when asked', async () => {
    const res = await call(
      app,
      'POST',
      '/api/campaigns',
      t.sc,
      campaign([post({ text: { en: 'Hi' } })]),
      'fr',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.problems[0].message).toMatch(/en anglais et en français/);
    expect(res.body.error.message).toMatch(/La campagne a 1 problème/);
  });

  it.each([
    ['not JSON object', 'hello'],
    ['no posts', { title: 'x', posts: [] }],
    ['posts not a list', { title: 'x', posts: {} }],
  ])('refuses %s with 400', async (_name, body) => {
    const res = await call(app, 'POST', '/api/campaigns', t.sc, body);
    expect(res.status).toBe(400);
    expect(res.body.error.problems.length).toBeGreaterThan(0);
  });
});

describe('two-organization approval', () => {
  it('schedules a joint campaign only when both organizations approved', async () => {
    const c = await create();
    const first = await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc);
    expect(first.body).toMatchObject({
      status: 'draft',
      approvals: { pending: ['serviceontario'] },
    });
    const twice = await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_approved');
    const second = await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.so);
    expect(second.body.status).toBe('scheduled');
    expect(second.body.posts.map((p: { status: string }) => p.status)).toEqual([
      'scheduled',
      'scheduled',
    ]);
  });

  it('needs only the one organization whose accounts post, and refuses the other', async () => {
    const c = await create(campaign([post()]));
    const other = await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.so);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('org_not_involved');
    expect((await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc)).body.status).toBe(
      'scheduled',
    );
  });

  it('refuses to approve a cancelled campaign, and to cancel it twice', async () => {
    const c = await create();
    expect((await call(app, 'POST', `/api/campaigns/${c.id}/cancel`, t.so)).body.status).toBe(
      'cancelled',
    );
    const approve = await call(
      app,
      'POST',
      `/api/campaigns/${c.id}/approve`,
      t.sc,
      undefined,
      'fr',
    );
    expect(approve.status).toBe(409);
    expect(approve.body.error).toMatchObject({
      code: 'campaign_cancelled',
      message: expect.stringMatching(/annulée/),
    });
    expect((await call(app, 'POST', `/api/campaigns/${c.id}/cancel`, t.so)).status).toBe(409);
  });

  it('rejects with a reason, which must be given; an edit submits it again', async () => {
    const c = await create();
    expect((await call(app, 'POST', `/api/campaigns/${c.id}/reject`, t.so, {})).status).toBe(400);
    const rejected = await call(app, 'POST', `/api/campaigns/${c.id}/reject`, t.so, {
      reason: 'The French text needs a review.',
    });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejection: { organization: 'serviceontario', reason: 'The French text needs a review.' },
    });
    const approve = await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc);
    expect(approve.body.error.code).toBe('campaign_rejected');
    const edited = await call(app, 'PATCH', `/api/campaigns/${c.id}`, t.sc, {
      posts: [{ id: c.posts[0].id, text: { fr: 'Renouvelez vos documents en ligne.' } }],
    });
    expect(edited.body).toMatchObject({ status: 'draft', rejection: null });
    expect(edited.body.posts[0].text).toEqual({
      en: c.posts[0].text.en,
      fr: 'Renouvelez vos documents en ligne.',
    });
  });

  it('answers 404 for an unknown campaign', async () => {
    const res = await call(app, 'GET', '/api/campaigns/nope', t.sc);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('unknown_campaign');
  });
});

describe('publishing', () => {
  it('publishes to the outbox at its time (never before), once, in both languages', async () => {
    const c = await create(campaign([post({ publishAt: inMs(1500) })]));
    await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc);
    const done = await waitFor(
      async () => {
        const r = await call(app, 'GET', `/api/campaigns/${c.id}`, t.sc);
        return r.body.posts[0].status === 'published' && r.body;
      },
      8000,
      'publication',
    );
    expect(done.status).toBe('completed');
    expect(done.posts[0]).toMatchObject({
      attempts: 1,
      externalId: expect.stringMatching(/^outbox-/),
      error: null,
    });
    // How late is for bench:campaigns to measure; here, that it is recorded and never early.
    expect(done.posts[0].latenessMs).toBeGreaterThanOrEqual(0);
    expect(done.posts[0].publishedAt).toMatch(/-0[45]:00$/);
    expect(Date.parse(done.posts[0].publishedAt)).toBeGreaterThanOrEqual(
      Date.parse(done.posts[0].publishAt),
    );
    const metrics = await campaignMetrics(CampaignStore.open(app.database).db, null);
    expect(metrics).toMatch(/^campaign_publish_lateness_ms_count [1-9]/m);
    expect(metrics).toMatch(/^campaign_posts\{status="published"\} [1-9]/m);
    const outbox = await call(app, 'GET', `/api/outbox?campaign=${c.id}`);
    expect(outbox.status).toBe(200);
    expect(outbox.body.items.map((i: { language: string }) => i.language).sort()).toEqual([
      'en',
      'fr',
    ]);
    expect(outbox.body.items[0].text).toMatch(/documents/);

    const edit = await call(app, 'PATCH', `/api/campaigns/${c.id}`, t.sc, {
      posts: [{ id: c.posts[0].id, text: { en: 'Changed' } }],
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('campaign_completed');
  });

  it('refuses to edit a published post of a campaign still running', async () => {
    const c = await create(campaign([post({ publishAt: inMs(800) }), post()]));
    await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc);
    await waitFor(
      async () =>
        (await call(app, 'GET', `/api/campaigns/${c.id}`, t.sc)).body.posts[0].status ===
        'published',
      8000,
    );
    const edit = await call(app, 'PATCH', `/api/campaigns/${c.id}`, t.sc, {
      posts: [{ id: c.posts[0].id, publishAt: inMs(60_000) }],
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('post_published');
    const one = await call(
      app,
      'POST',
      `/api/campaigns/${c.id}/posts/${c.posts[0].id}/reschedule`,
      t.sc,
      { publishAt: inMs(60_000) },
      'fr',
    );
    expect(one.status).toBe(409);
    expect(one.body.error.message).toMatch(/ne peut pas être modifiée/);
    const other = await call(
      app,
      'POST',
      `/api/campaigns/${c.id}/posts/${c.posts[1].id}/reschedule`,
      t.sc,
      { publishAt: '2099-01-05T10:00' },
    );
    expect(other.body.posts[1]).toMatchObject({
      status: 'scheduled',
      publishAt: '2099-01-05T10:00:00.000-05:00',
    });
    const bad = await call(app, 'PATCH', `/api/campaigns/${c.id}/posts/${c.posts[1].id}`, t.sc, {
      text: { fr: '' },
      publishAt: 'soon',
    });
    expect(bad.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
      'posts[0].publishAt',
      'posts[0].text.fr',
    ]);
  });

  it('schedules the partner share once the original is out', async () => {
    const c = await create(
      campaign([post({ publishAt: inMs(1000), partnerShare: { afterMinutes: 0 } })]),
    );
    expect(c.posts).toHaveLength(2);
    expect(c.posts[1]).toMatchObject({
      account: 'serviceontario',
      shareOf: c.posts[0].id,
      publishAt: null,
    });
    expect(c.approvals.required).toEqual(['service-canada', 'serviceontario']);
    await approveBoth(c.id);
    const done = await waitFor(
      async () => {
        const r = await call(app, 'GET', `/api/campaigns/${c.id}`, t.sc);
        return r.body.posts[1].status === 'published' && r.body;
      },
      10_000,
      'the share',
    );
    expect(Date.parse(done.posts[1].publishAt)).toBeGreaterThanOrEqual(
      Date.parse(done.posts[0].publishedAt) - 1,
    );
    const outbox = await call(app, 'GET', `/api/outbox?campaign=${c.id}`);
    const shares = outbox.body.items.filter((i: { shareOf: string | null }) => i.shareOf);
    expect(shares).toHaveLength(2);
    expect(shares[0]).toMatchObject({ account: 'serviceontario', text: null });
  });
});

describe('edit, reschedule, pause', () => {
  it('keeps approvals when only the time moves, and asks again when the text changes', async () => {
    const c = await create();
    await approveBoth(c.id);
    const moved = await call(app, 'PATCH', `/api/campaigns/${c.id}`, t.sc, {
      posts: [{ id: c.posts[0].id, publishAt: '2099-06-01T09:00' }],
    });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe('scheduled');
    expect(moved.body.posts[0]).toMatchObject({
      status: 'scheduled',
      publishAt: '2099-06-01T09:00:00.000-04:00',
    });
    const queue = app.config.QUEUE_PREFIX;
    expect(queue).toMatch(/^t-app-/);
    const edited = await call(app, 'PATCH', `/api/campaigns/${c.id}`, t.so, {
      title: 'New title',
      posts: [{ id: c.posts[1].id, text: { en: 'New words' } }],
    });
    expect(edited.body).toMatchObject({
      status: 'draft',
      title: 'New title',
      approvals: { approved: [] },
    });
    expect(edited.body.posts.map((p: { status: string }) => p.status)).toEqual(['draft', 'draft']);
  });

  it('holds a paused campaign past its time and publishes it late on resume', async () => {
    const c = await create(campaign([post({ publishAt: inMs(700) })]));
    await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc);
    const paused = await call(app, 'POST', `/api/campaigns/${c.id}/pause`, t.sc, {
      reason: 'Service outage',
    });
    expect(paused.body).toMatchObject({ status: 'paused', changed: true });
    expect(paused.body.posts[0].status).toBe('paused');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call(app, 'GET', `/api/campaigns/${c.id}`, t.sc)).body.posts[0].status).toBe(
      'paused',
    );
    const resumed = await call(app, 'POST', `/api/campaigns/${c.id}/resume`, t.sc);
    expect(resumed.body.status).toBe('scheduled');
    const done = await waitFor(async () => {
      const r = await call(app, 'GET', `/api/campaigns/${c.id}`, t.sc);
      return r.body.posts[0].status === 'published' && r.body.posts[0];
    }, 8000);
    expect(done.latenessMs).toBeGreaterThan(700);
  });

  it('stops everything with pause-all and lets it go with resume-all', async () => {
    const c = await create(campaign([post({ publishAt: inMs(700) })]));
    await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc);
    const stop = await call(app, 'POST', '/api/campaigns/pause-all', t.so, { reason: 'Emergency' });
    expect(stop.body).toMatchObject({ paused: true, changed: true });
    expect((await call(app, 'POST', '/api/campaigns/pause-all', t.so)).body.changed).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    const held = await call(app, 'GET', `/api/campaigns/${c.id}`, t.sc);
    expect(held.body).toMatchObject({ status: 'paused', pausedAll: true });
    expect(held.body.posts[0].status).toBe('paused');
    expect((await call(app, 'POST', '/api/campaigns/resume-all', t.sc)).body).toMatchObject({
      paused: false,
      changed: true,
    });
    await waitFor(
      async () =>
        (await call(app, 'GET', `/api/campaigns/${c.id}`, t.sc)).body.posts[0].status ===
        'published',
      8000,
    );
  });

  it('keeps an audit log of who did what, in both languages', async () => {
    const c = await create();
    await call(app, 'POST', `/api/campaigns/${c.id}/reject`, t.so, {
      reason: 'Wrong date; call 613-555-0199',
    });
    const en = await call(app, 'GET', `/api/campaigns/${c.id}/audit`, t.sc);
    expect(en.body.items.map((e: { action: string }) => e.action)).toEqual(['rejected', 'created']);
    expect(en.body.items[0]).toMatchObject({
      actor: { kind: 'staff', organization: 'serviceontario', role: 'comms' },
    });
    expect(en.body.items[0].details.reason).toBe('Wrong date; call [PHONE]');
    const fr = await call(app, 'GET', `/api/campaigns/${c.id}/audit`, t.sc, undefined, 'fr');
    expect(fr.body.items[0].summary).toMatch(/a refusé la campagne/);
    const global = await call(app, 'GET', '/api/campaigns/audit', t.sc);
    expect(global.status).toBe(200);
  });
});

describe('recurring posts', () => {
  it('shows the next occurrence in Toronto time, and keeps the recurrence in its time zone', async () => {
    const c = await create(
      campaign([
        post({ publishAt: '2099-03-05T09:00', repeat: { pattern: '0 9 * * *', count: 5 } }),
      ]),
    );
    expect(c.posts[0]).toMatchObject({
      repeat: { pattern: '0 9 * * *', timeZone: 'America/Toronto', count: 5, until: null },
      nextOccurrenceAt: null,
    });
    const approved = await call(app, 'POST', `/api/campaigns/${c.id}/approve`, t.sc);
    expect(approved.body.posts[0].nextOccurrenceAt).toBe('2099-03-05T09:00:00.000-05:00');
  });
});
