import type Redis from 'ioredis';
import { createCampaignRuntime, type CampaignRuntime } from '../campaigns/runtime';
import { createKnowledge, type Knowledge } from '../knowledge/answering';
import { type KnowledgeBase, loadKnowledge } from '../knowledge/load';
import { createOfficeFinder, type OfficeFinder } from '../knowledge/offices/index';
import { KnowledgeRepository } from '../knowledge/repository';
import { type Config, loadConfig } from '../lib/config';
import {
  type Database,
  isDatabaseUnavailable,
  openSharedDatabase,
  unreachableMessage,
} from '../lib/database';
import { type Db, openDatabase } from '../lib/db';
import { migrateAll } from '../lib/migrations';
import { createI18n, type I18n } from '../lib/i18n';
import { createLogger, type Logger } from '../lib/logger';
import { RedisConnections } from '../lib/redis';
import { SHARED_MIGRATIONS } from './migrations';

/**
 * How much of the knowledge a process needs: none (token and campaign CLIs), the records and the
 * office registry (the worker, the office import), or everything answering needs: records, search
 * index, NLU model, inventory, municipalities (the server, the cluster's primary, the model build).
 */
export type KnowledgeLevel = 'none' | 'records' | 'full';

export interface BootstrapOptions {
  config?: Config;
  logger?: Logger;
  /**
   * The database file's folder, or ':memory:' (the model build touches no data: the shared stores
   * are then in memory too, whatever DATABASE_URL says). Default: DATA_DIR.
   */
  dataDir?: string;
  knowledge?: KnowledgeLevel;
  /** Connect the shared Redis client now (the server and the worker); CLIs that need none say false. */
  redis?: boolean;
  /** Build the campaign runtime (store, queue, scheduler, publishers) on the shared connection. */
  campaigns?: boolean;
}

/** What every entry point is built from. Nothing else constructs these. */
export interface Foundation {
  config: Config;
  logger: Logger;
  /** The embedded SQLite file of this machine: campaigns, and the knowledge and inventory search indexes. */
  db: Db;
  /** The shared stores (tokens, waits, outreach, usage, chat state): PostgreSQL with DATABASE_URL, else `db`. */
  database: Database;
  i18n: I18n;
  /** The knowledge records (levels records and full). */
  kb: KnowledgeBase | null;
  repo: KnowledgeRepository | null;
  /** Everything answering needs (level full). */
  knowledge: Knowledge | null;
  offices: OfficeFinder | null;
  /** Every Redis connection of the process comes from here. */
  connections: RedisConnections;
  /** The shared fail-fast client, when `redis` was asked for. */
  redis: Redis | null;
  campaigns: CampaignRuntime | null;
  /** Releases what was built, in reverse order. */
  close(): Promise<void>;
}

/**
 * The one bootstrap: configuration, logger, databases (the embedded file, then the shared one, migrated
 * to this code's schema: a newer schema stops the start), knowledge (and NLU), office finder, i18n,
 * Redis connections, campaign runtime, in that order. `npm start`, the cluster's primary, the
 * worker, the CLIs and the model build all start here.
 */
export async function bootstrap(options: BootstrapOptions = {}): Promise<Foundation> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = openDatabase(options.dataDir ?? config.dataDir);
  const database = openSharedDatabase({
    // ':memory:' touches no data (the model build, run by npm ci): it needs no PostgreSQL either.
    url: options.dataDir === ':memory:' ? '' : config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    sqlite: db,
    onConnectionError: (err) => logger.warn('database connection lost', { err: err.message }),
  });
  try {
    await migrateAll(database, SHARED_MIGRATIONS).catch((err: unknown) => {
      throw config.DATABASE_URL && isDatabaseUnavailable(err)
        ? new Error(unreachableMessage(config.DATABASE_URL, err))
        : err;
    });
    const level = options.knowledge ?? 'none';
    let kb: KnowledgeBase | null = null;
    let repo: KnowledgeRepository | null = null;
    let knowledge: Knowledge | null = null;
    if (level === 'full') {
      knowledge = await createKnowledge(db, config.modelDir, config.LOOKUP_MAX_RESULTS);
      ({ kb, repo } = knowledge);
    } else if (level === 'records') {
      kb = loadKnowledge();
      repo = new KnowledgeRepository(db);
      repo.seed(kb);
    }
    const offices = kb ? await createOfficeFinder(database, kb) : null;
    const i18n = createI18n();
    const connections = new RedisConnections(config.REDIS_URL, logger);
    const redis = options.redis ? connections.shared() : null;
    // The per-request client (bot state, rate limits) connects while the rest starts.
    if (redis) connections.perRequest();
    const campaigns = options.campaigns
      ? createCampaignRuntime({ config, database, logger, redis })
      : null;
    return {
      config,
      logger,
      db,
      database,
      i18n,
      kb,
      repo,
      knowledge,
      offices,
      connections,
      redis,
      campaigns,
      close: async () => {
        await campaigns?.close();
        offices?.stop();
        connections.close();
        await database.close();
        db.close();
      },
    };
  } catch (err) {
    await database.close();
    db.close();
    throw err;
  }
}
