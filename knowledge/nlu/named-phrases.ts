import type { KnowledgeBase } from '../load';
import { Language, LANGUAGES, OUT_OF_SCOPE_INTENT } from '../schema';
import { tokenize } from './text';

/** An acronym as a keyword is written: capitals and digits, 2 to 6 characters (SIN, OHIP, G2). */
const ACRONYM = /^[A-Z][A-Z0-9]{1,5}$/;

/** Uses among the out-of-scope examples from which a word is an everyday word. */
const EVERYDAY_USES = 3;

/** Longest phrase looked for, in words ("Canada Emergency Response Benefit repayment"). */
const MAX_WORDS = 6;

/**
 * The records' names and keywords of two words or more ("super visa", "record of employment",
 * "Bureau de la concurrence"), folded. A question that names one is about a government service
 * whatever else it says: everyday words around the name ("my parents want to visit from India for
 * 6 months…", "rappel d'aliments cette semaine, la laitue romaine") can make the scope models call
 * it out of scope, and refusing it would send the person away with nothing. Single words are left
 * out: "licence", "pension" or "card" are everyday words too.
 */
export class NamedPhrases {
  private constructor(
    private readonly phrases: Record<Language, ReadonlySet<string>>,
    private readonly acronyms: Record<Language, ReadonlySet<string>>,
  ) {}

  static fromKnowledge(kb: KnowledgeBase): NamedPhrases {
    const phrases = {} as Record<Language, Set<string>>;
    const acronyms = {} as Record<Language, Set<string>>;
    for (const lang of LANGUAGES) {
      phrases[lang] = new Set();
      acronyms[lang] = new Set();
      // An acronym that is also a word of everyday questions (APP: the out-of-scope examples use
      // "app" several times) names nothing, even in capitals.
      const uses = new Map<string, number>();
      for (const u of kb.corpus[lang].get(OUT_OF_SCOPE_INTENT) ?? [])
        for (const w of tokenize(u)) uses.set(w, (uses.get(w) ?? 0) + 1);
      const everyday = new Set([...uses].filter(([, n]) => n >= EVERYDAY_USES).map(([w]) => w));
      for (const r of kb.records)
        for (const text of [r.name[lang], ...r.keywords[lang]]) {
          const words = tokenize(text);
          if (words.length >= 2 && words.length <= MAX_WORDS) phrases[lang].add(words.join(' '));
          const bare = text.trim();
          if (ACRONYM.test(bare) && !everyday.has(bare.toLowerCase())) acronyms[lang].add(bare);
        }
    }
    return new NamedPhrases(phrases, acronyms);
  }

  /**
   * Whether the text as written names a record's acronym in capitals ("SIN near Sandy Lake",
   * "OHIP"): capitals are how people write an acronym they mean; "sin" or "ace" in lower case may
   * be anything.
   */
  namedAcronym(raw: string, lang: Language): boolean {
    const set = this.acronyms[lang];
    for (const word of raw.split(/[^A-Za-z0-9]+/)) if (word && set.has(word)) return true;
    return false;
  }

  /** Whether the text (any form: raw, folded or corrected) names a record's phrase in `lang`. */
  named(text: string, lang: Language): boolean {
    const words = tokenize(text);
    const set = this.phrases[lang];
    for (let i = 0; i < words.length; i++) {
      let phrase = words[i];
      for (let n = 2; n <= MAX_WORDS && i + n <= words.length; n++) {
        phrase += ` ${words[i + n - 1]}`;
        if (set.has(phrase)) return true;
      }
    }
    return false;
  }
}
