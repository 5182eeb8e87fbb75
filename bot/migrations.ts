import { DIRECTLINE_MIGRATIONS } from './directline/store';
import { TOKEN_MIGRATIONS } from './auth/token-store';
import { CAMPAIGN_MIGRATIONS } from '../campaigns/tables';
import { CAMPAIGN_TOKEN_MIGRATIONS } from '../campaigns/tokens/tables';
import { BOT_STATE_MIGRATIONS } from './state/sql-storage';
import { OUTREACH_MIGRATIONS } from '../knowledge/offices/outreach-store';
import { WAIT_MIGRATIONS } from '../knowledge/offices/wait-store';
import { POPULATION_MIGRATIONS } from '../knowledge/usage/population';
import { USAGE_MIGRATIONS } from '../knowledge/usage/usage-store';
import type { ModuleMigrations } from '../lib/migrations';
import { SECRET_MIGRATIONS } from '../lib/secrets';

/**
 * Every module whose tables live in the shared database (SQLite file or PostgreSQL), in one list:
 * the bootstrap and `npm run db:migrate` apply them. The knowledge and inventory search indexes
 * stay in the embedded file and migrate themselves (lib/db.ts).
 */
export const SHARED_MIGRATIONS: readonly ModuleMigrations[] = [
  TOKEN_MIGRATIONS,
  WAIT_MIGRATIONS,
  OUTREACH_MIGRATIONS,
  USAGE_MIGRATIONS,
  POPULATION_MIGRATIONS,
  DIRECTLINE_MIGRATIONS,
  BOT_STATE_MIGRATIONS,
  SECRET_MIGRATIONS,
  CAMPAIGN_TOKEN_MIGRATIONS,
  CAMPAIGN_MIGRATIONS,
];
