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

/**
 * Is this a government-services question at all? A naive Bayes model over word stems, trained on
 * every in-scope utterance, name and keyword against the out-of-scope corpus (equal priors).
 * Unlike the intent classifier, it weighs "lure" against "fishing" and "Windows" against
 * "licence" directly, which is what near-miss questions need. Trains in milliseconds, at start.
 */
export class ScopeModel {
  private readonly counts: Record<Language, Counts>;

  constructor(kb: KnowledgeBase) {
    this.counts = {} as Record<Language, Counts>;
    for (const lang of LANGUAGES) {
      const c: Counts = { inScope: new Map(), outOfScope: new Map(), inDocs: 0, outDocs: 0 };
      const add = (text: string, out: boolean) => {
        const m = out ? c.outOfScope : c.inScope;
        for (const s of new Set(contentStems(text, lang))) m.set(s, (m.get(s) ?? 0) + 1);
        if (out) c.outDocs++;
        else c.inDocs++;
      };
      for (const [intent, utterances] of kb.corpus[lang]) for (const u of utterances) add(u, intent === OUT_OF_SCOPE_INTENT);
      for (const r of kb.records) {
        add(r.name[lang], false);
        for (const k of r.keywords[lang]) add(k, false);
      }
      this.counts[lang] = c;
    }
  }

  /**
   * Probability that the text is out of scope, and how many of its words the model knows (a
   * text with none known is about nothing the knowledge base covers).
   */
  outOfScope(text: string, lang: Language): { probability: number; knownWords: number } {
    const c = this.counts[lang];
    let logOdds = 0;
    let knownWords = 0;
    for (const s of new Set(contentStems(text, lang))) {
      const i = c.inScope.get(s) ?? 0;
      const o = c.outOfScope.get(s) ?? 0;
      if (i + o === 0) continue;
      knownWords++;
      logOdds += Math.log((o + SMOOTHING) / (c.outDocs + 2 * SMOOTHING)) - Math.log((i + SMOOTHING) / (c.inDocs + 2 * SMOOTHING));
    }
    return { probability: 1 / (1 + Math.exp(-logOdds)), knownWords };
  }
}
