/** Shortest stem that matches longer words it begins (and is matched by stems it begins)… */
export const PREFIX_MIN = 5;
/** …when they differ by at most this many letters ("licenc" and "licence", not "radio" and "radioact"). */
const PREFIX_SLACK = 2;

/** Two stems name the same word: equal, or one a close prefix of the other. */
export function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  if (
    a.length < PREFIX_MIN ||
    b.length < PREFIX_MIN ||
    Math.abs(a.length - b.length) > PREFIX_SLACK
  )
    return false;
  return a.startsWith(b) || b.startsWith(a);
}

/** The stem is one of the words (see sameStem). */
export function stemIn(stem: string, words: ReadonlySet<string>): boolean {
  if (words.has(stem)) return true;
  for (const w of words) if (sameStem(stem, w)) return true;
  return false;
}

/** Stems whose close matches a vocabulary remembers. */
const MATCHES_MEMO = 50_000;

/**
 * A fixed set of stems that finds a stem's close matches (sameStem) by looking them up, not by
 * comparing the stem with every word: `has(stem, words)` is `stemIn(stem, words)` for any `words`
 * drawn from the vocabulary, in a few lookups.
 */
export class StemVocabulary {
  private readonly words: Set<string>;
  /** The words in code-unit order: the words a stem begins are a range of it. */
  private readonly sorted: string[];
  private readonly memo = new Map<string, readonly string[]>();

  constructor(words: Iterable<string>) {
    this.words = new Set(words);
    this.sorted = [...this.words].sort();
  }

  /** The vocabulary's words that sameStem() pairs with `stem`. */
  matches(stem: string): readonly string[] {
    const known = this.memo.get(stem);
    if (known) return known;
    const out: string[] = [];
    if (this.words.has(stem)) out.push(stem);
    if (stem.length >= PREFIX_MIN) {
      // Shorter words that begin the stem…
      for (let n = Math.max(PREFIX_MIN, stem.length - PREFIX_SLACK); n < stem.length; n++)
        if (this.words.has(stem.slice(0, n))) out.push(stem.slice(0, n));
      // …and longer ones it begins.
      for (let i = lowerBound(this.sorted, stem); i < this.sorted.length; i++) {
        const w = this.sorted[i];
        if (!w.startsWith(stem)) break;
        if (w.length > stem.length && w.length - stem.length <= PREFIX_SLACK) out.push(w);
      }
    }
    if (this.memo.size < MATCHES_MEMO) this.memo.set(stem, out);
    return out;
  }

  /** stemIn(stem, words), for words that all belong to this vocabulary. */
  has(stem: string, words: ReadonlySet<string>): boolean {
    for (const m of this.matches(stem)) if (words.has(m)) return true;
    return false;
  }
}

/** The first index whose word is not below `word`. */
export function lowerBound(sorted: readonly string[], word: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
