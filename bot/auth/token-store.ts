import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../lib/database';
import type { ModuleMigrations } from '../../lib/migrations';
import { Organization, ORGANIZATIONS } from '../../lib/vocabulary';

export const ROLES = ['comms', 'office', 'agent', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export { ORGANIZATIONS };
export type { Organization };

export interface StaffIdentity {
  tokenId: string;
  role: Role;
  org: Organization;
  label: string | null;
}

type TokenTables = {
  staff_tokens: {
    id: string;
    hash: string;
    role: Role;
    org: Organization;
    label: string | null;
    created_at: string;
    expires_at: string | null;
    revoked_at: string | null;
  };
};

export const TOKEN_MIGRATIONS: ModuleMigrations = {
  module: 'auth',
  migrations: [
    (db) =>
      db.schema
        .createTable('staff_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute(),
  ],
};

const PREFIX = 'gst_';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Staff bearer tokens. Only the SHA-256 of a token is stored; the token itself is shown once, when
 * it is issued.
 */
export class TokenStore {
  private readonly db: Kysely<TokenTables>;

  constructor(database: Database) {
    this.db = database.kysely.withTables<TokenTables>();
  }

  async issue(opts: {
    role: Role;
    org: Organization;
    label?: string;
    days?: number;
    now?: Date;
  }): Promise<{ id: string; token: string; expiresAt: string | null }> {
    const now = opts.now ?? new Date();
    const id = crypto.randomUUID();
    const token = PREFIX + crypto.randomBytes(32).toString('base64url');
    const expiresAt = opts.days
      ? new Date(now.getTime() + opts.days * 86_400_000).toISOString()
      : null;
    await this.db
      .insertInto('staff_tokens')
      .values({
        id,
        hash: hashToken(token),
        role: opts.role,
        org: opts.org,
        label: opts.label ?? null,
        created_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute();
    return { id, token, expiresAt };
  }

  /** The identity of a valid token; `expired` for a known but expired or revoked one; null when unknown. */
  async verify(token: string, now: Date = new Date()): Promise<StaffIdentity | 'expired' | null> {
    if (!token.startsWith(PREFIX) || token.length > 200) return null;
    const row = await this.db
      .selectFrom('staff_tokens')
      .select(['id', 'role', 'org', 'label', 'expires_at', 'revoked_at'])
      .where('hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) return null;
    if (row.revoked_at || (row.expires_at && row.expires_at <= now.toISOString())) return 'expired';
    return { tokenId: row.id, role: row.role, org: row.org, label: row.label };
  }

  /** Revokes by token or by token id; returns whether one was revoked. */
  async revoke(tokenOrId: string, now: Date = new Date()): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_tokens')
      .set({ revoked_at: now.toISOString() })
      .where((eb) =>
        eb.and([
          eb.or([eb('hash', '=', hashToken(tokenOrId)), eb('id', '=', tokenOrId)]),
          eb('revoked_at', 'is', null),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
