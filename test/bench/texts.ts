import { contentStems } from '../../knowledge/nlu/text';
import type { Language } from '../../knowledge/schema';
import { loadQuestions } from './nlu-eval';

/** A question as a person types it, with its language. */
export interface BenchQuestion {
  q: string;
  lang: Language;
}

/**
 * Greetings and thanks that leave the answer as it is (bench:nlu prints how often it stays the
 * same; each form alone keeps 97-99% of answers). Words such as "good morning", "quick question" or
 * "bonne journée" change 10-30% of answers, so they are not used: the benches measure the questions'
 * own work, not a harder or easier set.
 */
const FORMS: Record<Language, readonly string[]> = {
  en: ['%', 'Hi, %', 'Hello! %', 'Hi. %', 'Please: %', '% please', '% Thanks.'],
  fr: ['%', 'Bonjour, %', 'Bonjour. %', 'Allo, %', 'SVP: %', '% svp', '% Merci.'],
};

/**
 * The words the answer cache could ever key on: folded, without punctuation and stop words, stemmed.
 * Two texts with different keys are different questions to any cache that normalizes less than this.
 */
export function contentKey(text: string, lang: Language): string {
  return `${lang}|${contentStems(text, lang).join(' ')}`;
}

/** Questions whose content keys are unique, leaving out those whose key is in `taken`. */
function distinct(questions: BenchQuestion[], taken: ReadonlySet<string>): BenchQuestion[] {
  const seen = new Set(taken);
  return questions.filter((q) => {
    const key = contentKey(q.q, q.lang);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The benches' questions, read from the fixtures (never changed here). Measured: the development,
 * hold-out, challenge and breadth sets. Warm-up: the calibration set, minus any question the measured
 * sets also hold, so a warm-up never answers a measured question ahead of time.
 */
export function benchQuestions(): { measured: BenchQuestion[]; warmUp: BenchQuestion[] } {
  const pick = (sets: string[]) =>
    sets.flatMap((s) => loadQuestions(s)).map((q) => ({ q: q.q, lang: q.lang }));
  const measured = distinct(
    pick(['nlu-dev', 'nlu-holdout', 'nlu-challenge', 'nlu-breadth']),
    new Set(),
  );
  const measuredKeys = new Set(measured.map((q) => contentKey(q.q, q.lang)));
  return { measured, warmUp: distinct(pick(['nlu-calibration']), measuredKeys) };
}

/**
 * The number of round `k`: six or seven digits, none round. Numbers the corpus holds ("1", "100",
 * "5000") turn about 5% of answers (borderline ones) to "not sure" or out of scope; these about 1%.
 * Fewer than nine digits, so none is read as a SIN or a phone number.
 */
const number = (k: number) => 100_003 + 7_919 * k;

/** The question of `base` with the greeting or thanks of `form` and the number of round `k`. */
export function variant(base: BenchQuestion, form: number, k: number): string {
  const forms = FORMS[base.lang];
  return `${forms[form % forms.length].replace('%', () => base.q)} (${number(k)})`;
}

/**
 * An endless stream of new texts: every fixture question in turn, each round with the next number
 * and another greeting or thanks, so no text repeats, even once folded to its content words (the
 * number stays). The recognizer leaves numbers out of its coverage and unknown-word signals ("Numbers
 * say nothing about which service is meant"), so the answer is mostly the plain question's
 * (bench:nlu prints how often).
 */
export class NewTexts {
  private sent = 0;
  /** Every text handed out, for the audit after the measurement. */
  readonly log: BenchQuestion[] = [];

  constructor(
    private readonly questions: readonly BenchQuestion[],
    /** The first round: streams over the same questions use round ranges that never meet. */
    private readonly firstRound: number,
  ) {}

  next(): BenchQuestion {
    const i = this.sent++;
    const base = this.questions[i % this.questions.length];
    const round = Math.floor(i / this.questions.length);
    const text = { q: variant(base, round + i, this.firstRound + round), lang: base.lang };
    this.log.push(text);
    return text;
  }

  /** The next `count` texts, for a set asked again and again (the cached figures). */
  take(count: number): BenchQuestion[] {
    return Array.from({ length: count }, () => this.next());
  }
}

/**
 * Checks that the measured texts were all new: none repeats and none was asked before (warm-ups,
 * earlier runs), compared by content key. Returns the sentence the benches print.
 */
export function auditNew(
  measured: readonly BenchQuestion[],
  before: readonly BenchQuestion[],
): string {
  const earlier = new Set(before.map((t) => contentKey(t.q, t.lang)));
  const keys = new Set<string>();
  let repeats = 0;
  for (const t of measured) {
    const key = contentKey(t.q, t.lang);
    if (keys.has(key) || earlier.has(key)) repeats++;
    keys.add(key);
  }
  return repeats === 0
    ? `all ${measured.length} texts new (none repeats, even folded to its content words)`
    : `${repeats} of ${measured.length} texts NOT new (a repeat, or asked before): the uncached figure is not clean`;
}
