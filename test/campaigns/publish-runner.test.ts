import { UnrecoverableError } from 'bullmq';
import { WebhookAlerts } from '../../campaigns/alerts';
import { DeliveryLog, deliveryKey } from '../../campaigns/deliveries';
import { Credentials } from '../../campaigns/publishers/credentials';
import { createPublishers } from '../../campaigns/publishers/index';
import { MAX_FEED_PAGES } from '../../campaigns/publishers/matching';
import { PublishError } from '../../campaigns/publishers/publisher';
import { XPublisher } from '../../campaigns/publishers/x';
import { PublishRunner } from '../../campaigns/publish-runner';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import type { Engine } from '../../lib/database';
import { draftPost, scheduledCampaign, testStore } from '../helpers/campaign-store';
import { ENGINES } from '../helpers/databases';
import { rejection } from '../helpers/campaigns';
import { ACCOUNTS, CREDENTIALS, FakeX, startFakes, type Fakes } from '../helpers/fake-platforms';
import { PlatformServer, signedWith, startPlatform } from '../helpers/platform-server';

let fakes: Fakes;
let x: FakeX;
let alerts: PlatformServer;
let env: Awaited<ReturnType<typeof testStore>>;
/** The engine of the describe block running (both run every test). */
let currentEngine: Engine = 'sqlite';
let runner: PublishRunner;

/** A runner over the fakes; `feedSettleMs` is how long a post in doubt is awaited in the feed. */
function makeRunner(feedSettleMs = 0, timeoutMs = 1000) {
  const config = loadConfig({ ...fakes.env, CAMPAIGN_HTTP_TIMEOUT_MS: String(timeoutMs) });
  const publishers = createPublishers({
    config,
    database: env.database,
    credentials: Credentials.from(CREDENTIALS),
  });
  const logger = createLogger('silent');
  return new PublishRunner({
    ...env,
    publishers,
    scheduler: null,
    blackouts: [],
    logger,
    alerts: new WebhookAlerts(alerts.url, 'alert-secret', logger),
    feedSettleMs,
  });
}

beforeAll(async () => {
  alerts = await startPlatform(() => ({ status: 204 }));
});
afterAll(() => alerts.close());
beforeEach(async () => {
  fakes = await startFakes();
  x = fakes.x;
  alerts.requests.length = 0;
  env = await testStore(currentEngine);
  runner = makeRunner();
});
afterEach(async () => {
  await fakes.close();
  await env.close();
});

const xPost = (o: Parameters<typeof draftPost>[0] = {}) =>
  draftPost({ channel: 'x', at: Date.now() - 50, ...o });

const job = (attemptsMade = 0, maxAttempts = 3) => ({ attemptsMade, maxAttempts });
const outboxRows = async () =>
  (
    await env.store.db
      .selectFrom('campaign_outbox')
      .select('language')
      .orderBy('language')
      .execute()
  ).map((r) => r.language);
const failure = (p: Promise<unknown>) => rejection(p);

