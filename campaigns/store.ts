import crypto from 'node:crypto';
import type { Organization } from '../lib/vocabulary';
import type { Db } from '../lib/db';
import { migrateCampaigns } from './migrations';
import {
  ACCOUNT_ORGANIZATION,
  Actor,
  CampaignDraft,
  CampaignRecord,
  PartnerShare,
  partnerAccount,
  PostDraft,
  PostRecord,
  StoredCampaignStatus,
  StoredPostStatus,
} from './model';
import { parseTime } from './time';
import { statement } from './sql';

interface PostRow {
  id: string;
  campaign_id: string;
  position: number;
  channel: string;
  account: string;
  org: string;
  publish_at: string | null;
  publish_at_ms: number | null;
  text_json: string | null;
  image_json: string | null;
  repeat_json: string | null;
  partner_share_json: string | null;
  share_of: string | null;
  status: string;
  version: number;
  attempts: number;
  occurrences: number;
  published_at: string | null;
  lateness_ms: number | null;
  external_id: string | null;
  external_url: string | null;
  external_ids_json: string | null;
  error_json: string | null;
  next_attempt_at: string | null;
  updated_at: string;
}

interface CampaignRow {
  id: string;
  title: string;
  status: string;
  paused: number;
  created_by_org: string;
  created_by_token: string;
  created_at: string;
  updated_at: string;
  rejected_by_org: string | null;
  rejected_reason: string | null;
  rejected_at: string | null;
}

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function toPost(r: PostRow): PostRecord {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    position: r.position,
    channel: r.channel as PostRecord['channel'],
    account: r.account as PostRecord['account'],
    org: r.org as Organization,
    publishAt: r.publish_at,
    publishAtMs: r.publish_at_ms,
    text: json(r.text_json),
    image: json(r.image_json),
    repeat: json(r.repeat_json),
    partnerShare: json(r.partner_share_json),
    shareOf: r.share_of,
    status: r.status as StoredPostStatus,
    version: r.version,
    attempts: r.attempts,
    occurrences: r.occurrences,
    publishedAt: r.published_at,
    latenessMs: r.lateness_ms,
    externalId: r.external_id,
    externalUrl: r.external_url,
    externalIds: json(r.external_ids_json) ?? {},
    error: json(r.error_json),
    nextAttemptAt: r.next_attempt_at,
    updatedAt: r.updated_at,
  };
}

/** Columns a post update may set, by record field. */
const POST_COLUMNS = {
  publishAt: 'publish_at',
  publishAtMs: 'publish_at_ms',
  text: 'text_json',
  image: 'image_json',
  repeat: 'repeat_json',
  partnerShare: 'partner_share_json',
  status: 'status',
  version: 'version',
  attempts: 'attempts',
  occurrences: 'occurrences',
  publishedAt: 'published_at',
  latenessMs: 'lateness_ms',
  externalId: 'external_id',
  externalUrl: 'external_url',
  externalIds: 'external_ids_json',
  error: 'error_json',
  nextAttemptAt: 'next_attempt_at',
  channel: 'channel',
  account: 'account',
  org: 'org',
} as const;
export type PostPatch = Partial<Pick<PostRecord, keyof typeof POST_COLUMNS>>;
const JSON_FIELDS = new Set(['text', 'image', 'repeat', 'partnerShare', 'externalIds', 'error']);

/** Typed access to the campaign tables. Every method is one statement or one transaction. */
export class CampaignStore {
  constructor(readonly db: Db) {
    migrateCampaigns(db);
  }

  /**
   * BEGIN IMMEDIATE: the write lock is taken first (waiting busy_timeout for it), so a transaction
   * that reads then writes is not refused (SQLITE_BUSY_SNAPSHOT, at once) because another process
   * (a worker, the token store) wrote in between.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  insertCampaign(
    draft: CampaignDraft,
    actor: Actor & { org: Organization; tokenId: string },
    now: string,
  ): string {
    const id = crypto.randomUUID();
    this.transaction(() => {
      statement(
        this.db,
        'INSERT INTO campaigns (id, title, status, created_by_org, created_by_token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(id, draft.title, 'draft', actor.org, actor.tokenId, now, now);
      draft.posts.forEach((p, i) => this.insertPost(id, i, p, now));
    });
    return id;
  }

  /** Inserts an original post and, when it asks for one, its partner's share (timed once the original is out). */
  insertPost(campaignId: string, position: number, p: PostDraft, now: string): string {
    const id = crypto.randomUUID();
    const ms = (parseTime(p.publishAt) as { ms: number }).ms;
    const insert = statement(
      this.db,
      `INSERT INTO campaign_posts (id, campaign_id, position, channel, account, org, publish_at, publish_at_ms,
      text_json, image_json, repeat_json, partner_share_json, share_of, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?)`,
    );
    const str = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
    insert.run(
      id,
      campaignId,
      position * 2,
      p.channel,
      p.account,
      ACCOUNT_ORGANIZATION[p.account],
      p.publishAt,
      ms,
      str(p.text),
      str(p.image),
      str(p.repeat),
      str(p.partnerShare),
      null,
      now,
    );
    if (p.partnerShare)
      this.insertShare(
        {
          id,
          campaignId,
          position: position * 2,
          channel: p.channel,
          account: p.account,
          partnerShare: p.partnerShare,
        },
        now,
      );
    return id;
  }

