import { LruCache } from '../../lib/lru';
import { KnowledgeBase } from '../load';
import { KnowledgeRepository } from '../repository';
import {
  isSpecialIntent,
  Jurisdiction,
  Language,
  LANGUAGES,
  outsideJurisdiction,
  OutsideJurisdiction,
} from '../schema';
import { IntentClassifier, IntentScore, loadOrTrainClassifier } from './classifier';
import { LanguageDetector } from './language';
import { ExtraExamples, NearestExamples, NeighbourVote } from './neighbours';
import { NamedPhrases } from './named-phrases';
import { ScopeModel } from './scope';
import { SpellingCorrector } from './spelling';
import { stripCourtesy } from './courtesy';
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
  /**
   * In scope and sure of the first result. False when the best match is weak or leaves most of the
   * question's words unexplained: the answer then says it is not sure rather than naming it.
   */
  confident: boolean;
  results: RankedId[];
  /** How much of the question the first result explains (diagnostics; 0 when out of scope). */
  coverage: number;
  /** The confidence model's probability that the first result is right (0 when out of scope). */
  probability: number;
  /** Not sure: the government the question seems to belong to, when the model says it is outside the catalogue. */
  outsideJurisdiction: OutsideJurisdiction | null;
}

/** Weights and thresholds of the ensemble, tuned on the development set (npm run bench:nlu). */
export const ENSEMBLE = {
  classifierWeight: 0.4,
  searchWeight: 0.6,
  /**
   * Share of the final score given to the nearest examples' vote (the classifier and the search
   * share the rest in the proportions above).
   */
  neighbourWeight: 0.45,
  /** BM25 score at which a search hit counts as half-certain. */
  searchHalf: 12,
  /** Exponent on a hit's score relative to the best hit: sharpens search's ranking. */
  searchSharpness: 2,
  /** Below this score of the classifier and the search, the best result is not trusted: out of scope… */
  minScore: 0.45,
  /** …unless the scope models' mean out-of-scope probability is below this. */
  surelyInScope: 0.18,
  /** Mean out-of-scope probability of the three scope models from which a question is refused… */
  outOfScope: 0.3,
  /** …or, when the best result scores at least `confident`, this higher mean. */
  confident: 0.6,
  outOfScopeWhenConfident: 0.4,
  /** Results kept below the best, as a fraction of its score. */
  keepRatio: 0.05,
  /**
   * A question that names one government ("is there a federal dental plan for seniors", "un permis
   * fédéral", "the city election") raises that government's records by this fraction of their score
   * (`preferNamedGovernment`). On the six sets (2026-12-05): 0.3 put four questions right and none
   * wrong; 0.5 made the fresh set's confident wrong answers 2.6 → 2.9%.
   */
  namedGovernmentBoost: 0.3,
} as const;

/** Words that name one government, in folded text (both languages). */
const GOVERNMENT_WORDS: readonly [Jurisdiction, RegExp][] = [
  ['federal', /\b(?:federal|federale|federaux|feds)\b/],
  ['provincial', /\b(?:provincial|provinciale|provinciaux|province)\b/],
  ['municipal', /\b(?:municipal|municipale|municipaux|city|ville|town|township)\b/],
];

/**
 * Raises the records of the government the question names, when it names exactly one ("federal or
 * provincial?" names two and asks which: nothing changes).
 */
export function preferNamedGovernment(
  ranked: RankedId[],
  prepared: string,
  jurisdictionOf: (id: string) => Jurisdiction | undefined,
): RankedId[] {
  const named = GOVERNMENT_WORDS.filter(([, words]) => words.test(prepared));
  if (named.length !== 1) return ranked;
  const [government] = named[0];
  const boost = 1 + ENSEMBLE.namedGovernmentBoost;
  return sortRanked(
    ranked.map((r) =>
      jurisdictionOf(r.id) === government ? { id: r.id, score: r.score * boost } : r,
    ),
  );
}

/**
 * When the first result is trusted (tuned on the development and calibration sets, never on the
 * breadth set): a strong score, or a fair one whose record explains most of the question's words.
 */
