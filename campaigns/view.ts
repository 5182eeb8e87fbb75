import type { Language } from '../knowledge/schema';
import type { AuditEntry } from './audit';
import {
  CampaignRecord,
  CampaignStatus,
  isCompleted,
  PostRecord,
  PostStatus,
  requiredOrganizations,
} from './model';
import { nextOccurrences } from './scheduler';
import { formatInZone } from './time';
import type { CredentialFlag } from './tokens/index';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface ViewOptions {
  pausedAll: boolean;
  t: Translate;
  language: Language;
  /** The credentials problems that stop a post (the pre-flight's, and channels with none). */
  credentials?: (post: PostRecord) => CredentialFlag[];
}

/** A stored UTC time shown in Toronto time with its offset. */
const zoned = (iso: string | null | undefined): string | null =>
  iso ? formatInZone(Date.parse(iso)) : null;
const zonedMs = (ms: number | undefined): string | null =>
  ms === undefined ? null : formatInZone(ms);

export function campaignStatus(c: CampaignRecord, pausedAll: boolean): CampaignStatus {
  if (c.status !== 'scheduled') return c.status;
  if (isCompleted(c)) return 'completed';
  return c.paused || pausedAll ? 'paused' : 'scheduled';
}

export function postStatus(p: PostRecord, c: CampaignRecord, pausedAll: boolean): PostStatus {
  return p.status === 'scheduled' && c.status === 'scheduled' && (c.paused || pausedAll)
    ? 'paused'
    : p.status;
}

export function postView(p: PostRecord, c: CampaignRecord, o: ViewOptions) {
  return {
    id: p.id,
    status: postStatus(p, c, o.pausedAll),
    channel: p.channel,
    account: p.account,
    organization: p.org,
    publishAt: p.publishAt,
    text: p.text,
    image: p.image,
    repeat: p.repeat,
    nextOccurrenceAt:
      p.repeat && p.status === 'scheduled'
        ? zonedMs(
            nextOccurrences(p, Math.max(Date.now(), Date.parse(p.publishedAt ?? '') || 0), 1)[0],
          )
        : null,
    partnerShare: p.partnerShare,
    shareOf: p.shareOf,
    publishedAt: zoned(p.publishedAt),
    latenessMs: p.latenessMs,
    attempts: p.attempts,
    occurrences: p.occurrences,
    externalId: p.externalId,
    externalIds: p.externalIds,
    url: p.externalUrl,
    error: p.error
      ? {
          ...p.error,
          at: zoned(p.error.at),
          message: o.t(`campaigns:postErrors.${p.error.code}`, {
            reason: p.error.reason,
            status: p.error.status ?? '',
          }),
        }
      : null,
    credentials: o.credentials?.(p) ?? [],
  };
}

export function campaignView(c: CampaignRecord, o: ViewOptions) {
  const required = requiredOrganizations(c.posts.filter((p) => p.status !== 'cancelled'));
  const approved = c.approvals.map((a) => ({ organization: a.org, at: zoned(a.at) }));
  return {
    id: c.id,
    title: c.title,
    status: campaignStatus(c, o.pausedAll),
    paused: c.paused,
    pausedAll: o.pausedAll,
    createdAt: zoned(c.createdAt),
    updatedAt: zoned(c.updatedAt),
    createdBy: { organization: c.createdBy.org },
    approvals: {
      required,
      approved,
      pending: required.filter((org) => !c.approvals.some((a) => a.org === org)),
    },
    rejection: c.rejection
      ? { organization: c.rejection.org, reason: c.rejection.reason, at: zoned(c.rejection.at) }
      : null,
    posts: c.posts.map((p) => postView(p, c, o)),
  };
}

/** An audit entry with its sentence in the request language. */
export function auditView(e: AuditEntry, t: Translate) {
  return {
    id: e.id,
    at: zoned(e.at),
    action: e.action,
    campaignId: e.campaignId,
    postId: e.postId,
    actor: {
      kind: e.actor.kind,
      organization: e.actor.org,
      role: e.actor.role,
      tokenId: e.actor.tokenId,
    },
    details: e.details,
    summary: t(`campaigns:audit.${e.action}`, {
      org: e.actor.org ?? t(`campaigns:actors.${e.actor.kind}`),
      ...e.details,
    }),
  };
}
