import { KnowledgeBase } from '../load';
import { Language, LANGUAGES, OUT_OF_SCOPE_INTENT } from '../schema';
import { contentStems } from './text';

const SMOOTHING = 0.5;

interface Counts {
  inScope: Map<string, number>;
  outOfScope: Map<string, number>;
  inDocs: number;
  outDocs: number;
}

interface Logistic {
  weights: Map<string, number>;
  bias: number;
}

/** Training examples of one language: the stems of each utterance, name and keyword, and whether it is out of scope. */
function examples(kb: KnowledgeBase, lang: Language): Array<{ stems: string[]; out: boolean }> {
  const out: Array<{ stems: string[]; out: boolean }> = [];
  for (const [intent, utterances] of kb.corpus[lang])
    for (const u of utterances)
      out.push({ stems: [...new Set(contentStems(u, lang))], out: intent === OUT_OF_SCOPE_INTENT });
  for (const r of kb.records)
    for (const t of [r.name[lang], ...r.keywords[lang]])
      out.push({ stems: [...new Set(contentStems(t, lang))], out: false });
  return out.filter((e) => e.stems.length > 0);
}

/**
 * L2-regularized logistic regression by SGD, classes weighted equally; deterministic (fixed order).
 * Stems are numbered first so the inner loop works on typed arrays (this runs at every start).
 */
function trainLogistic(
  data: Array<{ stems: string[]; out: boolean }>,
  epochs = 30,
  rate = 0.3,
  l2 = 1e-4,
): Logistic {
  const ids = new Map<string, number>();
  const rows = data.map((d) =>
    Int32Array.from(d.stems, (s) => ids.get(s) ?? (ids.set(s, ids.size), ids.size - 1)),
  );
  const w = new Float64Array(ids.size);
  let bias = 0;
  const nOut = data.filter((d) => d.out).length;
  const wOut = data.length / (2 * Math.max(1, nOut));
  const wIn = data.length / (2 * Math.max(1, data.length - nOut));
  for (let epoch = 0; epoch < epochs; epoch++) {
    const lr = rate / (1 + epoch * 0.2);
    for (let i = 0; i < data.length; i++) {
      // A fixed stride visits examples in a shuffled but reproducible order.
      const k = (i * 7919) % data.length;
      const row = rows[k];
      const out = data[k].out;
      let z = bias;
      for (let j = 0; j < row.length; j++) z += w[row[j]];
      const p = 1 / (1 + Math.exp(-z));
      const g = ((out ? 1 : 0) - p) * (out ? wOut : wIn) * lr;
      bias += g;
      for (let j = 0; j < row.length; j++) w[row[j]] += g - lr * l2 * w[row[j]];
    }
  }
  const weights = new Map<string, number>();
  for (const [stem, id] of ids) weights.set(stem, w[id]);
  return { weights, bias };
}

/**
 * Is this a government-services question at all? Two models over word stems, trained at start in
 * a few hundred milliseconds on every in-scope utterance, name and keyword against the
 * out-of-scope corpus: naive Bayes (equal priors) and logistic regression. Unlike the intent
 * classifier, they weigh "lure" against "fishing" and "Windows" against "licence" directly,
 * which is what near-miss questions need.
 */
export class ScopeModel {
  private readonly counts = {} as Record<Language, Counts>;
  private readonly logistic = {} as Record<Language, Logistic>;

  constructor(kb: KnowledgeBase) {
    for (const lang of LANGUAGES) {
      const data = examples(kb, lang);
      const c: Counts = { inScope: new Map(), outOfScope: new Map(), inDocs: 0, outDocs: 0 };
      for (const d of data) {
        const m = d.out ? c.outOfScope : c.inScope;
        for (const s of d.stems) m.set(s, (m.get(s) ?? 0) + 1);
        if (d.out) c.outDocs++;
        else c.inDocs++;
      }
      this.counts[lang] = c;
      this.logistic[lang] = trainLogistic(data);
    }
  }

  /**
   * Probabilities that the text is out of scope (naive Bayes and logistic), and how many of its
   * words the models know (a text with none known is about nothing the knowledge base covers).
   */
  outOfScope(
    text: string,
    lang: Language,
  ): { bayes: number; logistic: number; knownWords: number } {
    const c = this.counts[lang];
    const lr = this.logistic[lang];
    let logOdds = 0;
    let z = lr.bias;
    let knownWords = 0;
    for (const s of new Set(contentStems(text, lang))) {
      const i = c.inScope.get(s) ?? 0;
      const o = c.outOfScope.get(s) ?? 0;
      if (i + o === 0) continue;
      knownWords++;
      logOdds +=
        Math.log((o + SMOOTHING) / (c.outDocs + 2 * SMOOTHING)) -
        Math.log((i + SMOOTHING) / (c.inDocs + 2 * SMOOTHING));
      z += lr.weights.get(s) ?? 0;
    }
    return { bayes: 1 / (1 + Math.exp(-logOdds)), logistic: 1 / (1 + Math.exp(-z)), knownWords };
  }
}
