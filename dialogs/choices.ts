import type { LookupAnswer, LookupResult } from '../knowledge/lookup';

/**
 * When the ranked results are too close or too weak to pick one, the person chooses.
 * Tuned on the NLU development set: about 3% of real questions get a choice, and half of the
 * questions whose first result is wrong are caught with the right one among the choices.
 */
export const DISAMBIGUATION = {
  /** Below this score the best result is offered, not assumed. */
  minTopScore: 0.45,
  /** A second result at least this close to the first (as a fraction of its score) is a tie. */
  closeRatio: 0.7,
  /** A third choice is offered only if it scores at least this fraction of the first. */
  thirdChoiceRatio: 0.3,
} as const;

/** The 2-3 closest results when the person should choose, else null. Keeps lookup()'s order. */
export function choicesFor(results: readonly LookupResult[]): string[] | null {
  if (results.length < 2) return null;
  const [top, second] = results;
  if (
    top.score >= DISAMBIGUATION.minTopScore &&
    second.score < top.score * DISAMBIGUATION.closeRatio
  )
    return null;
  const third = results[2];
  const ids = [top.id, second.id];
  if (third && third.score >= top.score * DISAMBIGUATION.thirdChoiceRatio) ids.push(third.id);
  return ids;
}

/**
 * The one record an answer clearly names, as the main dialog would answer it straight away (in
 * scope, no choice to offer, and not weak), else null. The office finder reads services with it.
 */
export function clearResult(
  answer: Pick<LookupAnswer, 'outOfScope' | 'results'>,
): LookupResult | null {
  if (answer.outOfScope || answer.results.length === 0 || choicesFor(answer.results)) return null;
  const top = answer.results[0];
  return top.score >= DISAMBIGUATION.minTopScore ? top : null;
}
