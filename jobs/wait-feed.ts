import { Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { parseWaitFeed } from '../knowledge/offices/feed';
import type { OfficeRegistry } from '../knowledge/offices/registry';
import type { WaitStore } from '../knowledge/offices/wait-store';
import type { ProcessorDefinition } from './worker-host';

export const WAIT_FEED_QUEUE = 'office-wait-feed';
const SCHEDULER_ID = 'poll-wait-feed';
const FETCH_TIMEOUT_MS = 10_000;
const MAX_FEED_BYTES = 5 * 1024 * 1024;

export interface FeedPollResult {
  recorded: number;
  duplicates: number;
  skipped: number;
  error?: string;
}

/**
 * Polls WAIT_FEED_URL once and records every valid report in the wait history. A feed that cannot
 * be fetched or read is logged and skipped: the job still completes, so the repeatable schedule and
 * the history are untouched.
 */
export async function pollWaitFeed(
  url: string,
  registry: OfficeRegistry,
  waits: WaitStore,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<FeedPollResult> {
  let payload: unknown;
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_FEED_BYTES) throw new Error('feed larger than 5 MB');
    payload = JSON.parse(text);
  } catch (err) {
    logger.warn('wait feed skipped', { url, err: (err as Error).message });
    return { recorded: 0, duplicates: 0, skipped: 0, error: (err as Error).message };
  }
  const parsed = parseWaitFeed(payload, registry, now());
  if (parsed.fatal) {
    logger.warn('wait feed skipped', { url, problem: parsed.fatal });
    return { recorded: 0, duplicates: 0, skipped: 0, error: parsed.fatal };
  }
  let recorded = 0;
  // A write that fails (database down) fails the job: the error is logged and the next poll retries.
  for (const report of parsed.reports) if (await waits.record(report, now())) recorded++;
  if (parsed.problems.length)
    logger.warn('wait feed reports skipped', {
      url,
      skipped: parsed.problems.length,
      problems: parsed.problems.slice(0, 10),
    });
  logger.info('wait feed polled', {
    recorded,
    duplicates: parsed.reports.length - recorded,
    skipped: parsed.problems.length,
  });
  return {
    recorded,
    duplicates: parsed.reports.length - recorded,
    skipped: parsed.problems.length,
  };
}

export const waitFeedProcessor: ProcessorDefinition = {
  queue: WAIT_FEED_QUEUE,
  concurrency: 1,
  create: ({ config, logger, offices }) => {
    if (!offices)
      throw new Error('the wait feed needs the office finder (bootstrap knowledge: records)');
    const { registry, waits } = offices;
    return async () =>
      config.WAIT_FEED_URL
        ? pollWaitFeed(config.WAIT_FEED_URL, registry, waits, logger)
        : { recorded: 0, duplicates: 0, skipped: 0 };
  },
};

/**
 * Registers (or, without WAIT_FEED_URL, removes) the repeatable poll. Idempotent: every start
 * upserts the same scheduler, so several instances never poll more often than the interval.
 */
export async function scheduleWaitFeed(
  config: Config,
  logger: Logger,
  connection: ConnectionOptions,
  prefix: string = config.QUEUE_PREFIX,
): Promise<Queue> {
  const queue = new Queue(WAIT_FEED_QUEUE, { connection, prefix });
  queue.on('error', (err) => logger.warn('wait feed queue error', { err: err.message }));
  if (config.WAIT_FEED_URL) {
    await queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: config.WAIT_FEED_INTERVAL_SECONDS * 1000 },
      { name: 'poll', opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    logger.info('wait feed scheduled', { everySeconds: config.WAIT_FEED_INTERVAL_SECONDS });
  } else {
    await queue.removeJobScheduler(SCHEDULER_ID);
  }
  return queue;
}
