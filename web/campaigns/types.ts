import type { Organization } from '../../lib/vocabulary';
import type {
  Account,
  Bilingual,
  CampaignStatus,
  Channel,
  PartnerShare,
  PostImage,
  PostStatus,
  Recurrence,
} from '../../campaigns/model';

export type { Account, CampaignStatus, Channel, Organization, PostStatus };

/** A post as GET /api/campaigns/ID answers it (campaigns/view.ts postView): times in Toronto time with their offset. */
export interface PostView {
  id: string;
  status: PostStatus;
  channel: Channel;
  account: Account;
  organization: Organization;
  /** Null for a partner's share until the original is out. */
  publishAt: string | null;
  text: Bilingual | null;
  image: PostImage | null;
  repeat: Recurrence | null;
  nextOccurrenceAt: string | null;
  partnerShare: PartnerShare | null;
  shareOf: string | null;
  publishedAt: string | null;
  latenessMs: number | null;
  attempts: number;
  occurrences: number;
  externalId: string | null;
  url: string | null;
  error: { code: string; message: string; at: string | null } | null;
  /** What will stop the post (credentials missing, expired, of another account…), in the page's language. */
  credentials?: CredentialFlag[];
}

/** A credentials problem on a post (campaigns/tokens/index.ts CredentialFlag). */
export interface CredentialFlag {
  code: string;
  entry: string;
  language: 'en' | 'fr' | null;
  message: string;
  firstDueAt: string | null;
}

/** A campaign as the API answers it (campaigns/view.ts campaignView). */
export interface CampaignView {
  id: string;
  title: string;
  status: CampaignStatus;
  paused: boolean;
  pausedAll: boolean;
  createdAt: string;
  updatedAt: string;
  createdBy: { organization: Organization };
  approvals: {
    required: Organization[];
    approved: Array<{ organization: Organization; at: string }>;
    pending: Organization[];
  };
  rejection: { organization: Organization; reason: string; at: string } | null;
  posts: PostView[];
}

/** One entry of a 400 answer's error.problems[] (or of warnings[] on creation). */
export interface Problem {
  path: string;
  code: string;
  message: string;
}
