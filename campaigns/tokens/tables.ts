import type { ModuleMigrations } from '../../lib/migrations';

/**
 * The platform tokens the campaign workers share (access and refresh token sealed together, their
 * expiry, the version that orders rotations and the lease of the one process refreshing), and the
 * credential problems the pre-flight found. In the shared database (SQLite file, or PostgreSQL with
 * DATABASE_URL) so every worker of every machine sees the same rotated token.
 */
export type TokenTables = {
  campaign_tokens: {
    /** The credentials file's entry: `service-canada.x.fr`, or `service-canada.linkedin`. */
    entry: string;
    /** Fingerprint of the tokens the file gave: a new file entry (a reconnect) replaces the row. */
    seed: string;
    /** Fingerprints of the file tokens it held before (space-separated): an old copy of the file is not taken for a reconnect. */
    past_seeds: string;
    /** `{ accessToken, refreshToken }`, AES-256-GCM under CAMPAIGN_TOKEN_KEY, bound to the entry. */
    secret: string;
    access_expires_at: number | null;
    refresh_expires_at: number | null;
    scope: string | null;
    version: number;
    lease_until: number | null;
    lease_owner: string | null;
    refreshed_at: string | null;
    /** Why the last refresh failed (the platform's words), or null. */
    failure: string | null;
    updated_at: string;
  };
  campaign_credential_problems: {
    entry: string;
    code: string;
    account: string | null;
    channel: string | null;
    /** Null when the entry serves both languages, or names no usable language. */
    language: string | null;
    detail: string;
    /** The first upcoming post it stops, when one is known. */
    first_due_at: string | null;
    first_seen: string;
    last_seen: string;
    alerted_at: string | null;
  };
};

export const CAMPAIGN_TOKEN_MIGRATIONS: ModuleMigrations = {
  module: 'campaign-tokens',
  migrations: [
    async (db) => {
      await db.schema
        .createTable('campaign_tokens')
        .addColumn('entry', 'text', (c) => c.primaryKey())
        .addColumn('seed', 'text', (c) => c.notNull())
        .addColumn('past_seeds', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('access_expires_at', 'bigint')
        .addColumn('refresh_expires_at', 'bigint')
        .addColumn('scope', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('lease_until', 'bigint')
        .addColumn('lease_owner', 'text')
        .addColumn('refreshed_at', 'text')
        .addColumn('failure', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('campaign_credential_problems')
        .addColumn('entry', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('account', 'text')
        .addColumn('channel', 'text')
        .addColumn('language', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('first_due_at', 'text')
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('alerted_at', 'text')
        .addPrimaryKeyConstraint('campaign_credential_problems_pkey', ['entry', 'code'])
        .execute();
    },
  ],
};
