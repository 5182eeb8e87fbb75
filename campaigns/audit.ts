import type { Kysely } from 'kysely';
import { redact } from '../lib/redact';
import type { Actor } from './model';
import type { CampaignTables } from './tables';

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

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}

/** Who did what and when, append-only. Free text (reasons, platform answers) is redacted before it is stored. */
export class AuditLog {
  constructor(private readonly db: Kysely<CampaignTables>) {}

  async record(
    entry: {
      campaignId?: string | null;
      postId?: string | null;
      action: AuditAction;
      actor: Actor;
      details?: Record<string, unknown>;
    },
    now = new Date().toISOString(),
  ): Promise<void> {
    await this.db
      .insertInto('campaign_audit')
      .values({
        at: now,
        campaign_id: entry.campaignId ?? null,
        post_id: entry.postId ?? null,
        action: entry.action,
        actor_kind: entry.actor.kind,
        actor_org: entry.actor.org,
        actor_role: entry.actor.role,
        actor_token: entry.actor.tokenId,
        details_json: entry.details ? JSON.stringify(redactDeep(entry.details)) : null,
      })
      .execute();
  }

  /** Newest first; `campaignId` null lists the service-wide entries (pause and resume of everything). */
  async list(opts: {
    campaignId?: string | null;
    limit: number;
    beforeId?: number;
  }): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('campaign_audit').selectAll();
    if (opts.campaignId === null) q = q.where('campaign_id', 'is', null);
    else if (opts.campaignId !== undefined) q = q.where('campaign_id', '=', opts.campaignId);
    if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      campaignId: r.campaign_id,
      postId: r.post_id,
      action: r.action as AuditAction,
      actor: {
        kind: r.actor_kind as Actor['kind'],
        org: r.actor_org as Actor['org'],
        role: r.actor_role,
        tokenId: r.actor_token,
      },
      details: r.details_json ? (JSON.parse(r.details_json) as Record<string, unknown>) : {},
    }));
  }
}
