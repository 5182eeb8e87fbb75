import { Queue, Worker } from 'bullmq';
import {
  jobId,
  nextOccurrences,
  CampaignScheduler,
  PUBLISH_QUEUE,
  schedulerId,
} from '../../campaigns/scheduler';
import { campaignMetrics } from '../../campaigns/metrics';
import { formatInZone, zoneOffsetMinutes } from '../../campaigns/time';
import { queueConnection } from '../../lib/redis';
import { createLogger } from '../../lib/logger';
import type { Engine } from '../../lib/database';
import { draftPost, scheduledCampaign, testStore } from '../helpers/campaign-store';
import { ENGINES } from '../helpers/databases';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

const DAY = 86_400_000;

/** The next Toronto daylight-saving change after now (the first day whose offset differs from the day before). */
function nextDstChange(): number {
  let t = Date.now();
  const start = zoneOffsetMinutes(t, 'America/Toronto');
  while (zoneOffsetMinutes(t, 'America/Toronto') === start) t += 3_600_000;
  return t;
}

let prefix: string;
let queue: Queue;
let env: Awaited<ReturnType<typeof testStore>>;
/** The engine of the describe block running (both run every test). */
let currentEngine: Engine = 'sqlite';
let scheduler: CampaignScheduler;
beforeEach(async () => {
  prefix = uniquePrefix('sched');
  queue = new Queue(PUBLISH_QUEUE, { connection: queueConnection(TEST_REDIS_URL), prefix });
  env = await testStore(currentEngine);
  scheduler = new CampaignScheduler(
    queue,
    env.store,
    { attempts: 3, retryBaseMs: 100 },
    createLogger('silent'),
  );
});
afterEach(async () => {
  await queue.close();
  await deleteKeys(prefix);
  await env.close();
});

