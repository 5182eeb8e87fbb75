import type { KnowledgeBase } from '../load';
import { Language, LANGUAGES } from '../schema';
import { tokenize } from './text';

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
  private constructor(private readonly phrases: Record<Language, ReadonlySet<string>>) {}

  static fromKnowledge(kb: KnowledgeBase): NamedPhrases {
    const phrases = {} as Record<Language, Set<string>>;
    for (const lang of LANGUAGES) {
      phrases[lang] = new Set();
      for (const r of kb.records)
        for (const text of [r.name[lang], ...r.keywords[lang]]) {
          const words = tokenize(text);
          if (words.length >= 2 && words.length <= MAX_WORDS) phrases[lang].add(words.join(' '));
        }
    }
    return new NamedPhrases(phrases);
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
