import { ConversationState, Storage, UserState } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type Redis from 'ioredis';
import { Config } from '../lib/config';
import type { Database } from '../lib/database';
import { I18n } from '../lib/i18n';
import { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { OfficeFinder } from '../knowledge/offices/index';
import type { UsageStore } from '../knowledge/usage/usage-store';
import { isRedisUnavailable, type RedisConnections } from '../lib/redis';
import type { LookupDeps } from '../knowledge/lookup';
import { CommandMatcher } from '../dialogs/commands';
import { ConversationData, DialogDeps, StateAccessors, UserProfile } from '../dialogs/context';
import { MainDialog } from '../dialogs/main-dialog';
import { attachOfficeFinder } from '../dialogs/office-finder-dialog';
import { OfficeFinderHook } from '../dialogs/office-types-answer';
import { BotAdapter, BotAuthOverrides, createBotAdapter } from './adapter';
import { AssistantBot } from './assistant-bot';
import { InputMiddleware } from './middleware/input-middleware';
import { LanguageMiddleware } from './middleware/language-middleware';
import { RedisStorage } from './state/redis-storage';
import { FallbackStorage } from './state/fallback-storage';
import { SqlStorage } from './state/sql-storage';

export interface BotDeps {
  config: Config;
  /** The shared stores' database (BOT_STATE=sqlite keeps state there, auto while Redis is down). */
  database: Database;
  /** The app's Redis connection, if it has one (auto uses the database without it; BOT_STATE=redis uses `connections` either way). */
  redis: Redis | null;
  /** Where the per-request connection (bot state, rate limits) comes from. */
  connections: RedisConnections;
  logger: Logger;
  i18n: I18n;
  /** What answers questions: the recognizer, the records, the federal inventory and the municipalities. */
  answering: LookupDeps;
  /** The office finder (registry, geocoder, waits, outreach): "Find an office" answers with it. */
  offices: OfficeFinder;
  /** Each answer is counted here (channel `bot`) for the insights… */
  usage: UsageStore;
  /** …and in `answers_total`. */
  metrics: Metrics;
  /** The time offices are ranked for (tests pass a fixed clock); now by default. */
  clock?: () => Date;
}

export interface BotOptions {
  auth?: BotAuthOverrides;
  /** Replaces the office finder dialog (wired by default) as the answer to "Find an office". */
  officeFinder?: OfficeFinderHook;
}

export interface Bot {
  adapter: BotAdapter;
  bot: AssistantBot;
  /** Routes every message; its `officeFinder` hook starts the office finder dialog. */
  mainDialog: MainDialog;
  storage: Storage;
  close(): Promise<void>;
}

/**
 * The storage BOT_STATE names: the shared database (the embedded file, or PostgreSQL when
 * DATABASE_URL is set; this process's memory stands in while it cannot be reached), Redis shared
 * by several instances, or (auto, the default) Redis while it answers with the shared database
 * standing in, and the database alone when the app has no Redis.
 */
function createStorage(deps: BotDeps): { storage: Storage; close(): Promise<void> } {
  const ttlMs = deps.config.BOT_STATE_TTL_DAYS * 86_400_000;
  const prefix = deps.config.BOT_STATE_PREFIX;
  const inDatabase = () =>
    new FallbackStorage(new SqlStorage(deps.database, { ttlMs }), deps.logger);
  const mode = deps.config.BOT_STATE;
  if (mode === 'sqlite' || (mode === 'auto' && !deps.redis))
    return { storage: inDatabase(), close: async () => {} };
  if (mode === 'auto' && deps.redis) {
    const redis = new RedisStorage(deps.connections.perRequest(), prefix, { ttlMs, standIn: true });
    const storage = new FallbackStorage(redis, deps.logger, {
      unavailable: isRedisUnavailable,
      fallback: inDatabase(),
      names: { primary: 'Redis', fallback: 'the database' },
    });
    return { storage, close: async () => {} };
  }
  // BOT_STATE=redis with the app's Redis or without (a worker's or a test's app): one per-request
  // connection either way; the connections factory closes it.
  const storage = new RedisStorage(deps.connections.perRequest(), prefix, { ttlMs });
  return { storage, close: async () => {} };
}

/** Conversation and user state over a storage, with the properties the bot and the dialogs use. */
export function createBotState(storage: Storage): {
  conversationState: ConversationState;
  userState: UserState;
  accessors: StateAccessors;
} {
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const accessors: StateAccessors = {
    dialogState: conversationState.createProperty<DialogState>('dialogState'),
    conversation: conversationState.createProperty<ConversationData>('conversationData'),
    user: userState.createProperty<UserProfile>('userProfile'),
  };
  return { conversationState, userState, accessors };
}

/**
 * The bot's pieces, in order: state storage, conversation and user state, the dialogs (the main
 * dialog with the office finder on its `officeFinder` hook), the activity handler, then the
 * adapter with its middleware (input clean-up, then language).
 * No transcript is stored: no transcript logger is installed.
 */
export function createBot(deps: BotDeps, options: BotOptions = {}): Bot {
  const { storage, close } = createStorage(deps);
  const { conversationState, userState, accessors } = createBotState(storage);
  const dialogDeps: DialogDeps = {
    i18n: deps.i18n,
    logger: deps.logger,
    ...deps.answering,
    accessors,
    commands: new CommandMatcher(deps.i18n),
    usage: deps.usage,
    metrics: deps.metrics,
    offices: deps.offices,
  };
  const mainDialog = new MainDialog(dialogDeps, options.officeFinder);
  if (!options.officeFinder) {
    const finderDeps = {
      ...dialogDeps,
      offices: deps.offices,
      clock: deps.clock ?? (() => new Date()),
      freshMs: deps.config.WAIT_FRESH_MINUTES * 60_000,
    };
    attachOfficeFinder(mainDialog, finderDeps);
  }
  const bot = new AssistantBot({
    i18n: deps.i18n,
    conversationState,
    userState,
    accessors,
    mainDialog,
  });
  const adapter = createBotAdapter(
    {
      config: deps.config,
      i18n: deps.i18n,
      logger: deps.logger,
      recognizer: deps.answering.recognizer,
      conversationState,
    },
    options.auth,
  );
  adapter.use(new InputMiddleware());
  adapter.use(new LanguageMiddleware(deps.answering.recognizer, accessors));
  return { adapter, bot, mainDialog, storage, close };
}