export const CONFIDENCE = {
  /**
   * Logistic regression over the signals (`confidence()`), fitted by `npm run nlu:calibrate` on the
   * development and calibration sets (never on the breadth set): the probability that the first
   * result is the right record.
   */
  weights: {
    bias: -4.141,
    best: 9.511,
    ratio: -1.465,
    coverage: 4.648,
    unknownShare: -6.395,
    agreement: -0.463,
    scope: -4.82,
    outside: -1.731,
    neighbourShare: 0.853,
    neighbourBest: -3.735,
    namedTop: 0.9,
  },
  /** From this probability the first result is given as the answer (0.4: about 3% confidently wrong on the development set). */
  threshold: 0.4,
  /** From this outside probability, the government of the outside intent is named when not sure. */
  outsideJurisdiction: 0.3,
} as const;

/** The signals the confidence model reads, in its weights' order. */
export function confidenceFeatures(
  s: Signals,
): Record<Exclude<keyof typeof CONFIDENCE.weights, 'bias'>, number> {
  const best = s.ranked[0]?.score ?? 0;
  const second = s.ranked[1]?.score ?? 0;
  return {
    best,
    ratio: best > 0 ? second / best : 0,
    coverage: s.coverage,
    unknownShare: s.unknownShare,
    agreement: s.agreement ? 1 : 0,
    scope: (s.bayesOutOfScope + s.logisticOutOfScope + s.neuralOutOfScope) / 3,
    outside: s.outside,
    neighbourShare: s.neighbourShare,
    neighbourBest: s.neighbourBest,
    namedTop: s.namedTop ? 1 : 0,
  };
}

/** The probability that the first result is right, by the fitted confidence model. */
export function confidence(
  s: Signals,
  weights: Record<string, number> = CONFIDENCE.weights,
): number {
  let z = weights.bias;
  for (const [name, value] of Object.entries(confidenceFeatures(s)))
    z += (weights[name] ?? 0) * value;
  return 1 / (1 + Math.exp(-z));
}

/** Recognitions kept for repeated questions. */
const RECOGNITION_CACHE_SIZE = 5000;

/** Longer messages are understood from their beginning (the bot accepts pasted essays). */
export const MAX_UNDERSTOOD_CHARACTERS = 1000;

