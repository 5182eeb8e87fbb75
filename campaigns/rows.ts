import type { Selectable, Updateable } from 'kysely';
import type { Organization } from '../lib/vocabulary';
import type { CampaignRecord, PostRecord, StoredCampaignStatus, StoredPostStatus } from './model';
import type { CampaignTables } from './tables';

/** How campaigns and posts are stored: JSON text for structured fields, one column per record field. */
export type PostRow = Selectable<CampaignTables['campaign_posts']>;

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export function toPost(r: PostRow): PostRecord {
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

/** JSON text of a value, or null. */
export const str = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** The columns a post patch sets (JSON fields as text). */
export function postColumns(patch: PostPatch): Updateable<CampaignTables['campaign_posts']> {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    values[POST_COLUMNS[k as keyof typeof POST_COLUMNS]] = JSON_FIELDS.has(k) ? str(v) : v;
  }
  return values as Updateable<CampaignTables['campaign_posts']>;
}

/** A campaign's row, its approvals and its posts as one record. */
export function toCampaign(
  row: Selectable<CampaignTables['campaigns']>,
  approvals: Pick<
    Selectable<CampaignTables['campaign_approvals']>,
    'org' | 'token_id' | 'approved_at'
  >[],
  posts: PostRecord[],
): CampaignRecord {
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
    approvals: approvals.map((a) => ({
      org: a.org as Organization,
      tokenId: a.token_id,
      at: a.approved_at,
    })),
    posts,
  };
}
