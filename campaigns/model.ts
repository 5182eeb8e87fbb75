import type { Organization } from '../lib/vocabulary';
import type { Language } from '../knowledge/schema';

/** Where a post can go. `outbox` is the embedded channel (the database, `/api/outbox`); `webhook` a signed generic receiver. */
export const CHANNELS = ['x', 'facebook', 'linkedin', 'outbox', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The social accounts campaigns post from, and the organization each belongs to. An account's
 * organization is the one whose approval its posts need.
 */
export const ACCOUNT_ORGANIZATION = {
  'service-canada': 'service-canada',
  serviceontario: 'serviceontario',
} as const satisfies Record<string, Organization>;
export type Account = keyof typeof ACCOUNT_ORGANIZATION;
export const ACCOUNTS = Object.keys(ACCOUNT_ORGANIZATION) as Account[];

/** The account that shares a post for the other organization ("partner shares after N minutes"). */
export function partnerAccount(account: Account): Account {
  return account === 'service-canada' ? 'serviceontario' : 'service-canada';
}

/** Stored campaign states; `paused` and `completed` are derived when a campaign is read. */
export type StoredCampaignStatus = 'draft' | 'scheduled' | 'rejected' | 'cancelled';
export type CampaignStatus = StoredCampaignStatus | 'paused' | 'completed';

/** Stored post states; `paused` is derived (a scheduled post of a paused campaign, or while everything is paused). */
export type StoredPostStatus =
  'draft' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'cancelled';
export type PostStatus = StoredPostStatus | 'paused';
export const TERMINAL_POST_STATUSES: readonly StoredPostStatus[] = [
  'published',
  'failed',
  'cancelled',
];

export interface Bilingual {
  en: string;
  fr: string;
}

export interface PostImage {
  url: string;
  alt: Bilingual;
}

/** A recurring post: a cron pattern read in a named time zone, so 9:00 stays 9:00 across daylight-saving changes. */
export interface Recurrence {
  pattern: string;
  timeZone: string;
  /** Last moment an occurrence may fall on (ISO 8601 with offset). */
  until: string | null;
  /** How many occurrences in all. */
  count: number | null;
}

export interface PartnerShare {
  afterMinutes: number;
  /** Comment added to the share; without one the partner reposts the original as is. */
  text: Bilingual | null;
}

/** A post as written by staff (validated input for creation and edits). */
export interface PostDraft {
  channel: Channel;
  account: Account;
  /** ISO 8601 with offset, in America/Toronto time. */
  publishAt: string;
  text: Bilingual;
  image: PostImage | null;
  repeat: Recurrence | null;
  partnerShare: PartnerShare | null;
}

export interface CampaignDraft {
  title: string;
  posts: PostDraft[];
}

export interface PostError {
  code: string;
  status: number | null;
  reason: string;
  language: Language | null;
  at: string;
}

export interface PostRecord {
  id: string;
  campaignId: string;
  position: number;
  channel: Channel;
  account: Account;
  org: Organization;
  /** Null for a partner share until the original is published. */
  publishAt: string | null;
  publishAtMs: number | null;
  /** Null for a partner share that reposts without a comment. */
  text: Bilingual | null;
  image: PostImage | null;
  repeat: Recurrence | null;
  partnerShare: PartnerShare | null;
  /** The original post this one shares (partner shares only). */
  shareOf: string | null;
  status: StoredPostStatus;
  version: number;
  attempts: number;
  occurrences: number;
  publishedAt: string | null;
  latenessMs: number | null;
  externalId: string | null;
  externalUrl: string | null;
  externalIds: Partial<Record<Language, string>>;
  error: PostError | null;
  nextAttemptAt: string | null;
  updatedAt: string;
}

export interface Approval {
  org: Organization;
  tokenId: string;
  at: string;
}

export interface CampaignRecord {
  id: string;
  title: string;
  status: StoredCampaignStatus;
  paused: boolean;
  createdBy: { org: Organization; tokenId: string };
  createdAt: string;
  updatedAt: string;
  rejection: { org: Organization; reason: string; at: string } | null;
  approvals: Approval[];
  posts: PostRecord[];
}

/** Who did something: a staff token, the command line, or the service itself. */
export interface Actor {
  kind: 'staff' | 'cli' | 'system';
  org: Organization | null;
  role: string | null;
  tokenId: string | null;
}

export const SYSTEM: Actor = { kind: 'system', org: null, role: null, tokenId: null };
export const CLI: Actor = { kind: 'cli', org: null, role: null, tokenId: null };

/** The organizations whose approval a campaign needs: those owning an account that posts in it. */
export function requiredOrganizations(posts: readonly Pick<PostRecord, 'org'>[]): Organization[] {
  return [...new Set(posts.map((p) => p.org))].sort();
}

/** Every post is published, failed or cancelled: nothing is left to do. */
export function isCompleted(campaign: Pick<CampaignRecord, 'status' | 'posts'>): boolean {
  return (
    campaign.status === 'scheduled' &&
    campaign.posts.every((p) => TERMINAL_POST_STATUSES.includes(p.status))
  );
}
