import { loadConfig } from '../lib/config';
import { openDatabase } from '../lib/db';
import { createLogger } from '../lib/logger';
import { PROCESSORS } from './processors';
import { startWorkers } from './worker-host';

/** `npm run worker`: the job workers in a process of their own, for scale-out. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const db = openDatabase(config.dataDir);
  const host = startWorkers({ config, db, logger }, PROCESSORS);
  logger.info('worker started', { queues: PROCESSORS.map((p) => p.queue) });
  const stop = async (signal: string) => {
    logger.info('worker stopping', { signal });
    await host.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
