import type { Db } from '../lib/db';
import { redact } from '../lib/redact';
import type { Actor } from './model';
import { statement } from './sql';

/** What the audit log records. Each has a sentence in locales/{en,fr}/campaigns.json under `audit.`. */
export const AUDIT_ACTIONS = [
  'created',
  'edited',
  'rescheduled',
  'approved',
  'rejected',
  'scheduled',
  'cancelled',
  'paused',
  'resumed',
  'paused_all',
  'resumed_all',
  'publishing',
  'published',
  'retrying',
  'failed',
  'share_scheduled',
  'occurrence_skipped',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  at: string;
  campaignId: string | null;
  postId: string | null;
  action: AuditAction;
  actor: Actor;
  details: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: string;
  campaign_id: string | null;
  post_id: string | null;
  action: AuditAction;
  actor_kind: Actor['kind'];
  actor_org: Actor['org'];
  actor_role: string | null;
  actor_token: string | null;
  details_json: string | null;
}

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}

/** Who did what and when, append-only. Free text (reasons, platform answers) is redacted before it is stored. */
export class AuditLog {
  constructor(private readonly db: Db) {}

  record(
    entry: {
      campaignId?: string | null;
      postId?: string | null;
      action: AuditAction;
      actor: Actor;
      details?: Record<string, unknown>;
    },
    now = new Date().toISOString(),
  ): void {
    statement(
      this.db,
      `INSERT INTO campaign_audit (at, campaign_id, post_id, action, actor_kind, actor_org, actor_role, actor_token, details_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      now,
      entry.campaignId ?? null,
      entry.postId ?? null,
      entry.action,
      entry.actor.kind,
      entry.actor.org,
      entry.actor.role,
      entry.actor.tokenId,
      entry.details ? JSON.stringify(redactDeep(entry.details)) : null,
    );
  }

  /** Newest first; `campaignId` null lists the service-wide entries (pause and resume of everything). */
  list(opts: { campaignId?: string | null; limit: number; beforeId?: number }): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.campaignId === null) where.push('campaign_id IS NULL');
    else if (opts.campaignId !== undefined) {
      where.push('campaign_id = ?');
      args.push(opts.campaignId);
    }
    if (opts.beforeId !== undefined) {
      where.push('id < ?');
      args.push(opts.beforeId);
    }
    const sql = `SELECT * FROM campaign_audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    return (statement(this.db, sql).all(...args, opts.limit) as AuditRow[]).map((r) => ({
      id: r.id,
      at: r.at,
      campaignId: r.campaign_id,
      postId: r.post_id,
      action: r.action,
      actor: { kind: r.actor_kind, org: r.actor_org, role: r.actor_role, tokenId: r.actor_token },
      details: r.details_json ? (JSON.parse(r.details_json) as Record<string, unknown>) : {},
    }));
  }
}