/**
 * Understanding: language detection, typo correction, then an ensemble that ranks with the NLP.js
 * intent classifier, FTS5 search over the knowledge base and the nearest example questions
 * (neighbours.ts), and decides scope with three models
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
    private readonly vocabularies: Record<Language, Map<string, Set<string>>>,
    private readonly neighbours: NearestExamples,
    private readonly phrases: NamedPhrases,
  ) {
    for (const lang of LANGUAGES)
      this.known[lang] = new Set([...vocabularies[lang].values()].flatMap((v) => [...v]));
  }

  /** Every stem any record uses, per language. */
  private readonly known = {} as Record<Language, Set<string>>;

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
    const asked = fullText.slice(0, MAX_UNDERSTOOD_CHARACTERS);
    // Greetings and sign-offs say nothing about the service ("Hi, passport" is the question "passport"),
    // though they do say which language the person writes in.
    const text = stripCourtesy(asked);
    const key = `${requested ?? ''}|${asked}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const recognition = await this.understand(text, asked, requested);
    this.cache.set(key, recognition);
    return recognition;
  }

  private async understand(
    text: string,
    asked: string,
    requested?: Language,
  ): Promise<Recognition> {
    const detected = this.detector.detect(asked, requested ?? 'en');
    const nluLang = detected.confidence >= 0.7 || !requested ? detected.language : requested;
    const prepared = this.prepare(text, nluLang);
    const base = {
      language: requested ?? detected.language,
      textLanguage: detected.language,
      languageConfidence: detected.confidence,
    };

    const s = await this.signals(prepared, nluLang, text);
    if (isOutOfScope(s))
      return {
        ...base,
        outOfScope: true,
        confident: false,
        results: [],
        coverage: 0,
        probability: 0,
        outsideJurisdiction: null,
      };
    const best = s.ranked[0].score;
    return {
      ...base,
      outOfScope: false,
      confident: isConfident(s),
      results: s.ranked.filter((r) => r.score >= best * ENSEMBLE.keepRatio),
      coverage: s.coverage,
      probability: confidence(s),
      outsideJurisdiction:
        s.outside >= CONFIDENCE.outsideJurisdiction ? s.outsideJurisdiction : null,
    };
  }

  private coverage(prepared: string, lang: Language, id: string | undefined): number {
    return id
      ? coverageOf(
          contentStems(prepared, lang).filter((w) => !/^\d+$/.test(w)),
          this.vocabularies[lang].get(id),
        )
      : 0;
  }

  /** What the ensemble decides from (exposed for the benchmark's diagnostics). */
  async signals(prepared: string, lang: Language, raw = prepared): Promise<Signals> {
    const classes = await this.classifier.classify(prepared, lang);
    const hits = this.repo.search(contentStems(prepared, lang), lang, 10);
    const scope = this.scope.outOfScope(prepared, lang);
    const vote = this.neighbours.vote(prepared, lang);
    const ranked = preferNamedGovernment(
      combine(classes, hits, vote, ENSEMBLE.neighbourWeight),
      prepared,
      (id) => this.repo.get(id)?.jurisdiction,
    );
    const named = this.phrases.read(prepared, raw, lang);
    // Numbers (a date, an amount, a personal number) say nothing about which service is meant.
    const stems = [...new Set(contentStems(prepared, lang))].filter((w) => !/^\d+$/.test(w));
    const known = this.known[lang];
    const topClass = classes.find((c) => !isSpecialIntent(c.intent) && c.intent !== 'None');
    const outside = outsideOf(classes);
    const first = classes.find((c) => c.intent !== 'None');
    const firstOutside = first ? outsideJurisdiction(first.intent) : null;
    return {
      outsideTop:
        firstOutside !== null && firstOutside !== this.repo.get(ranked[0]?.id ?? '')?.jurisdiction,
      outside: outside.probability,
      outsideJurisdiction: outside.jurisdiction,
      ranked,
      coverage: this.coverage(prepared, lang, ranked[0]?.id),
      unknownShare: stems.length ? stems.filter((w) => !known.has(w)).length / stems.length : 1,
      agreement: !!topClass && topClass.intent === hits[0]?.id,
      words: stems.length,
      neuralOutOfScope: await this.classifier.outOfScope(prepared, lang),
      bayesOutOfScope: scope.bayes,
      logisticOutOfScope: scope.logistic,
      knownWords: scope.knownWords,
      neighbourShare: vote.shares.get(ranked[0]?.id ?? '') ?? 0,
      neighbourBest: vote.best,
      ensembleBest: combine(classes, hits, vote, 0)[0]?.score ?? 0,
      namesRecord: named.names,
      namedTop: named.records.has(ranked[0]?.id ?? ''),
    };
  }
}

/** Share of the text's content stems that the record's own words contain (0 to 1). */
function coverageOf(stems: readonly string[], vocabulary: ReadonlySet<string> | undefined): number {
  const unique = [...new Set(stems)];
  if (unique.length === 0 || !vocabulary) return 0;
  return unique.filter((w) => vocabulary.has(w)).length / unique.length;
}

/** Folded words, typos corrected against the language's vocabulary (words known in either language are kept). */
function prepareText(
  text: string,
  lang: Language,
  spellers: Record<Language, SpellingCorrector>,
): string {
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
  /** Share of the question's content words found in the first result's own words. */
  coverage: number;
  /** Share of the question's content words that no record uses at all. */
  unknownShare: number;
  /** The intent classifier and full-text search rank the same record first. */
  agreement: boolean;
  /** Distinct content words in the question. */
  words: number;
  /** The intent classifier's probability that this is a government question outside the catalogue… */
  outside: number;
  /** …and the government it most likely belongs to. */
  outsideJurisdiction: OutsideJurisdiction | null;
  /**
   * The classifier's first choice is an outside intent (not a record, not out of scope) of another
   * government than the first result's. Of the same government ("pothole in Toronto": municipal
   * outside, the municipal roads record first), the confidence model decides: its `outside`
   * signal already weighs the outside intents (on the six evaluation sets, 7 of the 7 such
   * questions at or above the threshold had the right record first; 2026-12-05).
   */
  outsideTop: boolean;
  /** The first result's share of the nearest examples' vote… */
  neighbourShare: number;
  /** …and how close the nearest example is (cosine, 0 to 1). */
  neighbourBest: number;
  /** The best score of the classifier and the search alone (what scope is decided on). */
  ensembleBest: number;
  /** The question names a record's phrase of two words or more, or its acronym in capitals (`NamedPhrases`). */
  namesRecord: boolean;
  /**
   * The first result is a record the question names by one of its own phrases, acronyms or rare
   * words, shared with at most one other record ("how much does ODSP pay": the disability support
   * program first; `NamedPhrases.read`).
   */
  namedTop: boolean;
}

/** The probability mass of the outside intents, and the most likely one's government. */
function outsideOf(classes: IntentScore[]): {
  probability: number;
  jurisdiction: OutsideJurisdiction | null;
} {
  let probability = 0;
  let best: { score: number; jurisdiction: OutsideJurisdiction } | null = null;
  for (const c of classes) {
    const j = outsideJurisdiction(c.intent);
    if (!j) continue;
    probability += c.score;
    if (!best || c.score > best.score) best = { score: c.score, jurisdiction: j };
  }
  return { probability, jurisdiction: best?.jurisdiction ?? null };
}

/**
 * Whether the first result can be given as the answer (see CONFIDENCE): never when the classifier
 * puts the question outside the catalogue, with another government than the first result's.
 */
export function isConfident(s: Signals): boolean {
  // The intent classifier's own first choice is "another government's question, outside the catalogue".
  if (s.outsideTop) return false;
  return confidence(s) >= CONFIDENCE.threshold;
}

/**
 * Out of scope: no known word; or the three scope models, averaged, say so; or nothing ranks with
 * confidence while the scope models are not sure it is a government question either (a bare
 * "pension" or "certificat" is clearly in scope, only vague: it is answered, and the bot asks).
 */
export function isOutOfScope(s: Signals): boolean {
  if (s.knownWords === 0) return true;
  // A question that names a service is never refused: at worst the answer is "not sure".
  if (s.namesRecord) return false;
  const scope = (s.bayesOutOfScope + s.logisticOutOfScope + s.neuralOutOfScope) / 3;
  // A government question outside the catalogue is in scope too: the classifier's outside intents
  // count as evidence. The examples' vote is left out: it scores a vague real question low (tried:
  // with it, 2.6% → 5.1% of the fresh set's real questions refused).
  const best = Math.max(s.ensembleBest, s.outside);
  if (
    scope >= (best >= ENSEMBLE.confident ? ENSEMBLE.outOfScopeWhenConfident : ENSEMBLE.outOfScope)
  )
    return true;
  return best < ENSEMBLE.minScore && scope >= ENSEMBLE.surelyInScope;
}

function squash(bm25: number): number {
  return bm25 / (bm25 + ENSEMBLE.searchHalf);
}

function combine(
  classes: IntentScore[],
  hits: { id: string; score: number }[],
  vote: NeighbourVote,
  neighbourWeight: number,
): RankedId[] {
  const scores = new Map<string, number>();
  const rest = 1 - neighbourWeight;
  for (const c of classes) {
    if (isSpecialIntent(c.intent) || c.intent === 'None') continue;
    scores.set(c.intent, rest * ENSEMBLE.classifierWeight * c.score);
  }
  const top = hits[0]?.score ?? 0;
  for (const h of hits) {
    const s = ENSEMBLE.searchWeight * squash(top) * (h.score / top) ** ENSEMBLE.searchSharpness;
    scores.set(h.id, (scores.get(h.id) ?? 0) + rest * s);
  }
  // Only records are ranked: out-of-scope and outside examples' votes just lower the records' shares.
  for (const [id, share] of vote.shares)
    if (!isSpecialIntent(id) && id !== 'None')
      scores.set(id, (scores.get(id) ?? 0) + neighbourWeight * share * vote.best);
  return sortRanked([...scores.entries()].map(([id, score]) => ({ id, score })));
}

/**
 * Best first. Scores equal to three decimals (as the API shows them) are a tie: the id breaks it, so
 * the order of close services does not flip between two trainings of the model.
 */
function sortRanked(ranked: RankedId[]): RankedId[] {
  const shown = (score: number) => Math.round(score * 1000);
  return ranked.sort(
    (a, b) => shown(b.score) - shown(a.score) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * Every word the knowledge base uses in a language: what typos are corrected towards. Records' own
 * words count; a word of the example questions counts only when it is used at least
 * `CORPUS_WORD_MIN_USES` times, since the examples keep some typos on purpose ("pasport", "helth").
 */
function vocabulary(kb: KnowledgeBase, lang: Language): string[] {
  const words: string[] = [];
  for (const r of kb.records) {
    words.push(
      ...tokenize(r.name[lang]),
      ...r.keywords[lang].flatMap(tokenize),
      ...tokenize(r.answer[lang]),
    );
  }
  const own = new Set(words);
  const uses = new Map<string, number>();
  for (const utterances of kb.corpus[lang].values())
    for (const u of utterances) for (const w of tokenize(u)) uses.set(w, (uses.get(w) ?? 0) + 1);
  for (const [w, n] of uses)
    if (own.has(w) || n >= CORPUS_WORD_MIN_USES) for (let i = 0; i < n; i++) words.push(w);
  return words;
}

const CORPUS_WORD_MIN_USES = 3;

/**
 * Builds the recognizer: loads the saved classifier for this knowledge version, or trains it.
 * `extra` examples (not trained on) only join the nearest examples' vote.
 */
export async function createRecognizer(
  kb: KnowledgeBase,
  repo: KnowledgeRepository,
  dataDir: string,
  extra: readonly ExtraExamples[] = [],
): Promise<{ recognizer: Recognizer; trained: boolean }> {
  const spellers = {
    en: new SpellingCorrector(vocabulary(kb, 'en')),
    fr: new SpellingCorrector(vocabulary(kb, 'fr')),
  };
  const samples = Object.fromEntries(
    LANGUAGES.map((l) => [
      l,
      [...kb.corpus[l].values()]
        .flat()
        .concat(kb.records.flatMap((r) => [r.name[l], r.answer[l], ...r.keywords[l]])),
    ]),
  ) as Record<Language, string[]>;
  const detector = new LanguageDetector(samples);
  const { classifier, trained } = await loadOrTrainClassifier(kb, dataDir, (text, lang) =>
    prepareText(text, lang, spellers),
  );
  const vocabularies = Object.fromEntries(
    LANGUAGES.map((l) => [l, recordVocabularies(kb, l)]),
  ) as Record<Language, Map<string, Set<string>>>;
  return {
    recognizer: new Recognizer(
      repo,
      classifier,
      new ScopeModel(kb),
      detector,
      spellers,
      vocabularies,
      NearestExamples.fromKnowledge(kb, extra),
      NamedPhrases.fromKnowledge(kb, extra),
    ),
    trained,
  };
}

/** Each record's own words in a language (stems of its name, keywords, answer and example questions): what coverage is measured against. */
function recordVocabularies(kb: KnowledgeBase, lang: Language): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of kb.records) {
    const texts = [
      r.name[lang],
      r.deliveredBy[lang],
      r.answer[lang],
      ...r.keywords[lang],
      ...(kb.corpus[lang].get(r.id) ?? []),
    ];
    out.set(r.id, new Set(texts.flatMap((t) => contentStems(t, lang))));
  }
  return out;
}
