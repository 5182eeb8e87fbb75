import type { Channel } from './model';

export interface ChannelLimit {
  /** Most characters in one post's text, counted the channel's way. */
  maxText: number;
  /** Most characters in an image's alternative text. */
  maxAlt: number;
  /** How the channel counts: `weighted` is X's rule (links 23, wide characters and emoji 2). */
  counting: 'weighted' | 'code-points';
}

/**
 * The one table of channel limits (also in README.md, "Campaigns"). Sources: X's counting rules
 * (twitter-text v3: 280 weighted characters, every link 23), Facebook Pages posts (63,206 characters),
 * LinkedIn posts API `commentary` (3,000) and image `altText` (4,086). The embedded outbox and the
 * webhook take what the largest common channel would, so a campaign can be rehearsed there.
 */
export const CHANNEL_LIMITS: Record<Channel, ChannelLimit> = {
  x: { maxText: 280, maxAlt: 1000, counting: 'weighted' },
  facebook: { maxText: 63_206, maxAlt: 1000, counting: 'code-points' },
  linkedin: { maxText: 3000, maxAlt: 4086, counting: 'code-points' },
  outbox: { maxText: 5000, maxAlt: 1000, counting: 'code-points' },
  webhook: { maxText: 5000, maxAlt: 1000, counting: 'code-points' },
};

/** Every link counts as this many characters on X, whatever its length (t.co wrapping). */
export const X_LINK_LENGTH = 23;

// Scheme links, and bare addresses on the top-level domains government posts use (X links those too).
const LINK =
  /(?<![\w@.-])(?:https?:\/\/[^\s<>"]+|(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:ca|com|org|net|gov|info|io|co)(?::\d+)?(?:\/[^\s<>"]*)?(?![\w-]))/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]]+$/;

// X weighs these code point ranges 1 and everything else 2 (twitter-text v3 configuration).
const LIGHT_RANGES: readonly [number, number][] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

function weightOf(cluster: string): number {
  if (EMOJI.test(cluster)) return 2;
  let w = 0;
  for (const ch of cluster) {
    const cp = ch.codePointAt(0) ?? 0;
    w += LIGHT_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
  }
  return w;
}

/** The links X would shorten in a text. */
export function findLinks(text: string): string[] {
  return [...text.matchAll(LINK)].map((m) => m[0].replace(TRAILING_PUNCTUATION, ''));
}

/** Length as X counts it: NFC text, each link 23, CJK and emoji 2, the rest 1. */
export function xLength(text: string): number {
  const normalized = text.normalize('NFC');
  let length = 0;
  let last = 0;
  for (const m of normalized.matchAll(LINK)) {
    const link = m[0].replace(TRAILING_PUNCTUATION, '');
    for (const { segment } of segmenter.segment(normalized.slice(last, m.index)))
      length += weightOf(segment);
    length += X_LINK_LENGTH;
    last = (m.index ?? 0) + link.length;
  }
  for (const { segment } of segmenter.segment(normalized.slice(last))) length += weightOf(segment);
  return length;
}

/** A text's length as `channel` counts it. */
export function textLength(channel: Channel, text: string): number {
  return CHANNEL_LIMITS[channel].counting === 'weighted'
    ? xLength(text)
    : [...text.normalize('NFC')].length;
}
