import { Job, Worker } from 'bullmq';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { queueConnection } from './connection';

/** What every processor may use. Processors receive their dependencies, they do not build them. */
export interface WorkerDeps {
  config: Config;
  db: Db;
  logger: Logger;
}

/** One queue's consumer: processors live in one file per job name and are listed in jobs/processors.ts. */
export interface ProcessorDefinition {
  queue: string;
  concurrency: number;
  /** Builds the job handler once per worker. */
  create(deps: WorkerDeps): (job: Job) => Promise<unknown>;
}

export interface WorkerHost {
  workers: Worker[];
  /** Stops taking jobs, lets in-flight jobs finish (or releases them after `deadlineMs`), closes. */
  close(deadlineMs?: number): Promise<void>;
}

export function startWorkers(deps: WorkerDeps, definitions: readonly ProcessorDefinition[]): WorkerHost {
  const workers = definitions.map((d) => {
    const worker = new Worker(d.queue, d.create(deps), {
      connection: queueConnection(deps.config.REDIS_URL),
      prefix: deps.config.QUEUE_PREFIX,
      concurrency: d.concurrency,
      autorun: true,
    });
    worker.on('failed', (job, err) => deps.logger.warn('job failed', { queue: d.queue, job: job?.id, attempts: job?.attemptsMade, err: err.message }));
    worker.on('error', (err) => deps.logger.warn('worker error', { queue: d.queue, err: err.message }));
    return worker;
  });
  return {
    workers,
    close: async (deadlineMs = 10_000) => {
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), deadlineMs).unref());
      if ((await Promise.race([graceful, timeout])) === 'timeout') {
        // Force-close: in-flight jobs lose their lock and are picked up again by another worker.
        await Promise.all(workers.map((w) => w.close(true)));
      }
    },
  };
}
