import type { Organization } from '../lib/vocabulary';
import { AppError, notFound } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { AuditLog } from './audit';
import type { DeliveryLog } from './deliveries';
import { Actor, CampaignRecord, PostRecord, requiredOrganizations } from './model';
import type { PublisherRegistry } from './publishers/index';
import type { CampaignScheduler } from './scheduler';
import type { CampaignStore } from './store';
import type { Blackout } from './time';
import type { Problem } from './validation';

/** Everything the campaign operations use, built once by the composition root (campaigns/runtime.ts). */
export interface CampaignContext {
  store: CampaignStore;
  audit: AuditLog;
  deliveries: DeliveryLog;
  scheduler: CampaignScheduler | null;
  publishers: PublisherRegistry;
  blackouts: readonly Blackout[];
  logger: Logger;
  /** Longest a queue operation may wait before it is left to the reconciler. */
  queueTimeoutMs: number;
}

/** A staff member acting through a token: the organization is the token's. */
export type StaffActor = Actor & { kind: 'staff'; org: Organization; tokenId: string };

/** Validation failed: the route answers 400 with every problem, each in the request language. */
export class ValidationFailed extends Error {
  constructor(readonly problems: Problem[]) {
    super('validation failed');
    this.name = 'ValidationFailed';
  }
}

export const campaignError = (
  status: number,
  code: string,
  key: string,
  params?: Record<string, unknown>,
) => new AppError(status, code, `campaigns.${key}`, params);

/** The campaign, or 404. `from`: the context, or a transaction's store. */
export async function loadCampaign(
  from: Pick<CampaignContext, 'store'>,
  id: string,
): Promise<CampaignRecord> {
  const campaign = await from.store.getCampaign(id);
  if (!campaign) throw notFound('unknown_campaign', 'campaigns.notFound', { id: id.slice(0, 80) });
  return campaign;
}

/** The posts that count for approval: cancelled ones need nobody's approval. */
export function organizationsOf(campaign: CampaignRecord): Organization[] {
  return requiredOrganizations(campaign.posts.filter((p) => p.status !== 'cancelled'));
}

/** 403 unless the actor's organization has an account in the campaign (admins act for their own organization too). */
export function requireInvolved(campaign: CampaignRecord, actor: StaffActor): void {
  if (!organizationsOf(campaign).includes(actor.org))
    throw campaignError(403, 'org_not_involved', 'orgNotInvolved', { org: actor.org });
}

export function refuseClosed(campaign: CampaignRecord): void {
  if (campaign.status === 'cancelled')
    throw campaignError(409, 'campaign_cancelled', 'cancelled', { id: campaign.id });
}

/** True when the campaign's jobs should be in Redis now. */
export async function isLive(
  ctx: CampaignContext,
  campaign: Pick<CampaignRecord, 'status' | 'paused'>,
): Promise<boolean> {
  return campaign.status === 'scheduled' && !campaign.paused && !(await ctx.store.pausedAll());
}

/**
 * Runs queue operations after the database has committed. The database is the truth: when Redis fails or is slow
 * here, the change stands and the worker's reconciler adds or drops the jobs later.
 */
export async function syncJobs(
  ctx: CampaignContext,
  ops: { unschedule?: PostRecord[]; schedule?: PostRecord[] },
): Promise<void> {
  const scheduler = ctx.scheduler;
  if (!scheduler) return;
  const work = (async () => {
    for (const p of ops.unschedule ?? []) await scheduler.unschedule(p);
    await Promise.all(
      (ops.schedule ?? []).filter((p) => p.publishAtMs !== null).map((p) => scheduler.schedule(p)),
    );
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ctx.queueTimeoutMs);
  });
  try {
    if ((await Promise.race([work, timeout])) === 'timeout')
      ctx.logger.warn('queue slow; the reconciler will finish', {
        scheduled: ops.schedule?.length ?? 0,
      });
  } catch (err) {
    ctx.logger.warn('queue update failed; the reconciler will repair it', {
      err: (err as Error).message,
    });
  } finally {
    clearTimeout(timer);
  }
  work.catch(() => undefined);
}