  /** The partner's share of an original post: the other organization's account, timed once the original is out. */
  insertShare(
    original: Pick<PostRecord, 'id' | 'campaignId' | 'position' | 'channel' | 'account'> & {
      partnerShare: PartnerShare;
    },
    now: string,
  ): string {
    const id = crypto.randomUUID();
    const partner = partnerAccount(original.account);
    statement(
      this.db,
      `INSERT INTO campaign_posts (id, campaign_id, position, channel, account, org, text_json, share_of, status, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?)`,
    ).run(
      id,
      original.campaignId,
      original.position + 1,
      original.channel,
      partner,
      ACCOUNT_ORGANIZATION[partner],
      original.partnerShare.text ? JSON.stringify(original.partnerShare.text) : null,
      original.id,
      now,
    );
    return id;
  }

  getCampaign(id: string): CampaignRecord | undefined {
    const row = statement(this.db, 'SELECT * FROM campaigns WHERE id = ?').get(id) as
      CampaignRow | undefined;
    if (!row) return undefined;
    const approvals = statement(
      this.db,
      'SELECT org, token_id, approved_at FROM campaign_approvals WHERE campaign_id = ? ORDER BY approved_at',
    ).all(id) as {
      org: Organization;
      token_id: string;
      approved_at: string;
    }[];
    return {
      id: row.id,
      title: row.title,
      status: row.status as StoredCampaignStatus,
      paused: row.paused === 1,
      createdBy: { org: row.created_by_org as Organization, tokenId: row.created_by_token },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      rejection: row.rejected_by_org
        ? {
            org: row.rejected_by_org as Organization,
            reason: row.rejected_reason ?? '',
            at: row.rejected_at ?? '',
          }
        : null,
      approvals: approvals.map((a) => ({ org: a.org, tokenId: a.token_id, at: a.approved_at })),
      posts: this.postsOf(id),
    };
  }

