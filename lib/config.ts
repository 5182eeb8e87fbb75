import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment key the service reads, with its default and what it is for.
 * `.env.example` lists the same keys (a test keeps them in step).
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978).describe('HTTP port for the API, the bot and the pages.'),
  HOST: z.string().default('0.0.0.0').describe('Interface to listen on.'),
  DATA_DIR: z.string().default('./data').describe('Folder for the SQLite database and the trained NLU model.'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379').describe('Redis for the scheduler, shared state and rate limits.'),
  MicrosoftAppId: z.string().default('').describe('Bot Framework app id; empty accepts anonymous requests (local use, Emulator).'),
  MicrosoftAppPassword: z.string().default('').describe('Bot Framework app secret (MultiTenant / SingleTenant).'),
  MicrosoftAppTenantId: z.string().default('').describe('Entra ID tenant of the bot (SingleTenant).'),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', '']).default('').describe('Bot Framework app type.'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,40}$/).default('gsa').describe('Prefix of every BullMQ key in Redis (several deployments can share one Redis).'),
  WORKER: z.enum(['inline', 'off']).default('inline').describe('inline: npm start also runs the job workers; off: run them with npm run worker.'),
  NLU_MODEL_DIR: z.string().default('').describe('Folder for the trained NLU model; empty means DATA_DIR.'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info').describe('Lowest level written to the log (JSON lines on stdout).'),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1).describe('Server processes npm start runs, sharing PORT (node:cluster); 1 runs one process.'),
  BOT_STATE: z.enum(['sqlite', 'redis']).default('sqlite').describe('Where the bot keeps conversation and user state: sqlite (embedded, one instance) or redis (shared by several instances).'),
  BOT_STATE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,60}$/).default('gsa:bot:').describe('Prefix of every bot-state key in Redis (BOT_STATE=redis).'),
  BOT_STATE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30).describe('Days a conversation or user state is kept after its last change.'),
  LOOKUP_MAX_RESULTS: z.coerce.number().int().min(1).max(20).default(5).describe('How many ranked results /api/lookup returns at most.'),
});

export type Config = Readonly<z.infer<typeof configSchema>> & { readonly dataDir: string; readonly modelDir: string };

/** Reads and validates the environment once. Throws a message naming every bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return Object.freeze({ ...parsed.data, dataDir, modelDir: parsed.data.NLU_MODEL_DIR ? path.resolve(parsed.data.NLU_MODEL_DIR) : dataDir });
}
