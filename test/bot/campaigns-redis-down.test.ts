import { getJson, startTestApp, TestApp } from '../helpers/app';
import { call, campaign, inMs, post, staffTokens, waitFor } from '../helpers/campaigns';
import { OwnRedis } from '../helpers/redis-server';

let redis: OwnRedis;
let app: TestApp;
beforeAll(async () => {
  redis = await OwnRedis.start();
  app = await startTestApp({ REDIS_URL: redis.url, CAMPAIGN_RECONCILE_SECONDS: '1' });
});
afterAll(async () => {
  await app.close();
  await redis.dispose();
});

it('answers 503 while Redis is down, keeps the rest working, and publishes late when Redis is back', async () => {
  // Redis is up at first: on a loaded machine the app's first connection can take a few seconds.
  await waitFor(
    async () => (await getJson(`${app.baseUrl}/readyz`)).body.redis === 'ok',
    15000,
    'readyz to see Redis up',
  );
  const t = await staffTokens(app);
  const created = await call(
    app,
    'POST',
    '/api/campaigns',
    t.sc,
    campaign([post({ publishAt: inMs(2500) })]),
  );
  expect(created.status).toBe(201);
  expect(
    (await call(app, 'POST', `/api/campaigns/${created.body.id}/approve`, t.sc)).body.status,
  ).toBe('scheduled');

  await redis.stop();
  await waitFor(
    async () => (await getJson(`${app.baseUrl}/readyz`)).body.redis === 'down',
    5000,
    'readyz to see Redis down',
  );
  const en = await call(app, 'POST', '/api/campaigns', t.sc, campaign());
  expect(en.status).toBe(503);
  expect(en.headers.get('retry-after')).toBe('30');
  expect(en.body.error.code).toBe('campaigns_unavailable');
  expect(en.body.error.message).toMatch(/Redis/);
  const fr = await call(app, 'GET', `/api/campaigns/${created.body.id}`, t.sc, undefined, 'fr');
  expect(fr.status).toBe(503);
  expect(fr.body.error.message).toMatch(/indisponibles/);
  expect((await getJson(`${app.baseUrl}/api/lookup?q=passport`)).status).toBe(200);
  expect((await getJson(`${app.baseUrl}/readyz`)).status).toBe(200);

  // Due while Redis is down: nothing goes out, nothing is lost.
  await new Promise((r) => setTimeout(r, 3000));
  const postId = created.body.posts[0].id;
  const stored = () =>
    app.db.prepare('SELECT status, lateness_ms FROM campaign_posts WHERE id = ?').get(postId) as {
      status: string;
      lateness_ms: number | null;
    };
  expect(stored().status).toBe('scheduled');

  // Redis comes back empty (no persistence): the reconciler re-adds the job from SQLite.
  await redis.start();
  await waitFor(() => stored().status === 'published', 20_000, 'the late publication');
  expect(stored().lateness_ms).toBeGreaterThan(1000);
  const outbox = await waitFor(
    async () => {
      const r = await call(app, 'GET', '/api/outbox');
      return r.status === 200 && r.body;
    },
    10_000,
    'campaign endpoints to answer again',
  );
  expect(outbox.items).toHaveLength(2);
});
