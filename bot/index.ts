import type { Server } from 'restify';
import type Redis from 'ioredis';
import { Config, loadConfig } from '../lib/config';
import { Db, openDatabase } from '../lib/db';
import { createI18n, I18n } from '../lib/i18n';
import { createLogger, Logger } from '../lib/logger';
import { createRedis, redisState } from '../lib/redis';
import { loadKnowledge } from '../knowledge/load';
import { createRecognizer, Recognizer } from '../knowledge/nlu/recognizer';
import { KnowledgeRepository } from '../knowledge/repository';
import { createOfficeFinder, OfficeFinder } from '../knowledge/offices/index';
import { PROCESSORS } from '../jobs/processors';
import { scheduleWaitFeed } from '../jobs/wait-feed';
import { startWorkers, WorkerHost } from '../jobs/worker-host';
import { TokenStore } from './auth/token-store';
import { registerHealthRoutes } from './routes/health';
import { registerLookupRoutes } from './routes/lookup';
import { registerOfficeRoutes } from './routes/offices';
import { createServer } from './server';

export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  i18n: I18n;
  repo: KnowledgeRepository;
  recognizer: Recognizer;
  offices: OfficeFinder;
  tokens: TokenStore;
  redis: Redis | null;
  server: Server;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Open a Redis connection (the default). Tests of Redis-free paths turn it off. */
  redis?: boolean;
  /** The time the office finder answers for (tests pass a fixed clock). */
  clock?: () => Date;
}

/**
 * The composition root: config, database, knowledge and NLU, i18n, Redis, server, in that order.
 * Nothing else constructs these.
 */
export async function createApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const started = Date.now();
  const db = openDatabase(config.dataDir);
  const kb = loadKnowledge();
  const repo = new KnowledgeRepository(db);
  const seeded = repo.seed(kb);
  const { recognizer, trained } = await createRecognizer(kb, repo, config.modelDir);
  const offices = createOfficeFinder(db, kb);
  const i18n = createI18n();
  const tokens = new TokenStore(db);
  const redis = options.redis === false ? null : createRedis(config.REDIS_URL, logger);

  const workers: WorkerHost | null = redis && config.WORKER === 'inline' && PROCESSORS.length ? startWorkers({ config, db, logger }, PROCESSORS) : null;
  const waitFeed = redis ? scheduleWaitFeed(config, logger).catch((err) => (logger.warn('wait feed not scheduled', { err: (err as Error).message }), null)) : null;

  const server = createServer({ i18n, logger });
  registerHealthRoutes(server, () => ({ db: db.open ? 'ok' : 'down', redis: redisState(redis), nlu: 'ok' }));
  registerLookupRoutes(server, { i18n, logger, recognizer, repo, maxResults: config.LOOKUP_MAX_RESULTS });
  registerOfficeRoutes(server, { i18n, logger, repo, tokens, finder: offices, freshMinutes: config.WAIT_FRESH_MINUTES, clock: options.clock ?? (() => new Date()) });
  logger.info('ready to serve', { knowledge: kb.version, records: kb.records.length, seeded, trained, ms: Date.now() - started });

  return {
    config, logger, db, i18n, repo, recognizer, offices, tokens, redis, server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve({ port: (server.address() as { port: number }).port }));
      }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (workers) await workers.close();
      await (await waitFeed)?.close();
      if (redis) redis.disconnect();
      db.close();
    },
  };
}

/** `npm start`. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  let app: App;
  try {
    app = await createApp(config, logger);
  } catch (err) {
    logger.error('cannot start', { err: (err as Error).message });
    process.exitCode = 1;
    return;
  }
  const { port } = await app.listen();
  logger.info('listening', { port });
  const stop = async (signal: string) => {
    logger.info('shutting down', { signal });
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