describe.each(ENGINES)('the scheduler (%s)', (engine) => {
  beforeAll(() => {
    currentEngine = engine;
  });

  describe('one delayed job per post', () => {
    it('uses a deterministic id, so adding twice adds once, delayed until the publish time', async () => {
      const [post] = (await scheduledCampaign(env.store, [draftPost({ at: Date.now() + 60_000 })]))
        .posts;
      await scheduler.schedule(post);
      await scheduler.schedule(post);
      const jobs = await queue.getDelayed();
      expect(jobs.map((j) => j.id)).toEqual([jobId(post)]);
      expect(jobs[0].id).toBe(`post-${post.id}-v${post.version}`);
      expect(jobs[0].timestamp + (jobs[0].opts.delay ?? 0)).toBeGreaterThan(
        post.publishAtMs! - 1000,
      );
      expect(jobs[0].opts).toMatchObject({
        attempts: 3,
        backoff: { type: 'platform', delay: 100 },
      });
      // The job says when its post is due: the worker waits for it without reading the post.
      expect(jobs[0].data).toEqual({
        postId: post.id,
        version: post.version,
        dueMs: post.publishAtMs,
      });
      expect(await campaignMetrics(env.store.db, queue)).toMatch(
        /^campaign_queue_jobs\{state="delayed"\} 1$/m,
      );
    });

    it('moves the job when the post is rescheduled, and removes it when cancelled', async () => {
      const [post] = (await scheduledCampaign(env.store, [draftPost()])).posts;
      await scheduler.schedule(post);
      const moved = { ...post, version: post.version + 1, publishAtMs: post.publishAtMs! + DAY };
      await scheduler.unschedule(post);
      await scheduler.schedule(moved);
      expect((await queue.getDelayed()).map((j) => j.id)).toEqual([
        `post-${post.id}-v${moved.version}`,
      ]);
      await scheduler.unschedule(moved);
      expect(await queue.getDelayedCount()).toBe(0);
    });
  });

  describe('recurring posts', () => {
    it('keeps 9:00 Toronto time on both sides of a daylight-saving change', async () => {
      const change = nextDstChange();
      const before = zoneOffsetMinutes(change - DAY, 'America/Toronto');
      const after = zoneOffsetMinutes(change + DAY, 'America/Toronto');
      const dayBefore = formatInZone(change - 2 * DAY).slice(0, 10);
      const first = Date.parse(`${dayBefore}T09:00:00${before === -240 ? '-04:00' : '-05:00'}`);
      const post = {
        repeat: { pattern: '0 9 * * *', timeZone: 'America/Toronto', until: null, count: null },
        publishAtMs: first,
      };
      const times = nextOccurrences(post, first - 1, 4);
      expect(times.map((t) => formatInZone(t).slice(11, 16))).toEqual([
        '09:00',
        '09:00',
        '09:00',
        '09:00',
      ]);
      const gaps = times.slice(1).map((t, i) => (t - times[i]) / 3_600_000);
      expect(gaps.sort()).toEqual([24, 24, 24 + (before - after) / 60].sort());

      // BullMQ's job scheduler computes the same instants with the same time zone.
      const [a] = (
        await scheduledCampaign(env.store, [draftPost({ repeat: post.repeat, at: times[0] })])
      ).posts;
      const [b] = (
        await scheduledCampaign(env.store, [draftPost({ repeat: post.repeat, at: times[3] })])
      ).posts;
      await scheduler.schedule(a);
      await scheduler.schedule(b);
      const sa = await queue.getJobScheduler(schedulerId(a));
      const sb = await queue.getJobScheduler(schedulerId(b));
      expect(sa).toMatchObject({ pattern: '0 9 * * *', tz: 'America/Toronto', next: times[0] });
      expect(sb?.next).toBe(times[3]);
      const delayed = await queue.getDelayed();
      expect(delayed.map((j) => j.id).sort()).toEqual(
        [`repeat:${schedulerId(a)}:${times[0]}`, `repeat:${schedulerId(b)}:${times[3]}`].sort(),
      );
    });

    it('stops after the count and before until', () => {
      const start = Date.parse('2027-01-04T09:00:00-05:00');
      const post = {
        repeat: {
          pattern: '0 9 * * 1',
          timeZone: 'America/Toronto',
          until: '2027-01-20T00:00:00-05:00',
          count: null,
        },
        publishAtMs: start,
      };
      expect(nextOccurrences(post, start - 1, 10).map((t) => formatInZone(t).slice(0, 10))).toEqual(
        ['2027-01-04', '2027-01-11', '2027-01-18'],
      );
    });
  });

  describe('reconcile', () => {
    it('re-adds the jobs Redis lost, from SQLite', async () => {
      const c = await scheduledCampaign(env.store, [
        draftPost(),
        draftPost({ at: Date.now() - 5000 }),
      ]);
      expect(await scheduler.reconcile()).toEqual({ checked: 2, added: 2 });
      expect(await scheduler.reconcile()).toEqual({ checked: 2, added: 0 });
      await queue.obliterate({ force: true });
      expect(await scheduler.reconcile()).toEqual({ checked: 2, added: 2 });
      const ids = [...(await queue.getDelayed()), ...(await queue.getWaiting())]
        .map((j) => j.id)
        .sort();
      expect(ids).toEqual(c.posts.map((p) => jobId(p)).sort());
    });

    it('gives a post whose job ended without it a new job id', async () => {
      const [post] = (await scheduledCampaign(env.store, [draftPost({ at: Date.now() - 1000 })]))
        .posts;
      await scheduler.schedule(post);
      // A job that completed while its post did not (say, skipped during a pause that was lifted since).
      const worker = new Worker(PUBLISH_QUEUE, async () => 'skipped', {
        connection: queueConnection(TEST_REDIS_URL),
        prefix,
      });
      await new Promise((resolve) => worker.once('completed', resolve));
      await worker.close();
      expect(await queue.getJobState(jobId(post))).toBe('completed');
      expect(await scheduler.reconcile()).toEqual({ checked: 1, added: 1 });
      const renewed = (await env.store.getPost(post.id))!;
      expect(renewed.version).toBe(post.version + 1);
      expect(await queue.getJobState(jobId(renewed))).toBe('waiting');
    });

    it('does nothing while everything is paused', async () => {
      await scheduledCampaign(env.store, [draftPost()]);
      await env.store.setSetting(
        'paused_all',
        JSON.stringify({ at: new Date().toISOString(), reason: null }),
      );
      expect(await scheduler.reconcile()).toEqual({ checked: 0, added: 0 });
    });
  });
});
