import { UnrecoverableError } from 'bullmq';
import { deliveryKey } from '../../campaigns/deliveries';
import { Credentials } from '../../campaigns/publishers/credentials';
import { createPublishers } from '../../campaigns/publishers/index';
import { PublishError } from '../../campaigns/publishers/publisher';
import { PublishRunner } from '../../campaigns/publish-runner';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { draftPost, memoryStore, scheduledCampaign } from '../helpers/campaign-store';
import { rejection } from '../helpers/campaigns';
import { PlatformServer, startPlatform } from '../helpers/platform-server';

let x: PlatformServer;
let env: ReturnType<typeof memoryStore>;
let runner: PublishRunner;
beforeAll(async () => {
  x = await startPlatform(() => ({
    status: 201,
    body: { data: { id: String(x.requests.length) } },
  }));
});
afterAll(() => x.close());
beforeEach(() => {
  x.requests.length = 0;
  x.handle(() => ({ status: 201, body: { data: { id: `tw-${x.requests.length}` } } }));
  env = memoryStore();
  const config = loadConfig({ CAMPAIGN_X_API_URL: x.url, CAMPAIGN_HTTP_TIMEOUT_MS: '2000' });
  const credentials = Credentials.from({ 'service-canada': { x: { accessToken: 'token' } } });
  const publishers = createPublishers({ config, db: env.db, credentials });
  runner = new PublishRunner({
    ...env,
    publishers,
    scheduler: null,
    blackouts: [],
    logger: createLogger('silent'),
  });
});

const job = (attemptsMade = 0, maxAttempts = 3) => ({ attemptsMade, maxAttempts });
const outboxRows = () =>
  (
    env.db.prepare('SELECT language FROM campaign_outbox ORDER BY language').all() as {
      language: string;
    }[]
  ).map((r) => r.language);
const failure = (p: Promise<unknown>) => rejection(p);

describe('publishing a due post', () => {
  it('delivers both languages once, and a second run of the same job does nothing', async () => {
    const [post] = scheduledCampaign(env.store, [draftPost({ at: Date.now() - 50 })]).posts;
    expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('published');
    expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('finished');
    expect(outboxRows()).toEqual(['en', 'fr']);
    const done = env.store.getPost(post.id)!;
    expect(done).toMatchObject({
      status: 'published',
      attempts: 1,
      externalIds: { en: expect.any(String), fr: expect.any(String) },
    });
    expect(done.latenessMs).toBeGreaterThanOrEqual(50);
  });

  it('ignores a job for an older version of the post', async () => {
    const [post] = scheduledCampaign(env.store, [
      draftPost({ channel: 'x', at: Date.now() - 50 }),
    ]).posts;
    expect(await runner.run({ postId: post.id, version: post.version - 1 }, job())).toBe('stale');
    expect(x.requests).toHaveLength(0);
  });

  it('holds posts while everything is paused', async () => {
    const [post] = scheduledCampaign(env.store, [draftPost({ at: Date.now() - 50 })]).posts;
    env.store.setSetting(
      'paused_all',
      JSON.stringify({ at: new Date().toISOString(), reason: null }),
    );
    expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('paused');
    expect(outboxRows()).toEqual([]);
  });
});

describe('a recurring post', () => {
  it('publishes each occurrence once, stays scheduled between them, and ends at its count', async () => {
    const start = Date.now() - 120_000;
    const repeat = { pattern: '* * * * *', timeZone: 'America/Toronto', until: null, count: 2 };
    const [post] = scheduledCampaign(env.store, [draftPost({ at: start, repeat })]).posts;
    const first = Math.ceil(start / 60_000) * 60_000;
    const data = { postId: post.id, version: post.version };
    expect(await runner.run(data, { ...job(), prevMillis: first })).toBe('published');
    expect(env.store.getPost(post.id)).toMatchObject({ status: 'scheduled', occurrences: 1 });
    expect(await runner.run(data, { ...job(), prevMillis: first })).toBe('finished');
    expect(outboxRows()).toEqual(['en', 'fr']);
    expect(await runner.run(data, { ...job(), prevMillis: first + 60_000 })).toBe('published');
    expect(env.store.getPost(post.id)).toMatchObject({ status: 'published', occurrences: 2 });
    expect(outboxRows()).toEqual(['en', 'en', 'fr', 'fr']);
  });
});

