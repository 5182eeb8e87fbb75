import cluster from 'node:cluster';
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
import { PROCESSORS } from '../jobs/processors';
import { startWorkers, WorkerHost } from '../jobs/worker-host';
import { TokenStore } from './auth/token-store';
import { runPrimary } from './cluster';
import { Bot, BotOptions, createBot } from './create-bot';
import { registerHealthRoutes } from './routes/health';
import { registerLookupRoutes } from './routes/lookup';
import { registerMessagesRoute } from './routes/messages';
import { createServer } from './server';

export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  i18n: I18n;
  repo: KnowledgeRepository;
  recognizer: Recognizer;
  tokens: TokenStore;
  redis: Redis | null;
  bot: Bot;
  server: Server;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Open a Redis connection (the default). Tests of Redis-free paths turn it off. */
  redis?: boolean;
  /** Bot options: extra authentication settings (tests), the office finder hook. */
  bot?: BotOptions;
}

/**
 * The composition root: config, database, knowledge and NLU, i18n, Redis, bot, server, in that order.
 * Nothing else constructs these.
 */
export async function createApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const started = Date.now();
  const db = openDatabase(config.dataDir);
  const kb = loadKnowledge();
  const repo = new KnowledgeRepository(db);
  const seeded = repo.seed(kb);
  const { recognizer, trained } = await createRecognizer(kb, repo, config.modelDir);
  const i18n = createI18n();
  const tokens = new TokenStore(db);
  const redis = options.redis === false ? null : createRedis(config.REDIS_URL, logger);

  const workers: WorkerHost | null = redis && config.WORKER === 'inline' && PROCESSORS.length ? startWorkers({ config, db, logger }, PROCESSORS) : null;

  const bot = createBot({ config, db, redis, logger, i18n, recognizer, repo }, options.bot);

  const server = createServer({ i18n, logger });
  registerHealthRoutes(server, () => ({ db: db.open ? 'ok' : 'down', redis: redisState(redis), nlu: 'ok' }));
  registerLookupRoutes(server, { i18n, logger, recognizer, repo, maxResults: config.LOOKUP_MAX_RESULTS });
  registerMessagesRoute(server, { i18n, logger, adapter: bot.adapter, bot: bot.bot });
  logger.info('ready to serve', { knowledge: kb.version, records: kb.records.length, seeded, trained, ms: Date.now() - started });

  return {
    config, logger, db, i18n, repo, recognizer, tokens, redis, bot, server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve({ port: (server.address() as { port: number }).port }));
      }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (workers) await workers.close();
      await bot.close();
      if (redis) redis.disconnect();
      db.close();
    },
  };
}

/** `npm start`. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) return runPrimary(config, logger);
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
