import crypto from 'node:crypto';
import { Db, migrate } from '../../lib/db';
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

const MIGRATIONS = [
  `CREATE TABLE staff_tokens (
     id TEXT PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL,
     org TEXT NOT NULL,
     label TEXT,
     created_at TEXT NOT NULL,
     expires_at TEXT,
     revoked_at TEXT
   );`,
];

const PREFIX = 'gst_';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Staff bearer tokens. Only the SHA-256 of a token is stored; the token itself is shown once, when
 * it is issued.
 */
export class TokenStore {
  private readonly findStmt;

  constructor(private readonly db: Db) {
    migrate(db, 'auth', MIGRATIONS);
    this.findStmt = db.prepare(
      'SELECT id, role, org, label, expires_at, revoked_at FROM staff_tokens WHERE hash = ?',
    );
  }

  issue(opts: { role: Role; org: Organization; label?: string; days?: number; now?: Date }): {
    id: string;
    token: string;
    expiresAt: string | null;
  } {
    const now = opts.now ?? new Date();
    const id = crypto.randomUUID();
    const token = PREFIX + crypto.randomBytes(32).toString('base64url');
    const expiresAt = opts.days
      ? new Date(now.getTime() + opts.days * 86_400_000).toISOString()
      : null;
    this.db
      .prepare(
        'INSERT INTO staff_tokens (id, hash, role, org, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        hashToken(token),
        opts.role,
        opts.org,
        opts.label ?? null,
        now.toISOString(),
        expiresAt,
      );
    return { id, token, expiresAt };
  }

  /** The identity of a valid token; `expired` for a known but expired or revoked one; null when unknown. */
  verify(token: string, now: Date = new Date()): StaffIdentity | 'expired' | null {
    if (!token.startsWith(PREFIX) || token.length > 200) return null;
    const row = this.findStmt.get(hashToken(token)) as
      | {
          id: string;
          role: Role;
          org: Organization;
          label: string | null;
          expires_at: string | null;
          revoked_at: string | null;
        }
      | undefined;
    if (!row) return null;
    if (row.revoked_at || (row.expires_at && row.expires_at <= now.toISOString())) return 'expired';
    return { tokenId: row.id, role: row.role, org: row.org, label: row.label };
  }

  /** Revokes by token or by token id; returns whether one was revoked. */
  revoke(tokenOrId: string, now: Date = new Date()): boolean {
    const info = this.db
      .prepare(
        'UPDATE staff_tokens SET revoked_at = ? WHERE (hash = ? OR id = ?) AND revoked_at IS NULL',
      )
      .run(now.toISOString(), hashToken(tokenOrId), tokenOrId);
    return info.changes > 0;
  }
}
