import type { JobsOptions, Queue } from 'bullmq';
import { parseExpression } from 'cron-parser';
import type { Logger } from '../lib/logger';
import type { PostRecord } from './model';
import type { CampaignStore } from './store';

export const PUBLISH_QUEUE = 'campaign-publish';

/**
 * Jobs wake the worker this long before a post is due; the worker then waits for the exact moment
 * with a local timer. Redis ends a blocking wait only at its own tick (`hz`, 100 ms by default), so a
 * job woken exactly on time would go out 50 ms late on average, and up to 100 ms.
 */
export const WAKE_EARLY_MS = 250;
export const PUBLISH_JOB = 'publish';

export interface PublishJobData {
  postId: string;
  /** The post's version when the job was added: a job for an older version is stale and does nothing. */
  version: number;
  /** A recurring post's occurrence (epoch ms) published late after Redis lost its scheduler. */
  occurrence?: number;
  /**
   * When a one-off post is due (epoch ms), as it was at `version` (a new time is a new version):
   * the worker waits for it without reading the post first. Absent from jobs added before it was.
   */
  dueMs?: number;
}

export interface SchedulerOptions {
  attempts: number;
  retryBaseMs: number;
}

/** One post, one job, one id: the same post and version always give the same id, so adding twice adds once. */
export const jobId = (post: Pick<PostRecord, 'id' | 'version'>) =>
  `post-${post.id}-v${post.version}`;
export const schedulerId = (post: Pick<PostRecord, 'id'>) => `post-${post.id}`;

/** The occurrences of a recurring post after `afterMs` (at most `max`), read in its time zone. */
export function nextOccurrences(
  post: Pick<PostRecord, 'repeat' | 'publishAtMs'>,
  afterMs: number,
  max: number,
): number[] {
  if (!post.repeat || post.publishAtMs === null) return [];
  const interval = parseExpression(post.repeat.pattern, {
    tz: post.repeat.timeZone,
    currentDate: new Date(Math.max(afterMs, post.publishAtMs - 1)),
    endDate: post.repeat.until ? new Date(post.repeat.until) : undefined,
  });
  const out: number[] = [];
  while (out.length < max && interval.hasNext()) out.push(interval.next().getTime());
  return out;
}

/**
 * Adds, moves and removes the BullMQ jobs that wake the worker when a post is due. The database says what
 * should be scheduled; this makes Redis agree, and `reconcile` repairs Redis when it lost jobs.
 */
export class CampaignScheduler {
  constructor(
    readonly queue: Queue,
    private readonly store: CampaignStore,
    private readonly options: SchedulerOptions,
    private readonly logger: Logger,
  ) {}

  private jobOptions(): JobsOptions {
    return {
      attempts: this.options.attempts,
      backoff: { type: 'platform', delay: this.options.retryBaseMs },
      removeOnComplete: { age: 7 * 86_400, count: 100_000 },
      removeOnFail: { age: 30 * 86_400 },
    };
  }

  /** Adds the post's job (a delayed job, or a job scheduler for a recurring post). */
  async schedule(post: PostRecord, now = Date.now()): Promise<void> {
    if (post.publishAtMs === null) return;
    if (post.repeat) return this.scheduleRecurring(post, now);
    const data: PublishJobData = {
      postId: post.id,
      version: post.version,
      dueMs: post.publishAtMs,
    };
    await this.queue.add(PUBLISH_JOB, data, {
      ...this.jobOptions(),
      jobId: jobId(post),
      delay: Math.max(0, post.publishAtMs - WAKE_EARLY_MS - now),
    });
  }

  private async scheduleRecurring(post: PostRecord, now: number): Promise<void> {
    const repeat = post.repeat!;
    const remaining = repeat.count === null ? undefined : repeat.count - post.occurrences;
    if (remaining !== undefined && remaining <= 0) return;
    const data: PublishJobData = { postId: post.id, version: post.version };
    await this.queue.upsertJobScheduler(
      schedulerId(post),
      {
        pattern: repeat.pattern,
        tz: repeat.timeZone,
        // BullMQ takes the first match strictly after startDate: start just before the first publish time.
        startDate: new Date(Math.max(post.publishAtMs! - 1000, now)),
        endDate: repeat.until ? new Date(repeat.until) : undefined,
        limit: remaining,
      },
      { name: PUBLISH_JOB, data, opts: this.jobOptions() },
    );
  }

  /** Removes a post's job (for `version`, by default its current one) and its job scheduler. A running job is left: it sees the change and stops. */
  async unschedule(post: PostRecord, version = post.version): Promise<void> {
    if (post.repeat) await this.queue.removeJobScheduler(schedulerId(post));
    await this.queue.remove(jobId({ id: post.id, version }));
  }

  /**
   * Makes Redis hold a job for every post the database says is waiting: after a start, a Redis restart that
   * lost its data, or a job that ended without its post (a worker killed too often). A recurring
   * post's occurrence missed meanwhile is published late, once.
   */
  async reconcile(now = Date.now()): Promise<{ checked: number; added: number }> {
    if (await this.store.pausedAll()) return { checked: 0, added: 0 };
    const posts = await this.store.activePosts();
    let added = 0;
    const one = async (post: PostRecord) => {
      if (post.repeat) {
        const existing = await this.queue.getJobScheduler(schedulerId(post));
        if (
          existing &&
          (existing.template?.data as PublishJobData | undefined)?.version === post.version
        )
          return;
        await this.scheduleRecurring(post, now);
        await this.catchUp(post, now);
        added++;
        return;
      }
      const state = await this.queue.getJobState(jobId(post));
      if (state === 'unknown') {
        await this.schedule(post, now);
        added++;
      } else if (state === 'completed' || state === 'failed') {
        // The job ended but the post did not: give it a new version (and so a new job id), unless
        // another reconciler did first or a worker holds the post right now.
        if (!(await this.store.renew(post))) return;
        await this.schedule({ ...post, version: post.version + 1 }, now);
        added++;
      }
    };
    for (let i = 0; i < posts.length; i += 100) await Promise.all(posts.slice(i, i + 100).map(one));
    if (added) this.logger.info('campaign jobs restored', { checked: posts.length, added });
    return { checked: posts.length, added };
  }

  private async catchUp(post: PostRecord, now: number): Promise<void> {
    const last = post.publishedAt ? Date.parse(post.publishedAt) : post.publishAtMs! - 1;
    const missed = nextOccurrences(post, last, 1000).filter((t) => t <= now);
    const occurrence = missed[missed.length - 1];
    if (occurrence === undefined) return;
    const data: PublishJobData = { postId: post.id, version: post.version, occurrence };
    await this.queue.add(PUBLISH_JOB, data, {
      ...this.jobOptions(),
      jobId: `${jobId(post)}-o${occurrence}`,
    });
  }
}
