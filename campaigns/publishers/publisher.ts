import type { Config } from '../../lib/config';
import type { Db } from '../../lib/db';
import type { Language } from '../../knowledge/schema';
import type { Credentials } from './credentials';
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
  /** Finds whether an interrupted attempt went through; null when it did not. */
  recover?(delivery: Delivery): Promise<PublishResult | null>;
  /** What is missing to publish for this account and language ([] when ready), shown as warnings. */
  missingConfiguration(account: Account, language: Language): string[];
}

export type PublishErrorKind = 'retryable' | 'permanent';

export class PublishError extends Error {
  constructor(
    readonly kind: PublishErrorKind,
    /** Stable code: platform_error, rate_limited, network, not_configured, outcome_unknown, image_unavailable. */
    readonly code: string,
    /** The platform's own words, or ours when the platform said nothing. */
    readonly reason: string,
    readonly status: number | null = null,
    /** For 429: how long the platform asked us to wait. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'PublishError';
  }
}

/** What a platform's publisher is built from. */
export interface PublisherContext {
  config: Config;
  db: Db;
  credentials: Credentials;
}

/** A platform: its channel and how its publisher is built (registered once in index.ts). */
export interface PublisherDefinition {
  channel: Channel;
  create(ctx: PublisherContext): Publisher;
}
