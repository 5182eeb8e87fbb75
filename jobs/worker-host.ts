import { Job, Worker, WorkerOptions } from 'bullmq';
import type { CampaignRuntime } from '../campaigns/runtime';
import type { OfficeFinder } from '../knowledge/offices/index';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { RedisConnections } from '../lib/redis';

/**
 * What every processor may use, built once by the bootstrap (bot/bootstrap.ts). Processors receive
 * their dependencies, they never build them: a processor that needs one the host lacks fails at start.
 */
export interface WorkerDeps {
  config: Config;
  db: Db;
  logger: Logger;
  connections: RedisConnections;
  campaigns: CampaignRuntime | null;
  offices: OfficeFinder | null;
}

/** What a processor's `create` receives: the shared dependencies, and a way to release what it opened. */
export interface ProcessorContext extends WorkerDeps {
  /** Runs `fn` when the host closes, after the workers have stopped taking jobs. */
  onClose(fn: () => Promise<void> | void): void;
}

/** Worker settings a processor may tune (lock duration, stalled checks, a backoff strategy…). */
export type ProcessorOptions = Partial<Omit<WorkerOptions, 'connection' | 'prefix' | 'autorun'>>;

/** One queue's consumer: processors live in one file per job name and are listed in jobs/processors.ts. */
export interface ProcessorDefinition {
  queue: string;
  concurrency: number;
  /** Extra worker options, read from the configuration. */
  options?(config: Config): ProcessorOptions;
  /** Builds the job handler once per worker. */
  create(deps: ProcessorContext): (job: Job, token?: string) => Promise<unknown>;
}

export interface WorkerHost {
  workers: Worker[];
  /** Stops taking jobs, lets in-flight jobs finish (or releases them after `deadlineMs`), closes. */
  close(deadlineMs?: number): Promise<void>;
}

export function startWorkers(
  deps: WorkerDeps,
  definitions: readonly ProcessorDefinition[],
): WorkerHost {
  const cleanups: (() => Promise<void> | void)[] = [];
  const context: ProcessorContext = { ...deps, onClose: (fn) => void cleanups.push(fn) };
  const workers = definitions.map((d) => {
    const worker = new Worker(d.queue, d.create(context), {
      concurrency: d.concurrency,
      ...d.options?.(deps.config),
      connection: deps.connections.forQueues(),
      prefix: deps.config.QUEUE_PREFIX,
      autorun: true,
    });
    worker.on('failed', (job, err) =>
      deps.logger.warn('job failed', {
        queue: d.queue,
        job: job?.id,
        attempts: job?.attemptsMade,
        err: err.message,
      }),
    );
    worker.on('error', (err) =>
      deps.logger.warn('worker error', { queue: d.queue, err: err.message }),
    );
    return worker;
  });
  return {
    workers,
    close: async (deadlineMs = 10_000) => {
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timeout = new Promise<'timeout'>((r) =>
        setTimeout(() => r('timeout'), deadlineMs).unref(),
      );
      if ((await Promise.race([graceful, timeout])) === 'timeout') {
        // Force-close: in-flight jobs lose their lock and are picked up again by another worker.
        await Promise.all(workers.map((w) => w.close(true)));
      }
      for (const fn of cleanups) await fn();
    },
  };
}
