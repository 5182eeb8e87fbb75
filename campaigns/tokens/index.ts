import crypto from 'node:crypto';
import type Redis from 'ioredis';
import type { Language } from '../../knowledge/schema';
import type { Config } from '../../lib/config';
import type { Database } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import type { AlertSink } from '../alerts';
import { Channel, PostRecord, TERMINAL_POST_STATUSES } from '../model';
import { createPlatformAuth } from '../publishers/index';
import { parseTokenKey, TokenSealer } from './crypto';
import { CredentialsSource, ReloadResult } from './credentials-source';
import { Preflight } from './preflight';
import { ProblemStore, StoredIssue } from './problem-store';
import { TokenManager } from './token-manager';
import { TokenStore } from './token-store';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** A credentials problem as the campaign JSON shows it on a post it stops. */
export interface CredentialFlag {
  code: string;
  entry: string;
  /** The language it stops, or null for both. */
  language: Language | null;
  message: string;
  firstDueAt: string | null;
  since: string | null;
}

export interface CredentialsRuntime {
  source: CredentialsSource;
  tokens: TokenManager;
  preflight: Preflight;
  problems: ProblemStore;
  /** Runs the pre-flight now, in one process at a time (a Redis lock when Redis is up). */
  tick(opts?: { inspectAll?: boolean }): Promise<void>;
  /** Starts the periodic pre-flight (the workers), the first one asking the platforms about every entry. */
  watch(): void;
  reload(): ReloadResult;
  /** Checks the credentials these posts need (a campaign just scheduled); never throws. */
  checkPosts(posts: readonly PostRecord[]): Promise<void>;
  /** What stops each post, for the campaign JSON (one read of the recorded problems). */
  flags(t: Translate): Promise<(post: PostRecord) => CredentialFlag[]>;
  /** Every entry and problem, for GET /api/campaigns/credentials (never a token). */
  status(t: Translate): Promise<unknown>;
  close(): Promise<void>;
}

export interface CredentialsDeps {
  config: Config;
  database: Database;
  logger: Logger;
  redis: Redis | null;
  alerts: AlertSink;
  /** The posts still to publish (the campaign store's active posts). */
  posts: () => PostRecord[] | Promise<PostRecord[]>;
}

const PLATFORMS: readonly Channel[] = ['x', 'facebook', 'linkedin'];

/**
 * Credentials for the publishers: the file (reloaded when it changes), the token store (with
 * CAMPAIGN_TOKEN_KEY) and its manager, and the pre-flight that reports problems before posts are due.
 */
export function createCredentialsRuntime(deps: CredentialsDeps): CredentialsRuntime {
  const { config, logger, redis } = deps;
  const source = new CredentialsSource(config.CAMPAIGN_CREDENTIALS_FILE, logger);
  source.watch(config.CAMPAIGN_CREDENTIALS_POLL_SECONDS * 1000);
  const auth = createPlatformAuth(config);
  const store = config.CAMPAIGN_TOKEN_KEY
    ? new TokenStore(deps.database, new TokenSealer(parseTokenKey(config.CAMPAIGN_TOKEN_KEY)))
    : null;
  const tokens = new TokenManager({
    store,
    auth,
    logger,
    marginMs: config.CAMPAIGN_TOKEN_REFRESH_MARGIN_SECONDS * 1000,
    // Longer than a call to the token endpoint: a lease never ends while its refresh is in flight.
    leaseMs: config.CAMPAIGN_HTTP_TIMEOUT_MS * 2 + 5000,
  });
  const problems = new ProblemStore(deps.database);
  const preflight = new Preflight({
    source,
    tokens,
    auth,
    problems,
    alerts: deps.alerts,
    posts: deps.posts,
    horizonMs: config.CAMPAIGN_PREFLIGHT_MINUTES * 60_000,
    logger,
  });
  const intervalMs = config.CAMPAIGN_PREFLIGHT_INTERVAL_SECONDS * 1000;
  const owner = crypto.randomUUID();
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const tick = async (opts: { inspectAll?: boolean } = {}) => {
    if (running) return running;
    if (redis?.status === 'ready') {
      const lock = await redis
        .set(`${config.QUEUE_PREFIX}:campaign-preflight`, owner, 'PX', intervalMs - 1000, 'NX')
        .catch(() => 'OK');
      if (lock !== 'OK') return;
    }
    running = preflight
      .run(opts)
      .then(() => undefined)
      .catch((err) => logger.warn('pre-flight failed', { err: (err as Error).message }))
      .finally(() => {
        running = null;
      });
    return running;
  };
  source.onReload((r) => {
    if (r.ok ? r.changed : true) void tick();
  });

  const flagOf = (t: Translate, i: StoredIssue): CredentialFlag => ({
    code: i.code,
    entry: i.entry,
    language: (i.language as Language | null) ?? null,
    message: t(`campaigns:credentialProblems.${i.code}`, {
      entry: i.entry,
      detail: i.detail,
      firstDueAt: i.firstDueAt ?? '',
    }),
    firstDueAt: i.firstDueAt,
    since: i.firstSeen || null,
  });
  const recorded = () =>
    problems.list().catch((err) => {
      logger.warn('credentials problems not read', { err: (err as Error).message });
      return [] as StoredIssue[];
    });

  return {
    source,
    tokens,
    preflight,
    problems,
    tick,
    reload: () => source.reload(),
    checkPosts: (posts) =>
      preflight
        .checkPosts(posts)
        .then(() => undefined)
        .catch((err) => logger.warn('pre-flight failed', { err: (err as Error).message })),
    watch() {
      if (timer) return;
      void tick({ inspectAll: true });
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    async flags(t) {
      const issues = await recorded();
      return (post) => {
        if (TERMINAL_POST_STATUSES.includes(post.status) || !PLATFORMS.includes(post.channel))
          return [];
        const flags = issues
          .filter((i) => i.account === post.account && i.channel === post.channel)
          .map((i) => flagOf(t, i));
        // A channel without credentials is shown before the pre-flight has run.
        for (const language of ['en', 'fr'] as const) {
          const entry = `${post.account}.${post.channel}.${language}`;
          if (
            !source.entryOf(post.account, post.channel, language) &&
            !flags.some((f) => f.entry === entry && f.code === 'credentials_missing')
          )
            flags.push(
              flagOf(t, {
                entry,
                code: 'credentials_missing',
                account: post.account,
                channel: post.channel,
                language,
                detail: 'no entry in the credentials file',
                firstDueAt: null,
                firstSeen: '',
                lastSeen: '',
                alertedAt: null,
              }),
            );
        }
        return flags;
      };
    },
    async status(t) {
      const issues = await recorded();
      const entries = await Promise.all(
        source
          .snapshot()
          .entries()
          .map(async (e) => {
            const ref = { entry: e.name, channel: e.channel, credential: e.credential };
            const s = auth.has(e.channel) ? await tokens.status(ref).catch(() => null) : null;
            return {
              entry: e.name,
              account: e.account,
              channel: e.channel,
              language: e.language,
              refreshable: s?.refreshable ?? false,
              expiresAt: s?.expiresAtMs ? new Date(s.expiresAtMs).toISOString() : null,
              problems: issues.filter((i) => i.entry === e.name).map((i) => flagOf(t, i)),
            };
          }),
      );
      return {
        file: { configured: Boolean(source.file), error: source.fileError() },
        tokenStore: store ? 'encrypted' : 'off',
        entries,
        problems: issues.map((i) => flagOf(t, i)),
      };
    },
    async close() {
      if (timer) clearInterval(timer);
      source.close();
      await running;
    },
  };
}
