import { bootstrap } from './bootstrap';
import { PROCESSORS } from '../jobs/processors';
import { startWorkers } from '../jobs/worker-host';

/** `npm run worker`: the job workers in a process of their own, for scale-out. */
export async function main(): Promise<void> {
  const foundation = await bootstrap({ knowledge: 'records', redis: true, campaigns: true });
  const { config, db, logger, connections, campaigns, offices } = foundation;
  const host = startWorkers({ config, db, logger, connections, campaigns, offices }, PROCESSORS);
  logger.info('worker started', { queues: PROCESSORS.map((p) => p.queue) });
  const stop = async (signal: string) => {
    logger.info('worker stopping', { signal });
    await host.close();
    await foundation.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
