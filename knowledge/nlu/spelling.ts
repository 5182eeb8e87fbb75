/**
 * Typo correction against the domain vocabulary (SymSpell-style delete index). Only words the
 * vocabulary does not know are corrected, and only to a known word within one edit (words of 4-7
 * letters) or two edits (8 letters or more); the most frequent candidate wins.
 */
export class SpellingCorrector {
  private readonly freq = new Map<string, number>();
  private readonly deletes = new Map<string, string[]>();

  constructor(words: Iterable<string>) {
    for (const w of words) {
      if (w.length < 3 || /\d/.test(w)) continue;
      this.freq.set(w, (this.freq.get(w) ?? 0) + 1);
    }
    for (const w of this.freq.keys()) {
      for (const d of deletesOf(w, w.length >= 8 ? 2 : 1)) {
        const list = this.deletes.get(d);
        if (list) list.push(w);
        else this.deletes.set(d, [w]);
      }
    }
  }

  knows(word: string): boolean {
    return this.freq.has(word);
  }

  /** The corrected word, or the word itself when it is known, too short or has no close match. */
  correct(word: string): string {
    if (word.length < 4 || this.freq.has(word) || /\d/.test(word)) return word;
    const maxEdits = word.length >= 8 ? 2 : 1;
    let best = word;
    let bestDistance = Infinity;
    let bestFreq = 0;
    for (const d of deletesOf(word, maxEdits)) {
      for (const candidate of this.deletes.get(d) ?? []) {
        const limit = Math.min(maxEdits, candidate.length >= 8 ? 2 : 1);
        const dist = distance(word, candidate, limit);
        if (dist > limit) continue;
        // A dropped letter is the commonest typo: at equal distance, a word that holds every typed
        // letter in order ("renw" in "renew", not "rent") counts as more frequent than any other.
        const f =
          (this.freq.get(candidate) ?? 0) +
          (isSubsequence(word, candidate) ? SUBSEQUENCE_BONUS : 0);
        if (dist < bestDistance || (dist === bestDistance && f > bestFreq)) {
          best = candidate;
          bestDistance = dist;
          bestFreq = f;
        }
      }
    }
    return best;
  }
}

const SUBSEQUENCE_BONUS = 1_000_000;

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

function deletesOf(word: string, edits: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let e = 0; e < edits; e++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const d = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(d)) {
          out.add(d);
          next.push(d);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), capped at limit + 1. */
export function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
  }
  return d[a.length][b.length];
}
