import cluster, { Worker } from 'node:cluster';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { bootstrap } from './bootstrap';

/** A worker that exits sooner than this after starting is not restarted (it would fail again). */
const MIN_UPTIME_MS = 10_000;

/**
 * `npm start` with WEB_CONCURRENCY > 1: this primary process seeds the database and trains (or
 * loads) the NLU model once, then forks that many server processes sharing PORT (node:cluster
 * hands each connection to one of them). They share state through SQLite (WAL) or Redis. Only the
 * first runs the inline job workers. A crashed server process is replaced.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const started = Date.now();
  try {
    // The same bootstrap as each server process: seeds the database and loads (or trains) the model once.
    const prepared = await bootstrap({ config, logger, knowledge: 'full' });
    await prepared.close();
  } catch (err) {
    logger.error('cannot start', { err: (err as Error).message });
    process.exitCode = 1;
    return;
  }
  logger.info('prepared the data for the server processes', {
    processes: config.WEB_CONCURRENCY,
    ms: Date.now() - started,
  });

  let stopping = false;
  const startedAt = new Map<Worker, number>();
  const fork = (index: number) => {
    const worker = cluster.fork({
      WORKER: index === 0 ? config.WORKER : 'off',
      SERVER_PROCESS_INDEX: String(index),
    });
    startedAt.set(worker, Date.now());
    worker.on('exit', (code, signal) => {
      const uptime = Date.now() - (startedAt.get(worker) ?? 0);
      startedAt.delete(worker);
      if (stopping) return;
      if (uptime < MIN_UPTIME_MS) {
        logger.error('a server process failed at start; stopping', { index, code, signal });
        void stop(1);
        return;
      }
      logger.warn('a server process exited; starting another', { index, code, signal });
      fork(index);
    });
  };
  const stop = async (exitCode: number) => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    process.exit(exitCode);
  };
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) fork(i);
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGINT', () => void stop(0));
}
