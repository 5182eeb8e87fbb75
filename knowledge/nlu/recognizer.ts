import { LruCache } from '../../lib/lru';
import { KnowledgeBase } from '../load';
import { KnowledgeRepository } from '../repository';
import { Language, LANGUAGES, OUT_OF_SCOPE_INTENT } from '../schema';
import { IntentClassifier, IntentScore, loadOrTrainClassifier } from './classifier';
import { LanguageDetector } from './language';
import { ScopeModel } from './scope';
import { SpellingCorrector } from './spelling';
import { contentStems, tokenize } from './text';

export interface RankedId {
  id: string;
  /** 0 to 1, comparable across questions. */
  score: number;
}

export interface Recognition {
  /** The language the answer should be in: the requested one, else the detected one. */
  language: Language;
  /** The language the text was understood in (detected). */
  textLanguage: Language;
  languageConfidence: number;
  outOfScope: boolean;
  results: RankedId[];
}

/** Weights and thresholds of the ensemble, tuned on the development set (npm run bench:nlu). */
export const ENSEMBLE = {
  classifierWeight: 0.4,
  searchWeight: 0.6,
  /** BM25 score at which a search hit counts as half-certain. */
  searchHalf: 12,
  /** Exponent on a hit's score relative to the best hit: sharpens search's ranking. */
  searchSharpness: 2,
  /** Below this combined score the best result is not trusted: out of scope… */
  minScore: 0.45,
  /** …unless the scope models' mean out-of-scope probability is below this. */
  surelyInScope: 0.15,
  /** Mean out-of-scope probability of the three scope models from which a question is refused… */
  outOfScope: 0.5,
  /** …or, when the best result scores at least `confident`, this higher mean. */
  confident: 0.7,
  outOfScopeWhenConfident: 0.55,
  /** Results kept below the best, as a fraction of its score. */
  keepRatio: 0.05,
} as const;

/** Recognitions kept for repeated questions. */
const RECOGNITION_CACHE_SIZE = 5000;

/** Longer messages are understood from their beginning (the bot accepts pasted essays). */
export const MAX_UNDERSTOOD_CHARACTERS = 1000;

/**
 * Understanding: language detection, typo correction, then an ensemble that ranks with the NLP.js
 * intent classifier and FTS5 search over the knowledge base, and decides scope with three models
 * (naive Bayes, logistic regression and an NLP.js two-class network). The API, the bot and the agent console all call
 * `recognize`; none of them ranks on its own.
 */
export class Recognizer {
  constructor(
    private readonly repo: KnowledgeRepository,
    private readonly classifier: IntentClassifier,
    private readonly scope: ScopeModel,
    private readonly detector: LanguageDetector,
    private readonly spellers: Record<Language, SpellingCorrector>,
  ) {}

  private readonly cache = new LruCache<string, Recognition>(RECOGNITION_CACHE_SIZE);

  prepare(text: string, lang: Language): string {
    return prepareText(text, lang, this.spellers);
  }

  detectLanguage(text: string, fallback: Language = 'en') {
    return this.detector.detect(text, fallback);
  }