  listCampaignIds(opts: {
    status?: StoredCampaignStatus;
    limit: number;
    offset: number;
  }): string[] {
    const where = opts.status ? 'WHERE status = ?' : '';
    const args: unknown[] = opts.status ? [opts.status] : [];
    return (
      statement(
        this.db,
        `SELECT id FROM campaigns ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
      ).all(...args, opts.limit, opts.offset) as { id: string }[]
    ).map((r) => r.id);
  }

  postsOf(campaignId: string): PostRecord[] {
    return (
      statement(
        this.db,
        'SELECT * FROM campaign_posts WHERE campaign_id = ? ORDER BY position',
      ).all(campaignId) as PostRow[]
    ).map(toPost);
  }

  getPost(id: string): PostRecord | undefined {
    const row = statement(this.db, 'SELECT * FROM campaign_posts WHERE id = ?').get(id) as
      PostRow | undefined;
    return row ? toPost(row) : undefined;
  }

  /** The share that waits for `postId` to be published, if any. */
  shareOf(postId: string): PostRecord | undefined {
    const row = statement(this.db, 'SELECT * FROM campaign_posts WHERE share_of = ?').get(
      postId,
    ) as PostRow | undefined;
    return row ? toPost(row) : undefined;
  }

  /**
   * Updates a post. With `expect`, only when its version and (optionally) status still match: the
   * check-and-set that keeps two workers, or a worker and an edit, from both acting. Returns whether it changed.
   */
  patchPost(
    id: string,
    patch: PostPatch,
    expect?: { version?: number; statuses?: readonly StoredPostStatus[] },
    now = new Date().toISOString(),
  ): boolean {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    const sets = entries.map(([k]) => `${POST_COLUMNS[k as keyof typeof POST_COLUMNS]} = ?`);
    const values = entries.map(([k, v]) =>
      JSON_FIELDS.has(k) ? (v === null ? null : JSON.stringify(v)) : v,
    );
    let where = 'id = ?';
    const args: unknown[] = [id];
    if (expect?.version !== undefined) {
      where += ' AND version = ?';
      args.push(expect.version);
    }
    if (expect?.statuses) {
      where += ` AND status IN (${expect.statuses.map(() => '?').join(', ')})`;
      args.push(...expect.statuses);
    }
    const sql = `UPDATE campaign_posts SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE ${where}`;
    return statement(this.db, sql).run(...values, now, ...args).changes > 0;
  }

  /** Sets every post of a campaign in one of `from` to `to`, bumping versions so their old jobs are stale. */
  movePosts(
    campaignId: string,
    from: readonly StoredPostStatus[],
    to: StoredPostStatus,
    now: string,
  ): number {
    const sql = `UPDATE campaign_posts SET status = ?, version = version + 1, updated_at = ? WHERE campaign_id = ? AND status IN (${from.map(() => '?').join(', ')})`;
    return statement(this.db, sql).run(to, now, campaignId, ...from).changes;
  }

  setCampaign(
    id: string,
    fields: {
      status?: StoredCampaignStatus;
      paused?: boolean;
      title?: string;
      rejection?: { org: string; reason: string } | null;
    },
    now: string,
  ): void {
    const sets: string[] = ['updated_at = ?'];
    const args: unknown[] = [now];
    if (fields.status) {
      sets.push('status = ?');
      args.push(fields.status);
    }
    if (fields.paused !== undefined) {
      sets.push('paused = ?');
      args.push(fields.paused ? 1 : 0);
    }
    if (fields.title !== undefined) {
      sets.push('title = ?');
      args.push(fields.title);
    }
    if (fields.rejection !== undefined) {
      sets.push('rejected_by_org = ?', 'rejected_reason = ?', 'rejected_at = ?');
      args.push(
        fields.rejection?.org ?? null,
        fields.rejection?.reason ?? null,
        fields.rejection ? now : null,
      );
    }
    statement(this.db, `UPDATE campaigns SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  addApproval(campaignId: string, org: Organization, tokenId: string, now: string): boolean {
    return (
      statement(
        this.db,
        'INSERT OR IGNORE INTO campaign_approvals (campaign_id, org, token_id, approved_at) VALUES (?, ?, ?, ?)',
      ).run(campaignId, org, tokenId, now).changes > 0
    );
  }

  clearApprovals(campaignId: string): void {
    statement(this.db, 'DELETE FROM campaign_approvals WHERE campaign_id = ?').run(campaignId);
  }

  /** Posts that should have a job in Redis: waiting or in progress, timed, in a scheduled campaign that is not paused. */
  activePosts(): PostRecord[] {
    return (
      statement(
        this.db,
        `SELECT p.* FROM campaign_posts p JOIN campaigns c ON c.id = p.campaign_id
      WHERE p.status IN ('scheduled', 'publishing') AND p.publish_at_ms IS NOT NULL AND c.status = 'scheduled' AND c.paused = 0
      ORDER BY p.publish_at_ms`,
      ).all() as PostRow[]
    ).map(toPost);
  }

  /** Campaigns with posts still to publish (what "pause everything" stops). */
  liveCampaignIds(): string[] {
    return (
      statement(
        this.db,
        `SELECT DISTINCT c.id FROM campaigns c JOIN campaign_posts p ON p.campaign_id = c.id
      WHERE c.status = 'scheduled' AND p.status IN ('scheduled', 'publishing')`,
      ).all() as { id: string }[]
    ).map((r) => r.id);
  }

  getSetting(key: string): string | undefined {
    return (
      statement(this.db, 'SELECT value FROM campaign_settings WHERE key = ?').get(key) as
        { value: string } | undefined
    )?.value;
  }

  setSetting(key: string, value: string | null): void {
    if (value === null) statement(this.db, 'DELETE FROM campaign_settings WHERE key = ?').run(key);
    else
      statement(
        this.db,
        'INSERT INTO campaign_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ).run(key, value);
  }

  /** The emergency stop: while set, nothing publishes, whatever Redis holds. */
  pausedAll(): { at: string; reason: string | null } | null {
    const v = this.getSetting('paused_all');
    return v ? (JSON.parse(v) as { at: string; reason: string | null }) : null;
  }
}
