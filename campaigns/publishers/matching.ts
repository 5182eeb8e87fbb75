import { findLinks } from '../channel-limits';

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

/** How many recent posts a reconciliation reads (the most the three platforms give in one page). */
export const FEED_PAGE = 100;

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
  const sinceMs = Date.parse(want.since) - CLOCK_SKEW_MS;
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
