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
