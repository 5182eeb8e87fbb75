import { BackoffStrategy, DelayedError, Job } from 'bullmq';
import { PublishError } from '../campaigns/publishers/publisher';
import { PUBLISH_QUEUE, PublishJobData, WAKE_EARLY_MS } from '../campaigns/scheduler';
import { DEFAULT_CAMPAIGN_WORKER_CONCURRENCY } from '../lib/config';
import type { ProcessorDefinition } from './worker-host';

const MAX_BACKOFF_MS = 60 * 60_000;
/** A job woken sooner than this before its post is due goes back to wait in Redis instead of holding a worker slot. */
const MAX_WAIT_IN_WORKER_MS = 5000;

/**
 * Exponential backoff for 5xx and network errors (base × 2^(try−1), ±20 %), and exactly the wait a
 * platform asked for on 429 (Retry-After, x-rate-limit-reset).
 */
export const platformBackoff: BackoffStrategy = (attemptsMade, _type, err, job) => {
  if (err instanceof PublishError && err.retryAfterMs !== null) return err.retryAfterMs;
  const base = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 2000;
  const delay = base * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(MAX_BACKOFF_MS, Math.round(delay * (0.8 + Math.random() * 0.4)));
};

/**
 * Publishes campaign posts when their job comes due, with the process's campaign runtime (built by
 * the bootstrap), whose reconciler re-adds the jobs Redis lost (on start, on reconnect, and every
 * CAMPAIGN_RECONCILE_SECONDS).
 */
export const campaignPublishProcessor: ProcessorDefinition = {
  queue: PUBLISH_QUEUE,
  concurrency: DEFAULT_CAMPAIGN_WORKER_CONCURRENCY,
  options: (config) => ({
    concurrency: config.CAMPAIGN_WORKER_CONCURRENCY,
    lockDuration: config.CAMPAIGN_LOCK_MS,
    stalledInterval: Math.max(1000, Math.round(config.CAMPAIGN_LOCK_MS / 2)),
    // A post held by killed workers is taken over several times before BullMQ gives up; the
    // reconciler then gives it a new job, and the idempotency log keeps it from going out twice.
    maxStalledCount: 5,
    settings: { backoffStrategy: platformBackoff },
  }),
  create(deps) {
    const runtime = deps.campaigns;
    if (!runtime)
      throw new Error(
        'the campaign publisher needs the campaign runtime (bootstrap campaigns: true)',
      );
    runtime.watch(deps.config.CAMPAIGN_RECONCILE_SECONDS * 1000);
    return async (job: Job<PublishJobData>, token?: string) => {
      // Jobs wake the worker a little early (WAKE_EARLY_MS): wait for the exact moment here. A job
      // says when its post is due (the run then reads the post once); an older job reads it.
      const due = await runtime.runner.dueAt(job.data, job.opts.prevMillis);
      const wait = due === null ? 0 : due - Date.now();
      if (wait > MAX_WAIT_IN_WORKER_MS && token) {
        await job.moveToDelayed(due! - WAKE_EARLY_MS, token);
        throw new DelayedError();
      }
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return runtime.runner.run(job.data, {
        attemptsMade: job.attemptsMade,
        maxAttempts: job.opts.attempts ?? 1,
        prevMillis: job.opts.prevMillis,
      });
    };
  },
};