describe('a worker killed mid-publish', () => {
  it('finds the outbox delivery that went through and does not store it twice', async () => {
    const [post] = scheduledCampaign(env.store, [draftPost({ at: Date.now() - 50 })]).posts;
    // The dead worker had claimed the English delivery and written it, but not recorded the success.
    const key = deliveryKey(post.id, 'once', 'en');
    env.deliveries.claim(key, post.id, 'once', 'en', new Date().toISOString());
    env.db
      .prepare(
        `INSERT INTO campaign_outbox (delivery_key, post_id, campaign_id, account, language, text, scheduled_at, published_at)
      VALUES (?, ?, ?, 'service-canada', 'en', 'Renew online', ?, ?)`,
      )
      .run(key, post.id, post.campaignId, post.publishAt, new Date().toISOString());
    expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('published');
    expect(outboxRows()).toEqual(['en', 'fr']);
    expect(env.deliveries.get(key)?.state).toBe('succeeded');
  });

  it('never calls X again when the earlier call may have gone through, and says so', async () => {
    const [post] = scheduledCampaign(env.store, [
      draftPost({ channel: 'x', at: Date.now() - 50 }),
    ]).posts;
    env.deliveries.claim(
      deliveryKey(post.id, 'once', 'en'),
      post.id,
      'once',
      'en',
      new Date().toISOString(),
    );
    const err = await failure(runner.run({ postId: post.id, version: post.version }, job()));
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(x.requests).toHaveLength(0);
    expect(env.store.getPost(post.id)).toMatchObject({
      status: 'failed',
      error: { code: 'outcome_unknown', language: 'en' },
    });
  });
});

describe('platform errors', () => {
  it('retries a 503 and publishes on the next try, without sending the delivered language again', async () => {
    const [post] = scheduledCampaign(env.store, [
      draftPost({ channel: 'x', at: Date.now() - 50 }),
    ]).posts;
    x.handle((req) =>
      (req.json as { text: string }).text === 'Renouvelez en ligne' && x.requests.length === 2
        ? { status: 503, body: { title: 'Service Unavailable' } }
        : { status: 201, body: { data: { id: `tw-${x.requests.length}` } } },
    );
    const err = await failure(runner.run({ postId: post.id, version: post.version }, job(0)));
    expect(err).toBeInstanceOf(PublishError);
    expect(env.store.getPost(post.id)).toMatchObject({
      status: 'publishing',
      error: { code: 'platform_error', status: 503 },
    });
    expect(await runner.run({ postId: post.id, version: post.version }, job(1))).toBe('published');
    expect(x.requests.map((r) => (r.json as { text: string }).text)).toEqual([
      'Renew online',
      'Renouvelez en ligne',
      'Renouvelez en ligne',
    ]);
    expect(env.store.getPost(post.id)).toMatchObject({
      status: 'published',
      attempts: 2,
      error: null,
      externalIds: { en: 'tw-1', fr: 'tw-3' },
    });
  });

  it('stops retrying a post whose campaign was cancelled meanwhile', async () => {
    const [post] = scheduledCampaign(env.store, [
      draftPost({ channel: 'x', at: Date.now() - 50 }),
    ]).posts;
    x.handle(() => ({ status: 503, body: 'unavailable' }));
    await failure(runner.run({ postId: post.id, version: post.version }, job(0)));
    env.store.setCampaign(post.campaignId, { status: 'cancelled' }, new Date().toISOString());
    expect(await runner.run({ postId: post.id, version: post.version }, job(1))).toBe(
      'not-scheduled',
    );
    expect(env.store.getPost(post.id)?.status).toBe('cancelled');
    expect(x.requests).toHaveLength(1);
  });

  it('fails at once on 401 with the platform reason, and on the last try of a 5xx', async () => {
    const [a, b] = scheduledCampaign(env.store, [
      draftPost({ channel: 'x', at: Date.now() - 50 }),
      draftPost({ channel: 'x', at: Date.now() - 50 }),
    ]).posts;
    x.handle(() => ({
      status: 401,
      body: { title: 'Unauthorized', detail: 'Unauthorized: token expired' },
    }));
    expect(await failure(runner.run({ postId: a.id, version: a.version }, job(0)))).toBeInstanceOf(
      UnrecoverableError,
    );
    expect(env.store.getPost(a.id)).toMatchObject({
      status: 'failed',
      error: { code: 'platform_rejected', status: 401, reason: 'Unauthorized: token expired' },
    });
    x.handle(() => ({ status: 502, body: 'Bad Gateway' }));
    expect(
      await failure(runner.run({ postId: b.id, version: b.version }, job(2, 3))),
    ).toBeInstanceOf(UnrecoverableError);
    expect(env.store.getPost(b.id)).toMatchObject({ status: 'failed', error: { status: 502 } });
    const actions = env.audit.list({ campaignId: a.campaignId, limit: 10 }).map((e) => e.action);
    expect(actions.filter((action) => action === 'failed')).toHaveLength(2);
  });
});
