import type { Config } from '../../lib/config';
import type { Database } from '../../lib/database';
import type { Language } from '../../knowledge/schema';
import type { CredentialLookup } from './credentials';
import type { TokenAccess } from './token-access';
import type { Account, Channel } from '../model';

/** One delivery: a post's text in one language, to one account on one channel. */
export interface Delivery {
  /** Idempotency key (post, occurrence, language); the same delivery always has the same key. */
  key: string;
  campaignId: string;
  postId: string;
  channel: Channel;
  account: Account;
  language: Language;
  /** Null for a partner share that reposts the original without a comment. */
  text: string | null;
  image: { url: string; alt: string } | null;
  /** For a partner share: the original as the platform knows it. */
  shareOf: { externalId: string; url: string | null } | null;
  /** When it was due (ISO 8601). */
  scheduledAt: string;
}

export interface PublishResult {
  externalId: string;
  url?: string | null;
}

/**
 * One social platform. Each platform is one file in campaigns/publishers/, listed once in
 * campaigns/publishers/index.ts. Errors are PublishError: `retryable` ones are tried again with
 * backoff, `permanent` ones fail the post at once with the platform's reason.
 */
export interface Publisher {
  readonly channel: Channel;
  /**
   * True when sending the same delivery twice cannot post twice (the receiver keeps the first per
   * key), so an attempt interrupted mid-call may simply be sent again.
   */
  readonly idempotent: boolean;
  publish(delivery: Delivery): Promise<PublishResult>;
  /**
   * Finds whether an earlier attempt whose outcome is unknown (a timeout, a reset, a 5xx, a worker
   * killed mid-call) went through, by reading the account's recent posts since `since` (the first
   * attempt's start, ISO 8601): the post found, or null when it is not there. Throws a PublishError
   * when the platform cannot be read (retryable) or the post cannot be recognised (permanent).
   */
  recover?(delivery: Delivery, since: string): Promise<PublishResult | null>;
  /** What is missing to publish for this account and language ([] when ready), shown as warnings. */
  missingConfiguration(account: Account, language: Language): string[];
}

export { PublishError } from './publish-error';
export type { PublishErrorKind } from './publish-error';

/** What a platform's publisher is built from. */
export interface PublisherContext {
  config: Config;
  /** The shared database: the outbox channel writes its posts there. */
  database: Database;
  credentials: CredentialLookup;
  /** Stored, refreshed and checked tokens; without it the file's tokens are used as they are. */
  tokens?: TokenAccess | null;
}

/** A platform: its channel and how its publisher is built (registered once in index.ts). */
export interface PublisherDefinition {
  channel: Channel;
  create(ctx: PublisherContext): Publisher;
}
