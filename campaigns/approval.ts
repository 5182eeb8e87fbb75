import {
  CampaignContext,
  campaignError,
  isLive,
  loadCampaign,
  organizationsOf,
  refuseClosed,
  requireInvolved,
  StaffActor,
  syncJobs,
  ValidationFailed,
} from './context';
import { CampaignRecord, isCompleted } from './model';
import { validateReason } from './validation';

/** A post whose time passed while approvals were awaited may still go out this late on the last approval; later, it must be rescheduled. */
export const APPROVAL_GRACE_MS = 5 * 60_000;

function refuseFinished(campaign: CampaignRecord): void {
  refuseClosed(campaign);
  if (isCompleted(campaign))
    throw campaignError(409, 'campaign_completed', 'completed', { id: campaign.id });
}

/**
 * The token's organization approves its own part. The campaign is scheduled only when every
 * organization with an account in it has approved: one organization alone never schedules a joint campaign.
 */
export async function approve(
  ctx: CampaignContext,
  id: string,
  actor: StaffActor,
): Promise<CampaignRecord> {
  const now = new Date().toISOString();
  // The campaign's row is locked first (PostgreSQL): two approvals at once, on two servers, are
  // decided one after the other, so the second sees the first and the campaign is scheduled once.
  const complete = await ctx.store.transaction(async (tx) => {
    await tx.store.lockCampaign(id);
    const campaign = await loadCampaign(tx, id);
    refuseFinished(campaign);
    if (campaign.status === 'rejected') {
      throw campaignError(409, 'campaign_rejected', 'rejected', {
        org: campaign.rejection?.org,
        reason: campaign.rejection?.reason,
      });
    }
    requireInvolved(campaign, actor);
    const alreadyApproved = () =>
      campaignError(409, 'already_approved', 'alreadyApproved', { org: actor.org });
    if (campaign.approvals.some((a) => a.org === actor.org)) throw alreadyApproved();
    const approved = new Set([...campaign.approvals.map((a) => a.org), actor.org]);
    const required = organizationsOf(campaign);
    const done = required.every((o) => approved.has(o));
    if (done) {
      const late = campaign.posts.filter(
        (p) =>
          p.status === 'draft' &&
          p.publishAtMs !== null &&
          p.publishAtMs < Date.now() - APPROVAL_GRACE_MS,
      );
      if (late.length)
        throw campaignError(409, 'post_time_passed', 'timePassed', {
          posts: late.map((p) => p.id).join(', '),
        });
    }
    if (!(await tx.store.addApproval(id, actor.org, actor.tokenId, now))) throw alreadyApproved();
    await tx.audit.record(
      {
        campaignId: id,
        action: 'approved',
        actor,
        details: { org: actor.org, pending: required.filter((o) => !approved.has(o)) },
      },
      now,
    );
    if (done) {
      await tx.store.setCampaign(id, { status: 'scheduled' }, now);
      await tx.store.movePosts(id, ['draft'], 'scheduled', now);
      await tx.audit.record(
        { campaignId: id, action: 'scheduled', actor, details: { organizations: required } },
        now,
      );
    }
    return done;
  });
  const campaign = await loadCampaign(ctx, id);
  if (complete && (await isLive(ctx, campaign)))
    await syncJobs(ctx, { schedule: campaign.posts.filter((p) => p.status === 'scheduled') });
  return campaign;
}

/** Either organization may reject with a reason: approvals are withdrawn and nothing more is published until it is edited and approved again. */
export async function reject(
  ctx: CampaignContext,
  id: string,
  actor: StaffActor,
  body: unknown,
): Promise<CampaignRecord> {
  const checked = validateReason((body as { reason?: unknown } | null)?.reason, true);
  if ('problems' in checked) throw new ValidationFailed(checked.problems);
  const now = new Date().toISOString();
  const before = await ctx.store.transaction(async (tx) => {
    await tx.store.lockCampaign(id);
    const campaign = await loadCampaign(tx, id);
    refuseFinished(campaign);
    if (campaign.status === 'rejected')
      throw campaignError(409, 'already_rejected', 'alreadyRejected', {
        org: campaign.rejection?.org,
      });
    requireInvolved(campaign, actor);
    await tx.store.setCampaign(
      id,
      { status: 'rejected', rejection: { org: actor.org, reason: checked.reason! } },
      now,
    );
    await tx.store.clearApprovals(id);
    await tx.store.movePosts(id, ['scheduled'], 'draft', now);
    await tx.audit.record(
      {
        campaignId: id,
        action: 'rejected',
        actor,
        details: { org: actor.org, reason: checked.reason },
      },
      now,
    );
    return campaign;
  });
  await syncJobs(ctx, { unschedule: before.posts.filter((p) => p.status === 'scheduled') });
  return loadCampaign(ctx, id);
}
