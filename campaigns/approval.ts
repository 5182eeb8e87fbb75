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
  const complete = ctx.store.transaction(() => {
    const campaign = loadCampaign(ctx, id);
    refuseFinished(campaign);
    if (campaign.status === 'rejected') {
      throw campaignError(409, 'campaign_rejected', 'rejected', {
        org: campaign.rejection?.org,
        reason: campaign.rejection?.reason,
      });
    }
    requireInvolved(campaign, actor);
    if (campaign.approvals.some((a) => a.org === actor.org))
      throw campaignError(409, 'already_approved', 'alreadyApproved', { org: actor.org });
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
    ctx.store.addApproval(id, actor.org, actor.tokenId, now);
    ctx.audit.record(
      {
        campaignId: id,
        action: 'approved',
        actor,
        details: { org: actor.org, pending: required.filter((o) => !approved.has(o)) },
      },
      now,
    );
    if (done) {
      ctx.store.setCampaign(id, { status: 'scheduled' }, now);
      ctx.store.movePosts(id, ['draft'], 'scheduled', now);
      ctx.audit.record(
        { campaignId: id, action: 'scheduled', actor, details: { organizations: required } },
        now,
      );
    }
    return done;
  });
  const campaign = loadCampaign(ctx, id);
  if (complete && isLive(ctx, campaign))
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
  const before = ctx.store.transaction(() => {
    const campaign = loadCampaign(ctx, id);
    refuseFinished(campaign);
    if (campaign.status === 'rejected')
      throw campaignError(409, 'already_rejected', 'alreadyRejected', {
        org: campaign.rejection?.org,
      });
    requireInvolved(campaign, actor);
    ctx.store.setCampaign(
      id,
      { status: 'rejected', rejection: { org: actor.org, reason: checked.reason! } },
      now,
    );
    ctx.store.clearApprovals(id);
    ctx.store.movePosts(id, ['scheduled'], 'draft', now);
    ctx.audit.record(
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
