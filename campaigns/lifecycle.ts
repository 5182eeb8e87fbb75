import {
  CampaignContext,
  campaignError,
  isLive,
  loadCampaign,
  refuseClosed,
  requireInvolved,
  StaffActor,
  syncJobs,
  ValidationFailed,
} from './context';
import { Actor, CampaignRecord, isCompleted } from './model';
import { validateReason } from './validation';

export interface PauseResult {
  campaign: CampaignRecord;
  changed: boolean;
}

export interface PauseAllResult {
  paused: boolean;
  changed: boolean;
  /** Posts stopped (pause) or put back on the schedule (resume). */
  posts: number;
}

function reasonOf(body: unknown): string | null {
  const checked = validateReason((body as { reason?: unknown } | null)?.reason, false);
  if ('problems' in checked) throw new ValidationFailed(checked.problems);
  return checked.reason;
}

/** Cancels what is not yet out; published posts stay published, a post being published right now finishes. */
export async function cancel(
  ctx: CampaignContext,
  id: string,
  actor: StaffActor,
): Promise<CampaignRecord> {
  const now = new Date().toISOString();
  const before = await ctx.store.transaction(async (tx) => {
    await tx.store.lockCampaign(id);
    const campaign = await loadCampaign(tx, id);
    if (campaign.status === 'cancelled')
      throw campaignError(409, 'already_cancelled', 'alreadyCancelled', { id });
    if (isCompleted(campaign)) throw campaignError(409, 'campaign_completed', 'completed', { id });
    requireInvolved(campaign, actor);
    await tx.store.setCampaign(id, { status: 'cancelled' }, now);
    const cancelled = await tx.store.movePosts(id, ['draft', 'scheduled'], 'cancelled', now);
    const publishing = campaign.posts.filter((p) => p.status === 'publishing').map((p) => p.id);
    await tx.audit.record(
      {
        campaignId: id,
        action: 'cancelled',
        actor,
        details: { posts: cancelled, stillPublishing: publishing },
      },
      now,
    );
    return campaign;
  });
  await syncJobs(ctx, { unschedule: before.posts.filter((p) => p.status === 'scheduled') });
  return loadCampaign(ctx, id);
}

/** Stops a campaign's posts until it is resumed (they can be edited and rescheduled meanwhile). */
export async function pause(
  ctx: CampaignContext,
  id: string,
  actor: StaffActor,
  body: unknown,
): Promise<PauseResult> {
  const reason = reasonOf(body);
  const now = new Date().toISOString();
  const before = await ctx.store.transaction(async (tx) => {
    await tx.store.lockCampaign(id);
    const campaign = await loadCampaign(tx, id);
    refuseClosed(campaign);
    if (campaign.status === 'rejected')
      throw campaignError(409, 'campaign_rejected', 'rejected', {
        org: campaign.rejection?.org,
        reason: campaign.rejection?.reason,
      });
    if (isCompleted(campaign)) throw campaignError(409, 'campaign_completed', 'completed', { id });
    requireInvolved(campaign, actor);
    if (campaign.paused) return null;
    await tx.store.setCampaign(id, { paused: true }, now);
    await tx.audit.record({ campaignId: id, action: 'paused', actor, details: { reason } }, now);
    return campaign;
  });
  if (before)
    await syncJobs(ctx, { unschedule: before.posts.filter((p) => p.status === 'scheduled') });
  return { campaign: await loadCampaign(ctx, id), changed: before !== null };
}

/** Puts a paused campaign back on the schedule; posts whose time passed meanwhile go out now, late (their lateness is recorded). */
export async function resume(
  ctx: CampaignContext,
  id: string,
  actor: StaffActor,
): Promise<PauseResult> {
  const now = new Date().toISOString();
  const changed = await ctx.store.transaction(async (tx) => {
    await tx.store.lockCampaign(id);
    const campaign = await loadCampaign(tx, id);
    refuseClosed(campaign);
    requireInvolved(campaign, actor);
    if (!campaign.paused) return false;
    await tx.store.setCampaign(id, { paused: false }, now);
    await tx.store.movePosts(id, ['scheduled', 'publishing'], 'scheduled', now);
    await tx.audit.record({ campaignId: id, action: 'resumed', actor }, now);
    return true;
  });
  const campaign = await loadCampaign(ctx, id);
  if (changed && (await isLive(ctx, campaign)))
    await syncJobs(ctx, { schedule: campaign.posts.filter((p) => p.status === 'scheduled') });
  return { campaign, changed };
}

/** The emergency stop: every promotional post of every campaign stops at once, whatever Redis holds. */
export async function pauseAll(
  ctx: CampaignContext,
  actor: Actor,
  body: unknown,
): Promise<PauseAllResult> {
  const reason = reasonOf(body);
  const now = new Date().toISOString();
  // Set only when not set: of two stops at once (two servers), one records it.
  const stopped = await ctx.store.transaction(async (tx) => {
    const set = await tx.store.swapSetting(
      'paused_all',
      JSON.stringify({ at: now, reason, by: actor.org ?? actor.kind }),
    );
    if (!set) return null;
    const posts = await tx.store.activePosts();
    await tx.audit.record(
      { action: 'paused_all', actor, details: { reason, posts: posts.length } },
      now,
    );
    return posts;
  });
  if (stopped) await syncJobs(ctx, { unschedule: stopped });
  return { paused: true, changed: stopped !== null, posts: stopped?.length ?? 0 };
}

/** Lifts the emergency stop; campaigns paused on their own stay paused. */
export async function resumeAll(ctx: CampaignContext, actor: Actor): Promise<PauseAllResult> {
  const now = new Date().toISOString();
  const changed = await ctx.store.transaction(async (tx) => {
    if (!(await tx.store.swapSetting('paused_all', null))) return false;
    for (const id of await tx.store.liveCampaignIds())
      await tx.store.movePosts(id, ['scheduled', 'publishing'], 'scheduled', now);
    await tx.audit.record({ action: 'resumed_all', actor }, now);
    return true;
  });
  const posts = changed ? await ctx.store.activePosts() : [];
  if (changed) await syncJobs(ctx, { schedule: posts });
  return { paused: false, changed, posts: posts.length };
}
