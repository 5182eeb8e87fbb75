import crypto from 'node:crypto';
import { type Kysely, sql, type Updateable } from 'kysely';
import type { Database, Engine } from '../lib/database';
import type { Organization } from '../lib/vocabulary';
import { AuditLog } from './audit';
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
import { type PostPatch, postColumns, str, toCampaign, toPost } from './rows';
import type { CampaignTables } from './tables';
import { parseTime } from './time';

export type { PostPatch };

/** The campaign tables through Kysely: the database itself, or a transaction on it. */
export type CampaignDb = Kysely<CampaignTables>;

/** What a campaign transaction works with: the store and the audit log, both on the transaction. */
export interface CampaignTx {
  store: CampaignStore;
  audit: AuditLog;
}

/**
 * Typed access to the campaign tables, on the shared database. Every method is one statement, or
 * one transaction; `transaction` runs several on one connection (the same methods, bound to it).
 */
export class CampaignStore {
  constructor(
    readonly db: CampaignDb,
    readonly engine: Engine,
  ) {}

  static open(database: Database): CampaignStore {
    return new CampaignStore(database.kysely.withTables<CampaignTables>(), database.engine);
  }

  /**
   * Runs `fn` in one transaction (or in the caller's, when this store is already bound to one).
   * SQLite: a write first, so the transaction holds the file's write lock before it reads (waiting
   * busy_timeout for it) and is not refused because another process wrote in between; PostgreSQL:
   * the operations lock the rows they decide on (`lockCampaign`, the delivery claims).
   */
  async transaction<T>(fn: (tx: CampaignTx) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn({ store: this, audit: new AuditLog(this.db) });
    return this.db.transaction().execute(async (trx) => {
      if (this.engine === 'sqlite') await writeLock(trx);
      return fn({ store: new CampaignStore(trx, this.engine), audit: new AuditLog(trx) });
    });
  }

  /** In a transaction on PostgreSQL: holds the campaign's row until it ends (SQLite holds the whole file). */
  async lockCampaign(id: string): Promise<void> {
    if (this.engine !== 'postgres') return;
    await this.db.selectFrom('campaigns').select('id').where('id', '=', id).forUpdate().execute();
  }

