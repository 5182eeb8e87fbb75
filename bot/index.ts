import cluster from 'node:cluster';
import type { Server } from 'restify';
import type Redis from 'ioredis';
import { Config, loadConfig } from '../lib/config';
import type { Database } from '../lib/database';
import type { Db } from '../lib/db';
import type { I18n } from '../lib/i18n';
import { redisState } from '../lib/redis';
import type { Knowledge } from '../knowledge/answering';
import type { OfficeFinder } from '../knowledge/offices/index';
import type { CampaignRuntime } from '../campaigns/runtime';
import { bootstrap } from './bootstrap';
import { createLogger, Logger } from '../lib/logger';
import type { Recognizer } from '../knowledge/nlu/recognizer';
import { KnowledgeRepository } from '../knowledge/repository';
import { UsageStore } from '../knowledge/usage/usage-store';
import { PROCESSORS } from '../jobs/processors';
import { scheduleWaitFeed } from '../jobs/wait-feed';
import { startWorkers, WorkerHost } from '../jobs/worker-host';
import { oidcOptions, StaffAuthenticator } from './auth/authenticator';
import { TokenStore } from './auth/token-store';
import { Metrics } from '../lib/metrics';
import { createRateLimiter, RateLimiter } from '../lib/rate-limit';
import { registerCampaignRoutes } from './routes/campaigns';
import { runPrimary } from './cluster';
import { Bot, BotOptions, createBot } from './create-bot';
import { registerHealthRoutes } from './routes/health';
import { registerMetricsRoute } from './routes/metrics';
import { registerOpenApiRoute } from './routes/openapi';
import { registerInsightsRoutes } from './routes/insights';
import { registerPageRoutes } from './routes/pages';
import { registerStaffRoutes } from './routes/staff';
import { registerSecurityHeaders } from './web/security-headers';
import { registerStaticAssets } from './web/static';
import { PROJECT_ROOT } from '../lib/paths';
import path from 'node:path';
import { registerLookupRoutes } from './routes/lookup';
import { registerOfficeRoutes } from './routes/offices';
import { registerMessagesRoute } from './routes/messages';
import { botTurnRunner } from './directline/bot-turns';
import { registerDirectLineRoutes } from './directline/routes';
import { redisConversationStore, sqlConversationStore } from './directline/store';
import { ConversationTokens } from './directline/tokens';
import { persistentSecret } from '../lib/secrets';
import { createServer } from './server';

/** How long a SIGTERM waits for in-flight requests and jobs before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 15_000;

/** Longest web chat message kept (the bot reads the first 1,000 characters of longer ones). */
const MAX_CHAT_MESSAGE = 10_000;

export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  /** The shared stores (PostgreSQL with DATABASE_URL). */
  database: Database;
  i18n: I18n;
  repo: KnowledgeRepository;
  recognizer: Recognizer;
  offices: OfficeFinder;
  /** Issues and revokes the project's own staff tokens. */
  tokens: TokenStore;
  /** Verifies staff bearer tokens (own tokens and, when configured, OpenID Connect). */
  staffAuth: StaffAuthenticator;
  usage: UsageStore;
  redis: Redis | null;
  metrics: Metrics;
  rateLimiter: RateLimiter;
  bot: Bot;
  server: Server;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Open a Redis connection (the default). Tests of Redis-free paths turn it off. */
  redis?: boolean;
  /** The time the office finder answers for (tests pass a fixed clock). */
  clock?: () => Date;
  /** Bot options: extra authentication settings (tests), the office finder hook. */
  bot?: BotOptions;
}

/**
 * The composition root: the bootstrap (config, database, knowledge and NLU, i18n, Redis, campaign
 * runtime), then the bot and the server. Nothing else constructs these.
 */
