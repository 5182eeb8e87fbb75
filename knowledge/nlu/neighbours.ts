import type { KnowledgeBase } from '../load';
import { Language, LANGUAGES } from '../schema';
import { contentStems } from './text';

/** How many example questions vote. */
const NEIGHBOURS = 10;

/** One example phrase of an intent. */
export interface Example {
  intent: string;
  text: string;
}

/** One language's examples as a TF-IDF index: each stem's postings hold the examples' normalized weights. */
interface ExampleIndex {
  terms: Map<string, number>;
  idf: Float64Array;
  postingDocs: Int32Array[];
  postingWeights: Float32Array[];
  /** Which intent (record, out-of-scope or outside) each example illustrates. */
  docIntent: Int32Array;
  intents: string[];
  /** Scratch: similarity per example, zeroed after each query. */
  scores: Float32Array;
}

export interface NeighbourVote {
  /** Each intent's share of the nearest examples' similarity (0 to 1, summing to 1). */
  shares: Map<string, number>;
  /** Cosine similarity of the nearest example (0 to 1). */
  best: number;
}

const NO_VOTE: NeighbourVote = { shares: new Map(), best: 0 };

/** More example phrases of an intent, beside the corpus (e.g. a government body's name and words, for an outside intent). */
export interface ExtraExamples {
  intent: string;
  phrases: Record<Language, readonly string[]>;
}

/**
 * The third ranker beside the intent classifier and the full-text search over records: the example
 * questions nearest to the question (TF-IDF cosine over content stems) vote for their intents. It
 * has no training and sees every example as written, so it recognizes a phrasing close to one
 * example that the classifier's averaged weights blur; out-of-scope and outside examples vote too,
 * which lowers the records' shares for a question like them, and so do the names and words of
 * the government bodies no record covers (given as `extra` examples of the outside intents).
 */
export class NearestExamples {
  private readonly index: Record<Language, ExampleIndex>;

  /** `neighbours`: how many of the nearest examples vote. */
  constructor(
    examples: Record<Language, readonly Example[]>,
    private readonly neighbours = NEIGHBOURS,
  ) {
    this.index = Object.fromEntries(LANGUAGES.map((l) => [l, build(examples[l], l)])) as Record<
      Language,
      ExampleIndex
    >;
  }

  /** The corpus's questions, each record's name and keywords, and the extra phrases. */
  static fromKnowledge(kb: KnowledgeBase, extra: readonly ExtraExamples[] = []): NearestExamples {
    const of = (lang: Language): Example[] => [
      ...[...kb.corpus[lang]].flatMap(([intent, utterances]) =>
        utterances.map((text) => ({ intent, text })),
      ),
      ...kb.records.flatMap((r) =>
        [r.name[lang], ...r.keywords[lang]].map((text) => ({ intent: r.id, text })),
      ),
      ...extra.flatMap((e) => e.phrases[lang].map((text) => ({ intent: e.intent, text }))),
    ];
    return new NearestExamples({ en: of('en'), fr: of('fr') });
  }

  /** The vote of the examples nearest to `prepared` (already folded and spell-corrected). */
  vote(prepared: string, lang: Language): NeighbourVote {
    const ix = this.index[lang];
    const tf = new Map<number, number>();
    for (const w of contentStems(prepared, lang)) {
      const t = ix.terms.get(w);
      if (t !== undefined) tf.set(t, (tf.get(t) ?? 0) + 1);
    }
    if (tf.size === 0) return NO_VOTE;
    let norm = 0;
    const query: Array<[number, number]> = [];
    for (const [t, n] of tf) {
      const x = (1 + Math.log(n)) * ix.idf[t];
      query.push([t, x]);
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    const touched: number[] = [];
    for (const [t, x] of query) {
      const docs = ix.postingDocs[t];
      const weights = ix.postingWeights[t];
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i];
        if (ix.scores[d] === 0) touched.push(d);
        ix.scores[d] += (x / norm) * weights[i];
      }
    }
    const top = nearest(touched, ix.scores, this.neighbours);
    for (const d of touched) ix.scores[d] = 0;
    const shares = new Map<string, number>();
    let total = 0;
    for (const { doc, score } of top) {
      const intent = ix.intents[ix.docIntent[doc]];
      shares.set(intent, (shares.get(intent) ?? 0) + score);
      total += score;
    }
    for (const [intent, s] of shares) shares.set(intent, s / total);
    return { shares, best: Math.min(1, top[0]?.score ?? 0) };
  }
}

/** The `k` highest scores among `docs`, best first. */
function nearest(
  docs: readonly number[],
  scores: Float32Array,
  k: number,
): Array<{ doc: number; score: number }> {
  const top: Array<{ doc: number; score: number }> = [];
  for (const doc of docs) {
    const score = scores[doc];
    if (top.length < k) top.push({ doc, score });
    else if (score > top[k - 1].score) top[k - 1] = { doc, score };
    else continue;
    for (let i = top.length - 1; i > 0 && top[i - 1].score < top[i].score; i--)
      [top[i - 1], top[i]] = [top[i], top[i - 1]];
  }
  return top;
}

/** One language's examples, indexed. */
function build(texts: readonly Example[], lang: Language): ExampleIndex {
  const examples = texts.map((e) => ({ intent: e.intent, stems: contentStems(e.text, lang) }));
  const terms = new Map<string, number>();
  const df: number[] = [];
  for (const e of examples)
    for (const w of new Set(e.stems)) {
      let t = terms.get(w);
      if (t === undefined) terms.set(w, (t = df.push(0) - 1));
      df[t]++;
    }
  const idf = Float64Array.from(df, (n) => Math.log((examples.length + 1) / (n + 1)) + 1);

  const intents: string[] = [];
  const intentIndex = new Map<string, number>();
  const docIntent = new Int32Array(examples.length);
  const postings: Array<Array<[number, number]>> = df.map(() => []);
  examples.forEach((e, doc) => {
    let i = intentIndex.get(e.intent);
    if (i === undefined) intentIndex.set(e.intent, (i = intents.push(e.intent) - 1));
    docIntent[doc] = i;
    const tf = new Map<number, number>();
    for (const w of e.stems) {
      const t = terms.get(w) as number;
      tf.set(t, (tf.get(t) ?? 0) + 1);
    }
    const weights = [...tf].map(([t, n]) => [t, (1 + Math.log(n)) * idf[t]] as [number, number]);
    const norm = Math.sqrt(weights.reduce((s, [, x]) => s + x * x, 0)) || 1;
    for (const [t, x] of weights) postings[t].push([doc, x / norm]);
  });
  return {
    terms,
    idf,
    postingDocs: postings.map((p) => Int32Array.from(p, ([d]) => d)),
    postingWeights: postings.map((p) => Float32Array.from(p, ([, w]) => w)),
    docIntent,
    intents,
    scores: new Float32Array(examples.length),
  };
}
