import { findLinks } from '../channel-limits';
import { PublishError } from './publish-error';

/** A post read back from an account's feed. */
export interface FeedPost {
  id: string;
  /** The text as the platform shows it. */
  text: string;
  createdAtMs: number;
  /** The original it quotes, reposts or reshares, when the platform says. */
  refersTo?: string | null;
}

/**
 * Platform and worker clocks differ: a post is looked for from this long before the first attempt.
 * Kept short, so that the previous occurrence of a recurring post (at least a minute earlier) is
 * never taken for this one.
 */
export const CLOCK_SKEW_MS = 5000;

/** How many posts a reconciliation asks for in one page (the most the three platforms give). */
export const FEED_PAGE = 100;

/**
 * How many pages a reconciliation reads back at most: 3,000 posts since the first attempt. Kept
 * below the 3,200 most recent posts X gives back at all, so that the end of X's timeline is never
 * taken for the end of the window.
 */
export const MAX_FEED_PAGES = 30;

/**
 * LinkedIn's bound: 10,000 posts. Its posts finder has no time filter, and one organization posts
 * both languages, so a worker a few seconds behind at 10,000 posts a minute has more than 3,000 of
 * them after a first attempt in doubt; no cap on how far `start` pages back is documented, so X's
 * reason for 30 pages does not apply. It bounds the reads of one reconciliation, nothing more.
 */
export const MAX_LINKEDIN_FEED_PAGES = 100;

/** One page of an account's feed, newest first, and the cursor of the next page (null: the last). */
export interface FeedPage {
  posts: FeedPost[];
  next: string | null;
}

/** The feed is read from this time: the first attempt, less the clock skew (epoch ms). */
export const feedStartMs = (since: string) => Date.parse(since) - CLOCK_SKEW_MS;

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };

/**
 * A text as it can be compared with what a platform shows: NFC, HTML entities decoded (X escapes
 * & < >), every link one placeholder (X shows links wrapped in t.co), white space collapsed.
 */
export function comparable(text: string): string {
  let t = text.normalize('NFC').replace(/&(amp|lt|gt|quot);/g, (e) => ENTITIES[e]);
  for (const link of findLinks(t)) t = t.split(link).join('\u0001');
  return t.replace(/\s+/g, ' ').trim();
}

/**
 * The post of the feed that is this delivery: the same text (or, for a plain repost or reshare,
 * the same original), created since the first attempt (less the clock skew). The oldest match wins:
 * it is the one that went out first.
 */
export function findPost(
  feed: readonly FeedPost[],
  want: { text: string | null; refersTo: string | null; since: string },
): FeedPost | null {
  const sinceMs = feedStartMs(want.since);
  const text = want.text === null ? null : comparable(want.text);
  const matches = feed.filter(
    (p) =>
      p.createdAtMs >= sinceMs &&
      (text === null
        ? want.refersTo !== null && p.refersTo === want.refersTo
        : comparable(p.text) === text),
  );
  return matches.sort((a, b) => a.createdAtMs - b.createdAtMs)[0] ?? null;
}

/**
 * The delivery's post, looked for in the account's feed read back page by page (newest first)
 * until a page reaches posts from before the first attempt (less the clock skew) or the platform
 * has no next page: the whole window is read, so the oldest match is the one found. Null only when
 * the whole window was read and the post is not in it. After `maxPages` without reaching the
 * first attempt, a match in the pages read is taken (the post did go out), but a post not found may
 * be further back: the outcome stays in doubt (a retryable PublishError), since a null would send
 * it a second time.
 */
export async function lookBack(
  channel: string,
  readPage: (cursor: string | null) => Promise<FeedPage>,
  want: { text: string | null; refersTo: string | null; since: string },
  maxPages = MAX_FEED_PAGES,
): Promise<FeedPost | null> {
  const startMs = feedStartMs(want.since);
  const feed: FeedPost[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const { posts, next } = await readPage(cursor);
    feed.push(...posts);
    if (next === null || posts.some((p) => p.createdAtMs < startMs)) return findPost(feed, want);
    cursor = next;
  }
  const found = findPost(feed, want);
  if (found) return found;
  throw new PublishError(
    'retryable',
    'reconcile_failed',
    `${maxPages} pages of the ${channel} feed (${feed.length} posts) read back without reaching ${want.since}; the post may be further back`,
  );
}
