import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths';

/**
 * Every environment key the service reads, with its default and what it is for.
 * `.env.example` lists the same keys (a test keeps them in step).
 */
/**
 * Campaign publish jobs one worker runs at once, by default: each holds its slot from a quarter
 * second before its post is due, so 16 capped a worker at 64 posts a second.
 */
export const DEFAULT_CAMPAIGN_WORKER_CONCURRENCY = 64;

export const configSchema = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3978)
    .describe('HTTP port for the API, the bot and the pages.'),
  HOST: z.string().default('0.0.0.0').describe('Interface to listen on.'),
  DATA_DIR: z.string().default('./data').describe('Folder for the SQLite database.'),
  DATABASE_URL: z
    .string()
    .default('')
    .refine(isPostgresUrlOrEmpty, {
      message:
        'must be a postgres://user[:password]@host[:port]/database URL, or empty for the embedded SQLite database',
    })
    .describe(
      'PostgreSQL for the shared stores (staff tokens, waits, outreach, usage, chat state) of every machine, e.g. postgres://user@host:5432/db; empty: the embedded SQLite database under DATA_DIR.',
    ),
  DATABASE_POOL_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe('Most PostgreSQL connections one process opens (DATABASE_URL).'),
  DATABASE_REFRESH_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(5)
    .describe(
      'How often a server re-reads the office waits, visits and closures other processes wrote (answers use the in-memory copy, so they go on while the database is down).',
    ),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .describe('Redis for the scheduler, shared state and rate limits.'),
  MicrosoftAppId: z
    .string()
    .default('')
    .describe('Bot Framework app id; empty accepts anonymous requests (local use, Emulator).'),
  MicrosoftAppPassword: z
    .string()
    .default('')
    .describe('Bot Framework app secret (MultiTenant / SingleTenant).'),
  MicrosoftAppTenantId: z
    .string()
    .default('')
    .describe('Entra ID tenant of the bot (SingleTenant).'),
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', ''])
    .default('')
    .describe('Bot Framework app type.'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,40}$/)
    .default('gsa')
    .describe('Prefix of every BullMQ key in Redis (several deployments can share one Redis).'),
  WORKER: z
    .enum(['inline', 'off'])
    .default('inline')
    .describe('inline: npm start also runs the job workers; off: run them with npm run worker.'),
  NLU_MODEL_DIR: z
    .string()
    .default('')
    .describe(
      'Folder for the trained NLU model (a build artefact, rebuilt when the knowledge changes); empty means ./models in the project.',
    ),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(10)
    .describe('Length of a rate-limit window, in seconds.'),
  RATE_LIMIT_PER_CLIENT: z.coerce
    .number()
    .int()
    .min(0)
    .default(3000)
    .describe('Requests one client (IP) may make to /api per window; 0 turns the limit off.'),
  RATE_LIMIT_PER_CONVERSATION: z.coerce
    .number()
    .int()
    .min(0)
    .default(30)
    .describe('Bot turns one conversation may take per window; 0 turns the limit off.'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Take the client address from X-Forwarded-For (behind a load balancer).'),
  REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(300000)
    .default(15000)
    .describe('A request that takes longer is answered 503 and its connection closed.'),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(10485760)
    .default(262144)
    .describe('Largest accepted request body; larger ones get 413.'),
  DIRECTLINE_STORE: z
    .enum(['sqlite', 'redis'])
    .default('sqlite')
    .describe(
      "Where the built-in Direct Line channel keeps chat conversations: sqlite (this machine's processes) or redis (instances on several machines).",
    ),
  DIRECTLINE_SECRET: z
    .string()
    .default('')
    .describe(
      'Signs web chat conversation tokens; empty: a secret generated once in DATA_DIR (set the same value on every machine of a multi-machine deployment).',
    ),
  OIDC_JWKS_URL: z
    .string()
    .regex(/^(https?:\/\/\S+)?$/, 'must be an http(s) URL or empty')
    .default('')
    .describe(
      'Staff sign-in with the identity provider (Microsoft Entra ID): its JWKS URL; empty accepts only npm run token tokens.',
    ),
  OIDC_ISSUERS: z
    .string()
    .default('')
    .describe(
      'Accepted token issuers, comma-separated (one per tenant, e.g. https://login.microsoftonline.com/TENANT/v2.0).',
    ),
  OIDC_AUDIENCE: z
    .string()
    .default('')
    .describe(
      "Accepted token audience (the API app registration's application ID URI or client id).",
    ),
  OIDC_ROLE_CLAIM: z
    .string()
    .default('roles')
    .describe('Claim holding the app roles (comms, office, agent, admin).'),
  OIDC_ORG_CLAIM: z
    .string()
    .default('tid')
    .describe('Claim that says the organization (the tenant id by default).'),
  OIDC_ORG_MAP: z
    .string()
    .default('')
    .describe('Claim values mapped to organizations: value=service-canada,value=serviceontario.'),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'])
    .default('info')
    .describe('Lowest level written to the log (JSON lines on stdout).'),
  WEB_CONCURRENCY: z
    .preprocess(
      (v) => (v === undefined || v === '' ? Math.min(32, os.availableParallelism()) : v),
      z.coerce.number().int().min(1).max(32),
    )
    .describe(
      'Server processes npm start runs, sharing PORT (node:cluster); empty: one per core (at most 32); 1 runs one process.',
    ),
  BOT_STATE: z
    .enum(['auto', 'sqlite', 'redis'])
    .default('auto')
    .describe(
      'Where the bot keeps conversation and user state: auto (Redis while it answers, the shared database while it does not), sqlite (the shared database: the embedded file, or PostgreSQL with DATABASE_URL) or redis (Redis only: a turn apologizes while it is down).',
    ),
  BOT_STATE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,60}$/)
    .default('gsa:bot:')
    .describe('Prefix of every bot-state key in Redis (BOT_STATE=auto or redis).'),
  BOT_STATE_TTL_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('Days a conversation or user state is kept after its last change.'),
  LOOKUP_MAX_RESULTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe('How many ranked results /api/lookup returns at most.'),
  CAMPAIGN_BLACKOUTS: z
    .string()
    .default('')
    .describe(
      'Campaigns: comma-separated start/end intervals (ISO 8601) when nothing may be published.',
    ),
  CAMPAIGN_CREDENTIALS_FILE: z
    .string()
    .default('')
    .describe(
      'Campaigns: JSON file of platform credentials per account, channel and language; empty: only outbox and webhook.',
    ),
  CAMPAIGN_CREDENTIALS_POLL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(30)
    .describe(
      'Campaigns: how often the credentials file is checked for changes when file events are missed (it is also watched).',
    ),
  CAMPAIGN_TOKEN_KEY: z
    .string()
    .default('')
    .refine((v) => v === '' || /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/.test(v), {
      message: 'must be 32 bytes in hex (64 characters) or base64 (44 characters), or empty',
    })
    .describe(
      'Campaigns: AES-256-GCM key (32 bytes, hex or base64) that encrypts platform tokens in the database; empty: tokens are used as the credentials file gives them and never refreshed.',
    ),
  CAMPAIGN_TOKEN_REFRESH_MARGIN_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400)
    .default(600)
    .describe('Campaigns: an access token expiring within this many seconds is refreshed first.'),
  CAMPAIGN_PREFLIGHT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(43_200)
    .default(60)
    .describe(
      "Campaigns: how long before a post is due its channel's credentials are checked (missing, expired, wrong account, missing scope) and problems alerted.",
    ),
  CAMPAIGN_PREFLIGHT_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(5)
    .max(3600)
    .default(60)
    .describe('Campaigns: how often the worker runs the pre-flight check and refreshes tokens.'),
  CAMPAIGN_WEBHOOK_URL: z
    .string()
    .default('')
    .describe('Campaigns: where the webhook channel POSTs each post.'),
  CAMPAIGN_WEBHOOK_SECRET: z
    .string()
    .default('')
    .describe('Campaigns: shared secret of the webhook HMAC-SHA256 signature.'),
  CAMPAIGN_X_API_URL: z
    .string()
    .url()
    .default('https://api.x.com')
    .describe('Campaigns: base URL of the X API v2.'),
  CAMPAIGN_FACEBOOK_API_URL: z
    .string()
    .url()
    .default('https://graph.facebook.com/v23.0')
    .describe('Campaigns: base URL of the Facebook Graph API, with its version.'),
  CAMPAIGN_LINKEDIN_API_URL: z
    .string()
    .url()
    .default('https://api.linkedin.com')
    .describe('Campaigns: base URL of the LinkedIn REST API.'),
  CAMPAIGN_LINKEDIN_OAUTH_URL: z
    .string()
    .url()
    .default('https://www.linkedin.com')
    .describe('Campaigns: base URL of LinkedIn OAuth 2.0 (token refresh and introspection).'),
  CAMPAIGN_LINKEDIN_VERSION: z
    .string()
    .regex(/^\d{6}$/)
    .default('202611')
    .describe(
      'Campaigns: LinkedIn-Version header (YYYYMM); LinkedIn serves a version for a year, then answers 426.',
    ),
  CAMPAIGN_ALERT_WEBHOOK_URL: z
    .string()
    .regex(/^(https?:\/\/\S+)?$/, 'must be an http(s) URL or empty')
    .default('')
    .describe(
      'Campaigns: where alerts are POSTed (JSON, signed like the webhook channel) when a post fails or its outcome cannot be decided; empty: logged only.',
    ),
  CAMPAIGN_ALERT_WEBHOOK_SECRET: z
    .string()
    .default('')
    .describe('Campaigns: shared secret of the alert webhook HMAC-SHA256 signature.'),
  CAMPAIGN_FEED_SETTLE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .default(10_000)
    .describe(
      "Campaigns: after a call whose outcome is unknown, how long a post missing from the account's feed is still awaited before it is sent again.",
    ),
  CAMPAIGN_HTTP_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(15_000)
    .describe('Campaigns: timeout of one call to a platform, in ms.'),
  CAMPAIGN_PUBLISH_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(8)
    .describe('Campaigns: tries per post before it fails (5xx, 429, network errors).'),
  CAMPAIGN_RETRY_BASE_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(600_000)
    .default(2000)
    .describe('Campaigns: first retry delay in ms, doubled each try.'),
  CAMPAIGN_WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(DEFAULT_CAMPAIGN_WORKER_CONCURRENCY)
    .describe(
      'Campaigns: posts one worker publishes at the same time (each job also holds its slot for the quarter second before its post is due).',
    ),
  CAMPAIGN_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(600_000)
    .default(10_000)
    .describe("Campaigns: job lock; a killed worker's posts are taken over after about this long."),
  CAMPAIGN_RECONCILE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(60)
    .describe(
      'Campaigns: how often the worker checks that every scheduled post has its job in Redis.',
    ),
  WAIT_FEED_URL: z
    .string()
    .regex(/^(https?:\/\/\S+)?$/, 'must be an http(s) URL or empty')
    .default('')
    .describe(
      'JSON feed of office wait times polled by a repeatable job (format in README); empty: no polling.',
    ),
  WAIT_FEED_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86400)
    .default(300)
    .describe('How often the wait-time feed is polled, in seconds.'),
  WAIT_FRESH_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(60)
    .describe(
      'A reported wait older than this is stale: the ranking then predicts it from past reports.',
    ),
});

export type Config = Readonly<z.infer<typeof configSchema>> & {
  readonly dataDir: string;
  readonly modelDir: string;
};

/** A postgres:// URL with a host and a database name (its text is never echoed: it may hold a password). */
function isPostgresUrlOrEmpty(value: string): boolean {
  if (value === '') return true;
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'postgres:' || url.protocol === 'postgresql:') &&
      url.hostname !== '' &&
      url.pathname.length > 1
    );
  } catch {
    return false;
  }
}

/** Reads and validates the environment once. Throws a message naming every bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  const modelDir = parsed.data.NLU_MODEL_DIR
    ? path.resolve(parsed.data.NLU_MODEL_DIR)
    : path.join(PROJECT_ROOT, 'models');
  return Object.freeze({ ...parsed.data, dataDir, modelDir });
}
