import { Language, LANGUAGES } from '../schema';
import { fold, tokenize } from './text';
import { LruCache } from '../../lib/lru';

export interface DetectedLanguage {
  language: Language;
  /** 0.5 (a coin toss) to 1 (certain). */
  confidence: number;
}

interface Model {
  words: Map<string, number>;
  wordTotal: number;
  grams: Map<string, number>;
  gramTotal: number;
}

const FRENCH_MARKS = /[éèêëàâçùûüôîïœ]/g;
/**
 * Words Canadians write the same way in French and English chat ("ok", "bye", "cool"): they say
 * nothing of the language, however often one corpus happens to use them ("ok" alone, with a French
 * locale, is answered in French).
 */
const BOTH_LANGUAGES = new Set(['ok', 'okay', 'k', 'kk', 'cool', 'bye', 'lol', 'wow', 'super']);
const NO_EVIDENCE: readonly number[] = [0];
const WORD_ALPHA = 0.5;
const GRAM_ALPHA = 0.5;

function trigrams(word: string): string[] {
  const w = ` ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= w.length; i++) out.push(w.slice(i, i + 3));
  return out;
}

/**
 * A naive Bayes choice between French and English over words, with character trigrams for words
 * never seen and accents as strong evidence for French. Trained on the two corpora, so the words
 * of this domain (NAS and SIN, AE and EI, permis and licence) decide even two-word messages.
 */
/** Words whose evidence the detector remembers. */
const WORDS_REMEMBERED = 50_000;

/** Texts whose log-odds are kept: one answer's few readings of its question. */
const RECENT_TEXTS = 8;

export class LanguageDetector {
  private readonly models: Record<Language, Model>;
  private readonly vocabulary: number;
  /** The last texts' log-odds (see `detect`). */
  private readonly recent = new LruCache<string, number>(RECENT_TEXTS);
  private readonly words = new Map<string, readonly number[]>();

  constructor(samples: Record<Language, readonly string[]>) {
    const models = {} as Record<Language, Model>;
    const vocab = new Set<string>();
    for (const lang of LANGUAGES) {
      const m: Model = { words: new Map(), wordTotal: 0, grams: new Map(), gramTotal: 0 };
      for (const sample of samples[lang]) {
        for (const w of tokenize(sample)) {
          m.words.set(w, (m.words.get(w) ?? 0) + 1);
          m.wordTotal++;
          vocab.add(w);
          for (const g of trigrams(w)) {
            m.grams.set(g, (m.grams.get(g) ?? 0) + 1);
            m.gramTotal++;
          }
        }
      }
      models[lang] = m;
    }
    this.models = models;
    this.vocabulary = vocab.size + 1;
  }

  /** Log-likelihood ratio log P(text|fr) - log P(text|en). */
  private logOdds(text: string): number {
    let odds = 0;
    for (const w of tokenize(text)) {
      const word = this.evidence(w);
      // Added as they were computed, one term at a time, so the sum is the same to the last bit.
      if (word.length === 2) {
        odds += word[0];
        odds -= word[1];
      } else odds += word[0];
    }
    const marks = text.toLowerCase().match(FRENCH_MARKS)?.length ?? 0;
    odds += Math.min(marks, 3) * 2.5;
    return odds;
  }

  /**
   * What a word says: log P(word|fr) and log P(word|en) for a word of the corpora, else its letter
   * patterns' averaged odds (one value). Remembered per word: the corpora do not change.
   */
  private evidence(w: string): readonly number[] {
    if (BOTH_LANGUAGES.has(w)) return NO_EVIDENCE;
    const known = this.words.get(w);
    if (known) return known;
    const en = this.models.en;
    const fr = this.models.fr;
    const cEn = en.words.get(w) ?? 0;
    const cFr = fr.words.get(w) ?? 0;
    let out: number[];
    if (cEn + cFr > 0) {
      out = [
        Math.log((cFr + WORD_ALPHA) / (fr.wordTotal + WORD_ALPHA * this.vocabulary)),
        Math.log((cEn + WORD_ALPHA) / (en.wordTotal + WORD_ALPHA * this.vocabulary)),
      ];
    } else {
      // An unseen word: its letter patterns, averaged so long words do not dominate.
      const grams = trigrams(w);
      let g = 0;
      for (const t of grams) {
        g += Math.log(((fr.grams.get(t) ?? 0) + GRAM_ALPHA) / (fr.gramTotal + GRAM_ALPHA * 20_000));
        g -= Math.log(((en.grams.get(t) ?? 0) + GRAM_ALPHA) / (en.gramTotal + GRAM_ALPHA * 20_000));
      }
      out = [(g / grams.length) * 1.5];
    }
    if (this.words.size < WORDS_REMEMBERED) this.words.set(w, out);
    return out;
  }

  /**
   * Detects French or English. `fallback` is returned (with confidence 0.5) when the text gives no
   * evidence either way, e.g. a bare "OHIP?" or digits.
   */
  detect(text: string, fallback: Language = 'en'): DetectedLanguage {
    if (!fold(text).match(/[a-z]/)) return { language: fallback, confidence: 0.5 };
    // An answer asks about its question several times (the language to answer in, then to
    // understand it in, with and without its greeting, in the bot and in the lookup).
    let odds = this.recent.get(text);
    if (odds === undefined) {
      odds = this.logOdds(text);
      this.recent.set(text, odds);
    }
    if (Math.abs(odds) < 0.2) return { language: fallback, confidence: 0.5 };
    const pFr = 1 / (1 + Math.exp(-odds));
    return odds > 0 ? { language: 'fr', confidence: pFr } : { language: 'en', confidence: 1 - pFr };
  }
}