  async insertCampaign(
    draft: CampaignDraft,
    actor: Actor & { org: Organization; tokenId: string },
    now: string,
  ): Promise<string> {
    const id = crypto.randomUUID();
    await this.transaction(async ({ store }) => {
      await store.db
        .insertInto('campaigns')
        .values({
          id,
          title: draft.title,
          status: 'draft',
          created_by_org: actor.org,
          created_by_token: actor.tokenId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (const [i, p] of draft.posts.entries()) await store.insertPost(id, i, p, now);
    });
    return id;
  }

  /** Inserts an original post and, when it asks for one, its partner's share (timed once the original is out). */
  async insertPost(
    campaignId: string,
    position: number,
    p: PostDraft,
    now: string,
  ): Promise<string> {
    const id = crypto.randomUUID();
    const ms = (parseTime(p.publishAt) as { ms: number }).ms;
    await this.db
      .insertInto('campaign_posts')
      .values({
        id,
        campaign_id: campaignId,
        position: position * 2,
        channel: p.channel,
        account: p.account,
        org: ACCOUNT_ORGANIZATION[p.account],
        publish_at: p.publishAt,
        publish_at_ms: ms,
        text_json: str(p.text),
        image_json: str(p.image),
        repeat_json: str(p.repeat),
        partner_share_json: str(p.partnerShare),
        share_of: null,
        status: 'draft',
        updated_at: now,
      })
      .execute();
    if (p.partnerShare)
      await this.insertShare(
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
  async insertShare(
    original: Pick<PostRecord, 'id' | 'campaignId' | 'position' | 'channel' | 'account'> & {
      partnerShare: PartnerShare;
    },
    now: string,
  ): Promise<string> {
    const id = crypto.randomUUID();
    const partner = partnerAccount(original.account);
    await this.db
      .insertInto('campaign_posts')
      .values({
        id,
        campaign_id: original.campaignId,
        position: original.position + 1,
        channel: original.channel,
        account: partner,
        org: ACCOUNT_ORGANIZATION[partner],
        text_json: original.partnerShare.text ? JSON.stringify(original.partnerShare.text) : null,
        share_of: original.id,
        status: 'draft',
        updated_at: now,
      })
      .execute();
    return id;
  }

  async getCampaign(id: string): Promise<CampaignRecord | undefined> {
    const row = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const approvals = await this.db
      .selectFrom('campaign_approvals')
      .select(['org', 'token_id', 'approved_at'])
      .where('campaign_id', '=', id)
      .orderBy('approved_at')
      .execute();
    return toCampaign(row, approvals, await this.postsOf(id));
  }

  /**
   * What a publish job needs to know in one read: the post, its campaign's status and pause flag,
   * and whether everything is paused (undefined when the post does not exist).
   */
  async publishState(
    postId: string,
  ): Promise<
    | { post: PostRecord; campaign: { status: string; paused: number }; pausedAll: boolean }
    | undefined
  > {
    const row = await this.db
      .selectFrom('campaign_posts as p')
      .innerJoin('campaigns as c', 'c.id', 'p.campaign_id')
      .selectAll('p')
      .select(['c.status as campaign_status', 'c.paused as campaign_paused'])
      .select((eb) =>
        eb
          .selectFrom('campaign_settings')
          .select('value')
          .where('key', '=', 'paused_all')
          .as('paused_all'),
      )
      .where('p.id', '=', postId)
      .executeTakeFirst();
    if (!row) return undefined;
    const { campaign_status: status, campaign_paused: paused, paused_all, ...post } = row;
    return { post: toPost(post), campaign: { status, paused }, pausedAll: Boolean(paused_all) };
  }

  async listCampaignIds(opts: {
    status?: StoredCampaignStatus;
    limit: number;
    offset: number;
  }): Promise<string[]> {
    let q = this.db.selectFrom('campaigns').select('id');
    if (opts.status) q = q.where('status', '=', opts.status);
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute();
    return rows.map((r) => r.id);
  }

  async postsOf(campaignId: string): Promise<PostRecord[]> {
    const rows = await this.db
      .selectFrom('campaign_posts')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('position')
      .execute();
    return rows.map(toPost);
  }

  getPost(id: string): Promise<PostRecord | undefined> {
    return this.postWhere('id', id);
  }

  /** The share that waits for `postId` to be published, if any. */
  shareOf(postId: string): Promise<PostRecord | undefined> {
    return this.postWhere('share_of', postId);
  }

  private async postWhere(column: 'id' | 'share_of', value: string) {
    const row = await this.db
      .selectFrom('campaign_posts')
      .selectAll()
      .where(column, '=', value)
      .executeTakeFirst();
    return row ? toPost(row) : undefined;
  }

  /**
   * Updates a post. With `expect`, only when its version and (optionally) status still match: the
   * check-and-set that keeps two workers, or a worker and an edit, from both acting (one statement:
   * on PostgreSQL the second waits for the first's row lock, then finds the version moved). Returns
   * whether it changed.
   */
  async patchPost(
    id: string,
    patch: PostPatch,
    expect?: { version?: number; statuses?: readonly StoredPostStatus[] },
    now = new Date().toISOString(),
  ): Promise<boolean> {
    let q = this.db
      .updateTable('campaign_posts')
      .set({ ...postColumns(patch), updated_at: now })
      .where('id', '=', id);
    if (expect?.version !== undefined) q = q.where('version', '=', expect.version);
    if (expect?.statuses) q = q.where('status', 'in', expect.statuses);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Gives a post whose job ended without it a new version (and so a new job id), in a transaction
   * that picks the row with SKIP LOCKED on PostgreSQL: a reconciler passes over a post a worker holds
   * right now, and of two reconcilers on two machines one renews it. False when skipped or moved on.
   */
  async renew(post: Pick<PostRecord, 'id' | 'version'>): Promise<boolean> {
    return this.transaction(async ({ store }) => {
      if (this.engine === 'postgres') {
        const row = await store.db
          .selectFrom('campaign_posts')
          .select('id')
          .where('id', '=', post.id)
          .where('version', '=', post.version)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return false;
      }
      return store.patchPost(post.id, { version: post.version + 1 }, { version: post.version });
    });
  }

  /** Sets every post of a campaign in one of `from` to `to`, bumping versions so their old jobs are stale. */
  async movePosts(
    campaignId: string,
    from: readonly StoredPostStatus[],
    to: StoredPostStatus,
    now: string,
  ): Promise<number> {
    const r = await this.db
      .updateTable('campaign_posts')
      .set((eb) => ({ status: to, version: eb('version', '+', 1), updated_at: now }))
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async setCampaign(
    id: string,
    fields: {
      status?: StoredCampaignStatus;
      paused?: boolean;
      title?: string;
      rejection?: { org: string; reason: string } | null;
    },
    now: string,
  ): Promise<void> {
    const set: Updateable<CampaignTables['campaigns']> = { updated_at: now };
    if (fields.status) set.status = fields.status;
    if (fields.paused !== undefined) set.paused = fields.paused ? 1 : 0;
    if (fields.title !== undefined) set.title = fields.title;
    if (fields.rejection !== undefined) {
      set.rejected_by_org = fields.rejection?.org ?? null;
      set.rejected_reason = fields.rejection?.reason ?? null;
      set.rejected_at = fields.rejection ? now : null;
    }
    await this.db.updateTable('campaigns').set(set).where('id', '=', id).execute();
  }

  /** Records an organization's approval once: false when it had approved already (unique per campaign and organization). */
  async addApproval(
    campaignId: string,
    org: Organization,
    tokenId: string,
    now: string,
  ): Promise<boolean> {
    const r = await this.db
      .insertInto('campaign_approvals')
      .values({ campaign_id: campaignId, org, token_id: tokenId, approved_at: now })
      .onConflict((oc) => oc.columns(['campaign_id', 'org']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async clearApprovals(campaignId: string): Promise<void> {
    await this.db.deleteFrom('campaign_approvals').where('campaign_id', '=', campaignId).execute();
  }

  /** Posts that should have a job in Redis: waiting or in progress, timed, in a scheduled campaign that is not paused. */
  async activePosts(): Promise<PostRecord[]> {
    const rows = await this.db
      .selectFrom('campaign_posts as p')
      .innerJoin('campaigns as c', 'c.id', 'p.campaign_id')
      .selectAll('p')
      .where('p.status', 'in', ['scheduled', 'publishing'])
      .where('p.publish_at_ms', 'is not', null)
      .where('c.status', '=', 'scheduled')
      .where('c.paused', '=', 0)
      .orderBy('p.publish_at_ms')
      .execute();
    return rows.map(toPost);
  }

  /** Campaigns with posts still to publish (what "pause everything" stops). */
  async liveCampaignIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('campaigns as c')
      .innerJoin('campaign_posts as p', 'p.campaign_id', 'c.id')
      .select('c.id')
      .distinct()
      .where('c.status', '=', 'scheduled')
      .where('p.status', 'in', ['scheduled', 'publishing'])
      .execute();
    return rows.map((r) => r.id);
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('campaign_settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async setSetting(key: string, value: string | null): Promise<void> {
    if (value === null)
      await this.db.deleteFrom('campaign_settings').where('key', '=', key).execute();
    else
      await this.db
        .insertInto('campaign_settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
  }

  /**
   * Sets `key` only when it is not set: false when it was (the first of two processes setting it at
   * once wins, on both engines); `null` removes it, false when it was not set.
   */
  async swapSetting(key: string, value: string | null): Promise<boolean> {
    const r =
      value === null
        ? await this.db.deleteFrom('campaign_settings').where('key', '=', key).executeTakeFirst()
        : await this.db
            .insertInto('campaign_settings')
            .values({ key, value })
            .onConflict((oc) => oc.column('key').doNothing())
            .executeTakeFirst();
    return Number('numDeletedRows' in r ? r.numDeletedRows : (r.numInsertedOrUpdatedRows ?? 0)) > 0;
  }

  /** The emergency stop: while set, nothing publishes, whatever Redis holds. */
  async pausedAll(): Promise<{ at: string; reason: string | null } | null> {
    const v = await this.getSetting('paused_all');
    return v ? (JSON.parse(v) as { at: string; reason: string | null }) : null;
  }
}

/**
 * Takes the embedded file's write lock at the start of a transaction: a write statement (that
 * changes nothing) first, as BEGIN IMMEDIATE would.
 */
export async function writeLock(trx: CampaignDb): Promise<void> {
  await sql`DELETE FROM campaign_settings WHERE key = ''`.execute(trx);
}