export async function createApp(
  config: Config,
  logger: Logger,
  options: AppOptions = {},
): Promise<App> {
  const started = Date.now();
  const foundation = await bootstrap({
    config,
    logger,
    knowledge: 'full',
    redis: options.redis !== false,
    campaigns: true,
  });
  const { db, database, i18n, connections, redis } = foundation;
  const { kb, repo, recognizer, trained, seeded, answering } = foundation.knowledge as Knowledge;
  const offices = foundation.offices as OfficeFinder;
  const campaigns = foundation.campaigns as CampaignRuntime;
  const tokens = new TokenStore(database);
  const staffAuth = new StaffAuthenticator(tokens, oidcOptions(config), logger);
  const usage = new UsageStore(database, undefined, (err) =>
    logger.warn('usage counts kept for the next flush', { err: err.message }),
  );
  usage.start();
  offices.startRefreshing(config.DATABASE_REFRESH_SECONDS * 1000, {
    onError: (err) =>
      logger.warn('office waits and visits not refreshed; serving the last copy', {
        err: err.message,
      }),
    onRecovered: () => logger.info('office waits and visits refreshed again'),
  });

  const workers: WorkerHost | null =
    redis && config.WORKER === 'inline' && PROCESSORS.length
      ? startWorkers({ config, db, logger, connections, campaigns, offices }, PROCESSORS)
      : null;
  const waitFeed = redis
    ? scheduleWaitFeed(config, logger, connections.forQueues()).catch(
        (err) => (logger.warn('wait feed not scheduled', { err: (err as Error).message }), null),
      )
    : null;

  const metrics = new Metrics();
  const bot = createBot(
    {
      config,
      database,
      redis,
      connections,
      logger,
      i18n,
      answering,
      offices,
      usage,
      metrics,
      clock: options.clock,
    },
    options.bot,
  );

  const rateLimiter = createRateLimiter({
    redis: redis ? connections.perRequest() : null,
    prefix: config.QUEUE_PREFIX,
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
  });
  const server = createServer({
    i18n,
    logger,
    metrics,
    rateLimiter,
    limits: {
      maxBodyBytes: config.MAX_BODY_BYTES,
      perClient: config.RATE_LIMIT_PER_CLIENT,
      trustProxy: config.TRUST_PROXY,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    },
  });
  registerSecurityHeaders(server);
  registerMetricsRoute(server, metrics, [() => campaigns.metrics()]);
  registerOpenApiRoute(server);
  registerStaffRoutes(server, { i18n, logger, tokens: staffAuth });
  registerInsightsRoutes(server, { i18n, logger, tokens: staffAuth, database, repo, usage });
  registerPageRoutes(server, ['chat', 'agent', 'campaigns', 'insights']);
  registerStaticAssets(server, path.join(PROJECT_ROOT, 'dist', 'web'));
  registerHealthRoutes(server, () => ({
    db: db.open ? 'ok' : 'down',
    database: offices.refreshing() ? 'ok' : 'down',
    redis: redisState(redis),
    nlu: 'ok',
  }));
  registerLookupRoutes(server, { i18n, logger, metrics, usage, ...answering });
  registerCampaignRoutes(server, {
    i18n,
    logger,
    tokens: staffAuth,
    campaigns: redis ? campaigns : null,
  });
  const conversationLimit = { limiter: rateLimiter, perWindow: config.RATE_LIMIT_PER_CONVERSATION };
  registerMessagesRoute(server, {
    i18n,
    logger,
    adapter: bot.adapter,
    bot: bot.bot,
    conversationLimit,
  });
  registerDirectLineRoutes(server, {
    i18n,
    logger,
    store:
      config.DIRECTLINE_STORE === 'redis' && redis
        ? redisConversationStore(redis, config.QUEUE_PREFIX)
        : sqlConversationStore(database),
    tokens: new ConversationTokens(
      config.DIRECTLINE_SECRET || (await persistentSecret(database, 'directline')),
    ),
    runTurn: botTurnRunner(bot.adapter, bot.bot),
    conversationLimit,
    bot: { id: config.MicrosoftAppId || 'assistant', name: i18n.t('en', 'web:common.siteName') },
    maxTextLength: MAX_CHAT_MESSAGE,
  });
  registerOfficeRoutes(server, {
    i18n,
    logger,
    repo,
    tokens: staffAuth,
    finder: offices,
    freshMinutes: config.WAIT_FRESH_MINUTES,
    clock: options.clock ?? (() => new Date()),
  });
  logger.info('ready to serve', {
    knowledge: kb.version,
    records: kb.records.length,
    seeded,
    trained,
    ms: Date.now() - started,
  });

  return {
    config,
    logger,
    db,
    database,
    i18n,
    repo,
    recognizer,
    offices,
    tokens,
    staffAuth,
    usage,
    redis,
    metrics,
    rateLimiter,
    bot,
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () =>
          resolve({ port: (server.address() as { port: number }).port }),
        );
      }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (workers) await workers.close();
      await usage
        .stop()
        .catch((err: Error) =>
          logger.error('usage counts not written at shutdown', { err: err.message }),
        );
      await (await waitFeed)?.close();
      await bot.close();
      await foundation.close();
    },
  };
}

/** A server process of `npm start` (bot/start.ts; the only one unless WEB_CONCURRENCY > 1). */
export async function serve(config: Config, logger: Logger): Promise<void> {
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
  // SIGTERM: stop accepting, let in-flight turns and jobs finish, close; past the deadline, exit anyway
  // (a job still held is released by its lock and taken over by another worker).
  const stop = async (signal: string) => {
    logger.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      logger.warn('shutdown deadline passed; exiting', { ms: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    await app.close();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Starts as `npm start` does (bot/start.ts): the cluster's primary, or a server process. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) return runPrimary(config, logger);
  return serve(config, logger);
}
