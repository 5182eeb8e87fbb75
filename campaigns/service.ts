import { approve, reject } from './approval';
import { CampaignContext, loadCampaign, StaffActor, ValidationFailed } from './context';
import { edit } from './editing';
import { cancel, pause, pauseAll, resume, resumeAll } from './lifecycle';
import { Actor, CampaignRecord, StoredCampaignStatus } from './model';
import { listOutbox } from './publishers/outbox';
import { LANGUAGES } from '../knowledge/schema';
import { Problem, validateCampaign } from './validation';

/**
 * The campaign operations the API and the command line call. Each checks its rules, writes the
 * database (the source of truth) with an audit entry in one transaction, then brings the BullMQ jobs in step.
 */
export class CampaignService {
  constructor(readonly ctx: CampaignContext) {}

  /** Creates a draft. Channels without credentials are warnings, not errors: they can be configured before the posts are due. */
  async create(
    body: unknown,
    actor: StaffActor,
  ): Promise<{ campaign: CampaignRecord; warnings: Problem[] }> {
    const checked = validateCampaign(body, { now: Date.now(), blackouts: this.ctx.blackouts });
    if ('problems' in checked) throw new ValidationFailed(checked.problems);
    const now = new Date().toISOString();
    const id = await this.ctx.store.transaction(async ({ store, audit }) => {
      const created = await store.insertCampaign(checked.draft, actor, now);
      await audit.record(
        {
          campaignId: created,
          action: 'created',
          actor,
          details: { title: checked.draft.title, posts: checked.draft.posts.length },
        },
        now,
      );
      return created;
    });
    const campaign = await loadCampaign(this.ctx, id);
    return { campaign, warnings: this.warnings(campaign) };
  }

  /** What is missing to publish each post (platform credentials, webhook address). */
  warnings(campaign: CampaignRecord): Problem[] {
    const out: Problem[] = [];
    campaign.posts.forEach((p) => {
      const missing = LANGUAGES.flatMap(
        (l) => this.ctx.publishers.get(p.channel)?.missingConfiguration(p.account, l) ?? [],
      );
      if (missing.length)
        out.push({
          path: `posts[${p.id}]`,
          code: 'not_configured',
          params: { channel: p.channel, account: p.account, missing: missing.join(', ') },
        });
    });
    return out;
  }

  get(id: string): Promise<CampaignRecord> {
    return loadCampaign(this.ctx, id);
  }

  async list(opts: {
    status?: StoredCampaignStatus;
    limit: number;
    offset: number;
  }): Promise<CampaignRecord[]> {
    const ids = await this.ctx.store.listCampaignIds(opts);
    return Promise.all(ids.map((id) => loadCampaign(this.ctx, id)));
  }

  pausedAll() {
    return this.ctx.store.pausedAll();
  }

  edit = (id: string, body: unknown, actor: StaffActor) => edit(this.ctx, id, body, actor);
  approve = (id: string, actor: StaffActor) => approve(this.ctx, id, actor);
  reject = (id: string, actor: StaffActor, body: unknown) => reject(this.ctx, id, actor, body);
  cancel = (id: string, actor: StaffActor) => cancel(this.ctx, id, actor);
  pause = (id: string, actor: StaffActor, body: unknown) => pause(this.ctx, id, actor, body);
  resume = (id: string, actor: StaffActor) => resume(this.ctx, id, actor);
  pauseAll = (actor: Actor, body: unknown) => pauseAll(this.ctx, actor, body);
  resumeAll = (actor: Actor) => resumeAll(this.ctx, actor);

  async audit(campaignId: string | null | undefined, limit: number, beforeId?: number) {
    if (campaignId) await loadCampaign(this.ctx, campaignId);
    return this.ctx.audit.list({ campaignId, limit, beforeId });
  }

  outbox(opts: { limit: number; offset: number; campaignId?: string }) {
    return listOutbox(this.ctx.store.db, opts);
  }
}
