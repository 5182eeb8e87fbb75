import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { Config } from '../lib/config';
import type { Database } from '../lib/database';
import type { Logger } from '../lib/logger';
import { connectingFirstTime, readyWithin } from '../lib/redis';
import { WebhookAlerts } from './alerts';
import { AuditLog } from './audit';
import type { CampaignContext } from './context';
import { DeliveryLog } from './deliveries';
import { campaignMetrics } from './metrics';
import { createPublishers } from './publishers/index';
import { PublishRunner } from './publish-runner';
import { CampaignScheduler, PUBLISH_QUEUE } from './scheduler';
import { CampaignService } from './service';
import { CampaignStore } from './store';
import { parseBlackouts } from './time';
import { createCredentialsRuntime, CredentialsRuntime } from './tokens/index';

export interface CampaignRuntime {
  ctx: CampaignContext;
  service: CampaignService;
  runner: PublishRunner;
  /** The credentials file (reloaded when it changes), the shared token store and the pre-flight. */
  credentials: CredentialsRuntime;
  /**
   * Whether Redis answers: campaign endpoints answer 503 while it does not. During the first
   * connection (the seconds after start) it waits for it up to `waitMs`.
   */
  available(waitMs?: number): Promise<boolean>;
  /** Campaign figures in Prometheus text format (for GET /metrics). */
  metrics(): Promise<string>;
  /** Runs the reconciler now, whenever Redis (re)connects, and every `intervalMs`. */
  watch(intervalMs: number): void;
  close(): Promise<void>;
}

export interface RuntimeDeps {
  config: Config;
  /**
   * The shared stores' database: the campaign tables, the platform tokens and the credential
   * problems live there (PostgreSQL with DATABASE_URL, so every machine sees the same campaigns).
   */
  database: Database;
  logger: Logger;
  /** A fail-fast connection (lib/redis.ts createRedis), or null when the service runs without Redis. */
  redis: Redis | null;
}

/**
 * Builds the campaign pieces in order: store, audit, idempotency log, credentials and publishers,
 * blackouts, queue and scheduler, service, publish runner (with its alert webhook). A bad credentials file or blackout list
 * stops the start with a message naming it.
 */
export function createCampaignRuntime({
  config,
  database,
  logger,
  redis,
}: RuntimeDeps): CampaignRuntime {
  const store = CampaignStore.open(database);
  const audit = new AuditLog(store.db);
  const deliveries = new DeliveryLog(store.db, database.engine);
  const alerts = new WebhookAlerts(
    config.CAMPAIGN_ALERT_WEBHOOK_URL,
    config.CAMPAIGN_ALERT_WEBHOOK_SECRET,
    logger,
    config.CAMPAIGN_HTTP_TIMEOUT_MS,
  );
  const credentials = createCredentialsRuntime({
    config,
    database,
    logger,
    redis,
    alerts,
    posts: () => store.activePosts(),
  });
  const publishers = createPublishers({
    config,
    database,
    credentials: credentials.source,
    tokens: credentials.tokens,
  });
  const blackouts = parseBlackouts(config.CAMPAIGN_BLACKOUTS);
  const queue = redis
    ? new Queue(PUBLISH_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX })
    : null;
  queue?.on('error', (err) => logger.debug('campaign queue error', { err: err.message }));
  const scheduler = queue
    ? new CampaignScheduler(
        queue,
        store,
        { attempts: config.CAMPAIGN_PUBLISH_ATTEMPTS, retryBaseMs: config.CAMPAIGN_RETRY_BASE_MS },
        logger,
      )
    : null;
  const ctx: CampaignContext = {
    store,
    audit,
    deliveries,
    scheduler,
    publishers,
    blackouts,
    logger,
    queueTimeoutMs: 3000,
  };
  const runner = new PublishRunner({
    store,
    deliveries,
    audit,
    publishers,
    scheduler,
    blackouts,
    logger,
    alerts,
    feedSettleMs: config.CAMPAIGN_FEED_SETTLE_MS,
  });

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let again = false;
  const reconcile = () => {
    if (!scheduler || redis?.status !== 'ready') return;
    if (running) return void (again = true);
    running = scheduler
      .reconcile()
      .catch((err) =>
        logger.warn('reconcile failed; will try again', { err: (err as Error).message }),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          reconcile();
        }
      });
  };
  const onReady = () => reconcile();
  let everReady = redis?.status === 'ready';
  redis?.once('ready', () => {
    everReady = true;
  });

  return {
    ctx,
    service: new CampaignService(ctx),
    runner,
    credentials,
    metrics: () => campaignMetrics(store.db, redis?.status === 'ready' ? queue : null),
    available: async (waitMs = 2000) => {
      if (!redis) return false;
      if (redis.status === 'ready') return true;
      if (everReady || !connectingFirstTime(redis)) return false;
      return readyWithin(redis, waitMs);
    },
    watch(intervalMs) {
      redis?.on('ready', onReady);
      reconcile();
      timer = setInterval(reconcile, intervalMs);
      timer.unref();
      credentials.watch();
    },
    async close() {
      if (timer) clearInterval(timer);
      await credentials.close();
      redis?.off('ready', onReady);
      await running;
      await queue?.close().catch(() => undefined);
    },
  };
}