  /**
   * Understands a question. Results are cached by text and requested language: questions repeat
   * ("passport", "SIN card lost") and the knowledge does not change while the process runs.
   */
  async recognize(fullText: string, requested?: Language): Promise<Recognition> {
    const text = fullText.slice(0, MAX_UNDERSTOOD_CHARACTERS);
    const key = `${requested ?? ''}|${text}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const recognition = await this.understand(text, requested);
    this.cache.set(key, recognition);
    return recognition;
  }

  private async understand(text: string, requested?: Language): Promise<Recognition> {
    const detected = this.detector.detect(text, requested ?? 'en');
    const nluLang = detected.confidence >= 0.7 || !requested ? detected.language : requested;
    const prepared = this.prepare(text, nluLang);
    const base = { language: requested ?? detected.language, textLanguage: detected.language, languageConfidence: detected.confidence };

    const s = await this.signals(prepared, nluLang);
    if (isOutOfScope(s)) return { ...base, outOfScope: true, results: [] };
    const best = s.ranked[0].score;
    return { ...base, outOfScope: false, results: s.ranked.filter((r) => r.score >= best * ENSEMBLE.keepRatio) };
  }

  /** What the ensemble decides from (exposed for the benchmark's diagnostics). */
  async signals(prepared: string, lang: Language): Promise<Signals> {
    const classes = await this.classifier.classify(prepared, lang);
    const hits = this.repo.search(contentStems(prepared, lang), lang, 10);
    const scope = this.scope.outOfScope(prepared, lang);
    return {
      ranked: combine(classes, hits),
      neuralOutOfScope: await this.classifier.outOfScope(prepared, lang),
      bayesOutOfScope: scope.bayes,
      logisticOutOfScope: scope.logistic,
      knownWords: scope.knownWords,
    };
  }
}

/** Folded words, typos corrected against the language's vocabulary (words known in either language are kept). */
function prepareText(text: string, lang: Language, spellers: Record<Language, SpellingCorrector>): string {
  const other = lang === 'en' ? spellers.fr : spellers.en;
  return tokenize(text)
    .map((w) => (other.knows(w) ? w : spellers[lang].correct(w)))
    .join(' ');
}

export interface Signals {
  ranked: RankedId[];
  /** The NLP.js two-class scope model's probability that the question is out of scope. */
  neuralOutOfScope: number;
  /** The naive Bayes scope model's probability. */
  bayesOutOfScope: number;
  /** The logistic regression scope model's probability. */
  logisticOutOfScope: number;
  /** Content words the scope model knows. */
  knownWords: number;
}

/**
 * Out of scope: no known word; or the three scope models, averaged, say so; or nothing ranks with
 * confidence while the scope models are not sure it is a government question either (a bare
 * "pension" or "certificat" is clearly in scope, only vague: it is answered, and the bot asks).
 */
export function isOutOfScope(s: Signals): boolean {
  if (s.knownWords === 0) return true;
  const scope = (s.bayesOutOfScope + s.logisticOutOfScope + s.neuralOutOfScope) / 3;
  const best = s.ranked[0]?.score ?? 0;
  if (scope >= (best >= ENSEMBLE.confident ? ENSEMBLE.outOfScopeWhenConfident : ENSEMBLE.outOfScope)) return true;
  return best < ENSEMBLE.minScore && scope >= ENSEMBLE.surelyInScope;
}

function squash(bm25: number): number {
  return bm25 / (bm25 + ENSEMBLE.searchHalf);
}

function combine(classes: IntentScore[], hits: { id: string; score: number }[]): RankedId[] {
  const scores = new Map<string, number>();
  for (const c of classes) {
    if (c.intent === OUT_OF_SCOPE_INTENT || c.intent === 'None') continue;
    scores.set(c.intent, ENSEMBLE.classifierWeight * c.score);
  }
  const top = hits[0]?.score ?? 0;
  for (const h of hits) {
    const s = ENSEMBLE.searchWeight * squash(top) * (h.score / top) ** ENSEMBLE.searchSharpness;
    scores.set(h.id, (scores.get(h.id) ?? 0) + s);
  }
  // Scores equal to three decimals (as the API shows them) are a tie: the id breaks it, so the order
  // of close services does not flip between two trainings of the model.
  const shown = (score: number) => Math.round(score * 1000);
  return [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => shown(b.score) - shown(a.score) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every word the knowledge base uses in a language: what typos are corrected towards. */
function vocabulary(kb: KnowledgeBase, lang: Language): string[] {
  const words: string[] = [];
  for (const utterances of kb.corpus[lang].values()) for (const u of utterances) words.push(...tokenize(u));
  for (const r of kb.records) {
    words.push(...tokenize(r.name[lang]), ...r.keywords[lang].flatMap(tokenize), ...tokenize(r.answer[lang]));
  }
  return words;
}

/** Builds the recognizer: loads the saved classifier for this knowledge version, or trains it. */
export async function createRecognizer(kb: KnowledgeBase, repo: KnowledgeRepository, dataDir: string): Promise<{ recognizer: Recognizer; trained: boolean }> {
  const spellers = { en: new SpellingCorrector(vocabulary(kb, 'en')), fr: new SpellingCorrector(vocabulary(kb, 'fr')) };
  const samples = Object.fromEntries(LANGUAGES.map((l) => [l, [...kb.corpus[l].values()].flat().concat(kb.records.flatMap((r) => [r.name[l], r.answer[l], ...r.keywords[l]]))])) as Record<Language, string[]>;
  const detector = new LanguageDetector(samples);
  const { classifier, trained } = await loadOrTrainClassifier(kb, dataDir, (text, lang) => prepareText(text, lang, spellers));
  return { recognizer: new Recognizer(repo, classifier, new ScopeModel(kb), detector, spellers), trained };
}