describe.each(ENGINES)('the publish runner (%s)', (engine) => {
  beforeAll(() => {
    currentEngine = engine;
  });

  describe('publishing a due post', () => {
    it('delivers both languages once, and a second run of the same job does nothing', async () => {
      const [post] = (await scheduledCampaign(env.store, [draftPost({ at: Date.now() - 50 })]))
        .posts;
      const succeed = jest.spyOn(DeliveryLog.prototype, 'succeed');
      const succeedAll = jest.spyOn(DeliveryLog.prototype, 'succeedAll');
      expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('published');
      expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('finished');
      // Not marked one by one: both in one statement, in the transaction that marks the post published.
      expect(succeed).not.toHaveBeenCalled();
      expect(succeedAll).toHaveBeenCalledTimes(1);
      succeed.mockRestore();
      succeedAll.mockRestore();
      expect(await outboxRows()).toEqual(['en', 'fr']);
      const done = (await env.store.getPost(post.id))!;
      expect(done).toMatchObject({
        status: 'published',
        attempts: 1,
        externalIds: { en: expect.any(String), fr: expect.any(String) },
      });
      expect(done.latenessMs).toBeGreaterThanOrEqual(50);
      // Both deliveries marked succeeded with the post (one transaction), with the platform's ids.
      expect(
        (await env.deliveries.forPost(post.id)).map((d) => [d.language, d.state, d.external_id]),
      ).toEqual([
        ['en', 'succeeded', done.externalIds!.en],
        ['fr', 'succeeded', done.externalIds!.fr],
      ]);
    });

    it('takes the due time from the job, reading the post only for a job that does not say it', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      const read = jest.spyOn(env.store, 'getPost');
      const data = { postId: post.id, version: post.version };
      expect(await runner.dueAt({ ...data, dueMs: 1234 })).toBe(1234);
      expect(read).not.toHaveBeenCalled();
      expect(await runner.dueAt(data)).toBe(post.publishAtMs);
      expect(read).toHaveBeenCalledTimes(1);
      expect(await runner.dueAt({ ...data, version: post.version - 1 })).toBeNull();
    });

    it('has both languages claimed and the post marked publishing, committed, before it calls the platform', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      const publish = XPublisher.prototype.publish;
      const seen: string[][] = [];
      const spy = jest.spyOn(XPublisher.prototype, 'publish').mockImplementation(async function (
        this: XPublisher,
        d,
      ) {
        // The other language's call may have gone through already.
        const rows = await env.deliveries.forPost(post.id);
        seen.push([
          (await env.store.getPost(post.id))!.status,
          ...rows
            .map((r) => `${r.language} ${r.state === 'succeeded' ? 'started' : r.state}`)
            .sort(),
        ]);
        return publish.call(this, d);
      });
      try {
        expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe(
          'published',
        );
      } finally {
        spy.mockRestore();
      }
      expect(seen).toEqual([
        ['publishing', 'en started', 'fr started'],
        ['publishing', 'en started', 'fr started'],
      ]);
    });

    it('ignores a job for an older version of the post', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      expect(await runner.run({ postId: post.id, version: post.version - 1 }, job())).toBe('stale');
      expect(x.received).toHaveLength(0);
    });

    it('sends nothing when the post moves to another version just before its delivery is claimed', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      const transaction = env.store.transaction.bind(env.store);
      // Another machine renews the post (a reconciler) between this job's check and its claim
      // (the job's first transaction).
      jest.spyOn(env.store, 'transaction').mockImplementationOnce(async (fn) => {
        await env.store.patchPost(post.id, { version: post.version + 1 });
        return transaction(fn);
      });
      expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('stale');
      expect(x.received.filter((r) => r.path === '/2/tweets')).toHaveLength(0);
      expect(await env.deliveries.forPost(post.id)).toEqual([]);
    });

    it('holds posts while everything is paused', async () => {
      const [post] = (await scheduledCampaign(env.store, [draftPost({ at: Date.now() - 50 })]))
        .posts;
      await env.store.setSetting(
        'paused_all',
        JSON.stringify({ at: new Date().toISOString(), reason: null }),
      );
      expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('paused');
      expect(await outboxRows()).toEqual([]);
    });
  });

  describe('a recurring post', () => {
    it('publishes each occurrence once, stays scheduled between them, and ends at its count', async () => {
      const start = Date.now() - 120_000;
      const repeat = { pattern: '* * * * *', timeZone: 'America/Toronto', until: null, count: 2 };
      const [post] = (await scheduledCampaign(env.store, [draftPost({ at: start, repeat })])).posts;
      const first = Math.ceil(start / 60_000) * 60_000;
      const data = { postId: post.id, version: post.version };
      expect(await runner.run(data, { ...job(), prevMillis: first })).toBe('published');
      expect(await env.store.getPost(post.id)).toMatchObject({
        status: 'scheduled',
        occurrences: 1,
      });
      expect(await runner.run(data, { ...job(), prevMillis: first })).toBe('finished');
      expect(await outboxRows()).toEqual(['en', 'fr']);
      expect(await runner.run(data, { ...job(), prevMillis: first + 60_000 })).toBe('published');
      expect(await env.store.getPost(post.id)).toMatchObject({
        status: 'published',
        occurrences: 2,
      });
      expect(await outboxRows()).toEqual(['en', 'en', 'fr', 'fr']);
    });
  });

  describe('a worker killed mid-publish', () => {
    it('finds the outbox delivery that went through and does not store it twice', async () => {
      const [post] = (await scheduledCampaign(env.store, [draftPost({ at: Date.now() - 50 })]))
        .posts;
      // The dead worker had claimed the English delivery and written it, but not recorded the success.
      const key = deliveryKey(post.id, 'once', 'en');
      await env.deliveries.claim(key, post.id, 'once', 'en', new Date().toISOString());
      await env.store.db
        .insertInto('campaign_outbox')
        .values({
          delivery_key: key,
          post_id: post.id,
          campaign_id: post.campaignId,
          account: 'service-canada',
          language: 'en',
          text: 'Renew online',
          scheduled_at: post.publishAt!,
          published_at: new Date().toISOString(),
        })
        .execute();
      expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('published');
      expect(await outboxRows()).toEqual(['en', 'fr']);
      expect((await env.deliveries.get(key))?.state).toBe('succeeded');
    });

    it('finds the post X stored before the worker died, and records it without posting again', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      const key = deliveryKey(post.id, 'once', 'en');
      await env.deliveries.claim(key, post.id, 'once', 'en', new Date().toISOString());
      // The dead worker's call reached X, which stored the post.
      await fetch(`${x.url}/2/tweets`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ACCOUNTS.x.en.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ text: 'Renew online' }),
      });
      expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('published');
      expect(x.postsWith('Renew online')).toHaveLength(1);
      expect(x.duplicates()).toBe(0);
      expect((await env.store.getPost(post.id))?.externalIds?.en).toBe(
        x.postsWith('Renew online')[0].id,
      );
    });

    it('posts a delivery whose worker died before X stored anything, once the feed had time to show it', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      await env.deliveries.claim(
        deliveryKey(post.id, 'once', 'en'),
        post.id,
        'once',
        'en',
        new Date().toISOString(),
      );
      expect(await runner.run({ postId: post.id, version: post.version }, job())).toBe('published');
      expect(x.posts.map((p) => p.sentText).sort()).toEqual([
        'Renew online',
        'Renouvelez en ligne',
      ]);
    });
  });

  describe('an outcome in doubt (timeout, reset, 5xx)', () => {
    /** A scheduled X post whose first create is accepted then times out, and a runner for it. */
    const timedOutOnce = async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      x.script(({ operation, seen, text }) =>
        operation === 'create' && text === 'Renew online' && seen === 0
          ? { kind: 'accept-then-timeout' }
          : null,
      );
      runner = makeRunner(0, 300);
      return post;
    };

    it('is looked for in the timeline before any retry: found, it is recorded with X’s id, not posted again', async () => {
      const post = await timedOutOnce();
      const err = await failure(runner.run({ postId: post.id, version: post.version }, job(0)));
      expect(err).toMatchObject({ code: 'network', ambiguous: true });
      expect((await env.deliveries.get(deliveryKey(post.id, 'once', 'en')))?.state).toBe(
        'uncertain',
      );
      expect(await runner.run({ postId: post.id, version: post.version }, job(1))).toBe(
        'published',
      );
      expect(x.postsWith('Renew online')).toHaveLength(1);
      expect(x.duplicates()).toBe(0);
      expect(await env.store.getPost(post.id)).toMatchObject({
        status: 'published',
        externalIds: { en: x.postsWith('Renew online')[0].id },
      });
    });

    it.each([
      [250, 'published'],
      [MAX_FEED_PAGES * 100 + 100, 'still in doubt'],
    ])(
      'reads the timeline back past %i newer posts: %s, never posted twice',
      async (newer, outcome) => {
        const post = await timedOutOnce();
        await failure(runner.run({ postId: post.id, version: post.version }, job(0)));
        // The post went out 4 s ago (within the clock skew of the first attempt); others since.
        const sent = x.postsWith('Renew online')[0];
        sent.createdAt = Date.now() - 4000;
        for (let i = 0; i < newer; i += 1)
          x.store({
            account: ACCOUNTS.x.en.id,
            text: `Other ${i}`,
            sentText: `Other ${i}`,
            media: [],
            refersTo: null,
            kind: 'post',
          }).createdAt = sent.createdAt + 1 + i;
        const retry = runner.run({ postId: post.id, version: post.version }, job(1));
        if (outcome === 'published') {
          expect(await retry).toBe('published');
          expect((await env.store.getPost(post.id))?.externalIds?.en).toBe(sent.id);
        } else {
          expect(await failure(retry)).toMatchObject({ code: 'reconcile_failed' });
          expect((await env.deliveries.get(deliveryKey(post.id, 'once', 'en')))?.state).toBe(
            'uncertain',
          );
        }
        expect(x.postsWith('Renew online')).toHaveLength(1);
        expect(x.duplicates()).toBe(0);
      },
    );

    it('is sent again when the feed does not show it after the settle time, and not before', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      x.script(({ operation, seen, text }) =>
        operation === 'create' && text === 'Renew online' && seen === 0
          ? { kind: 'server-error', status: 503 }
          : null,
      );
      runner = makeRunner(3_600_000);
      await failure(runner.run({ postId: post.id, version: post.version }, job(0)));
      const waiting = (await failure(
        runner.run({ postId: post.id, version: post.version }, job(1)),
      )) as PublishError;
      expect(waiting).toMatchObject({ code: 'reconcile_pending' });
      expect(waiting.retryAfterMs).toBeGreaterThan(3_500_000);
      expect(x.posts.map((p) => p.sentText)).toEqual(['Renouvelez en ligne']);
      runner = makeRunner(0);
      expect(await runner.run({ postId: post.id, version: post.version }, job(2, 5))).toBe(
        'published',
      );
      expect(x.posts.map((p) => p.sentText)).toEqual(['Renouvelez en ligne', 'Renew online']);
      expect(x.duplicates()).toBe(0);
    });

    it('waits for a feed that shows posts late; one later than the settle time makes it post twice (the documented limit)', async () => {
      const li = fakes.linkedin;
      li.feedDelayMs = 60_000;
      li.script(({ operation, seen, text }) =>
        operation === 'create' && text === 'Renew online' && seen === 0
          ? { kind: 'accept-then-timeout' }
          : null,
      );
      const [post] = (
        await scheduledCampaign(env.store, [
          draftPost({ channel: 'linkedin', at: Date.now() - 50 }),
        ])
      ).posts;
      runner = makeRunner(3_600_000, 300);
      await failure(runner.run({ postId: post.id, version: post.version }, job(0, 5)));
      expect(
        await failure(runner.run({ postId: post.id, version: post.version }, job(1, 5))),
      ).toMatchObject({
        code: 'reconcile_pending',
      });
      expect(li.duplicates()).toBe(0);
      runner = makeRunner(0, 300);
      expect(await runner.run({ postId: post.id, version: post.version }, job(2, 5))).toBe(
        'published',
      );
      expect(li.postsWith('Renew online')).toHaveLength(2);
      expect(li.duplicates()).toBe(1);
    });

    it('is never sent again while the timeline cannot be read; the last try fails it and alerts', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      x.script(({ operation, seen }) =>
        operation === 'read'
          ? { kind: 'server-error', status: 503 }
          : seen === 0
            ? { kind: 'accept-then-reset' }
            : null,
      );
      await failure(runner.run({ postId: post.id, version: post.version }, job(0, 3)));
      expect(
        await failure(runner.run({ postId: post.id, version: post.version }, job(1, 3))),
      ).toMatchObject({
        code: 'reconcile_failed',
      });
      expect(
        await failure(runner.run({ postId: post.id, version: post.version }, job(2, 3))),
      ).toBeInstanceOf(UnrecoverableError);
      expect(x.postsWith('Renew online')).toHaveLength(1);
      expect(x.duplicates()).toBe(0);
      expect(await env.store.getPost(post.id)).toMatchObject({
        status: 'failed',
        error: { code: 'reconcile_failed', language: 'en' },
      });
      expect((await env.deliveries.get(deliveryKey(post.id, 'once', 'en')))?.state).toBe(
        'uncertain',
      );
      expect(alerts.requests).toHaveLength(1);
      const alert = alerts.requests[0];
      expect(alert.json).toMatchObject({
        type: 'campaign.alert',
        code: 'reconcile_failed',
        postId: post.id,
        channel: 'x',
        language: 'en',
      });
      expect(signedWith('alert-secret', alert)).toBe(true);
    });
  });

  describe('platform errors', () => {
    it('retries a 503 and publishes on the next try, without sending the delivered language again', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      x.script(({ operation, text, seen }) =>
        operation === 'create' && text === 'Renouvelez en ligne' && seen === 0
          ? { kind: 'server-error', status: 503 }
          : null,
      );
      const err = await failure(runner.run({ postId: post.id, version: post.version }, job(0)));
      expect(err).toBeInstanceOf(PublishError);
      expect(await env.store.getPost(post.id)).toMatchObject({
        status: 'publishing',
        error: { code: 'platform_error', status: 503 },
      });
      // The language that went out is marked succeeded with the retry's error (one transaction).
      expect(await env.deliveries.get(deliveryKey(post.id, 'once', 'en'))).toMatchObject({
        state: 'succeeded',
        external_id: x.postsWith('Renew online')[0].id,
      });
      expect(await runner.run({ postId: post.id, version: post.version }, job(1))).toBe(
        'published',
      );
      const creates = x.received.filter((r) => r.path === '/2/tweets');
      expect(creates.map((r) => (r.json as { text: string }).text)).toEqual([
        'Renew online',
        'Renouvelez en ligne',
        'Renouvelez en ligne',
      ]);
      expect(await env.store.getPost(post.id)).toMatchObject({
        status: 'published',
        attempts: 2,
        error: null,
        externalIds: {
          en: x.postsWith('Renew online')[0].id,
          fr: x.postsWith('Renouvelez en ligne')[0].id,
        },
      });
    });

    it('stops retrying a post whose campaign was cancelled meanwhile', async () => {
      const [post] = (await scheduledCampaign(env.store, [xPost()])).posts;
      x.script(() => ({ kind: 'rate-limit', resetAfterSec: 60 }));
      await failure(runner.run({ postId: post.id, version: post.version }, job(0)));
      await env.store.setCampaign(
        post.campaignId,
        { status: 'cancelled' },
        new Date().toISOString(),
      );
      expect(await runner.run({ postId: post.id, version: post.version }, job(1))).toBe(
        'not-scheduled',
      );
      expect((await env.store.getPost(post.id))?.status).toBe('cancelled');
      // One try per language (they go out side by side), none after the cancellation.
      expect(x.received).toHaveLength(2);
    });

    it('fails at once on 401 with the platform reason, and on the last try of a 5xx', async () => {
      const [a, b] = (
        await scheduledCampaign(env.store, [xPost(), xPost({ text: { en: 'Other', fr: 'Autre' } })])
      ).posts;
      x.expireToken(ACCOUNTS.x.en.token, Date.now() - 1);
      expect(
        await failure(runner.run({ postId: a.id, version: a.version }, job(0))),
      ).toBeInstanceOf(UnrecoverableError);
      expect(await env.store.getPost(a.id)).toMatchObject({
        status: 'failed',
        error: { code: 'platform_rejected', status: 401, reason: 'Unauthorized' },
      });
      expect(alerts.requests.map((r) => (r.json as { code: string }).code)).toEqual([
        'platform_rejected',
      ]);
      x.expireToken(ACCOUNTS.x.en.token, Date.now() + 3_600_000);
      x.script(() => ({ kind: 'server-error', status: 502 }));
      expect(
        await failure(runner.run({ postId: b.id, version: b.version }, job(2, 3))),
      ).toBeInstanceOf(UnrecoverableError);
      expect(await env.store.getPost(b.id)).toMatchObject({
        status: 'failed',
        error: { status: 502 },
      });
      const actions = (await env.audit.list({ campaignId: a.campaignId, limit: 10 })).map(
        (e) => e.action,
      );
      expect(actions.filter((action) => action === 'failed')).toHaveLength(2);
    });
  });
});
