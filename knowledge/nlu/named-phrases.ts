import type { KnowledgeBase } from '../load';
import { Language, LANGUAGES, OUT_OF_SCOPE_INTENT } from '../schema';
import type { ExtraExamples } from './neighbours';
import { tokenize } from './text';

/** An acronym as a keyword is written: capitals and digits, 2 to 6 characters (SIN, OHIP, G2). */
const ACRONYM = /^[A-Z][A-Z0-9]{1,5}$/;

/** Uses among the out-of-scope examples from which a word is an everyday word. */
const EVERYDAY_USES = 3;

/** A phrase or acronym that more records than this share names none of them in particular. */
const MAX_OWNERS = 2;

/** Intents whose examples may use a single keyword that still names its record. */
const RARE_WORD_INTENTS = 3;

/** Longest phrase looked for, in words ("Canada Emergency Response Benefit repayment"). */
const MAX_WORDS = 6;

/**
 * The records' names and keywords of two words or more ("super visa", "record of employment",
 * "Bureau de la concurrence"), folded, and those of the government bodies (`extra`: "gouverneur
 * général", "Mesures Canada": a body is a government service too, less detailed). A question that
 * names one is about a government service whatever else it says: everyday words around the name
 * ("my parents want to visit from India for 6 months…", "rappel d'aliments cette semaine, la
 * laitue romaine") can make the scope models call it out of scope, and refusing it would send the
 * person away with nothing. Single words are left out: "licence", "pension" or "card" are everyday
 * words too.
 */
export class NamedPhrases {
  private constructor(
    private readonly phrases: Record<Language, ReadonlySet<string>>,
    private readonly acronyms: Record<Language, ReadonlySet<string>>,
    private readonly owners: Record<Language, ReadonlyMap<string, readonly string[]>>,
    private readonly words: Record<Language, ReadonlyMap<string, readonly string[]>>,
  ) {
    for (const lang of LANGUAGES) {
      const set = new Set<string>();
      for (const phrase of phrases[lang]) {
        const w = phrase.split(' ');
        for (let n = 1; n < w.length; n++) set.add(w.slice(0, n).join(' '));
      }
      this.prefixes[lang] = set;
    }
  }

  /** Every phrase's beginnings (its first word, first two words…), per language. */
  private readonly prefixes = {} as Record<Language, ReadonlySet<string>>;

  static fromKnowledge(kb: KnowledgeBase, extra: readonly ExtraExamples[] = []): NamedPhrases {
    const phrases = {} as Record<Language, Set<string>>;
    const acronyms = {} as Record<Language, Set<string>>;
    const owners = {} as Record<Language, Map<string, string[]>>;
    const words = {} as Record<Language, Map<string, string[]>>;
    for (const lang of LANGUAGES) {
      words[lang] = new Map();
      phrases[lang] = new Set();
      acronyms[lang] = new Set();
      owners[lang] = new Map();
      // An acronym that is also a word of everyday questions (APP: the out-of-scope examples use
      // "app" several times) names nothing, even in capitals.
      const uses = new Map<string, number>();
      // A body's phrase that an everyday question holds ("prime minister": "who is the prime
      // minister of Japan") names nothing either.
      const said = new Set<string>();
      for (const u of kb.corpus[lang].get(OUT_OF_SCOPE_INTENT) ?? []) {
        const words = tokenize(u);
        for (const w of words) uses.set(w, (uses.get(w) ?? 0) + 1);
        for (const phrase of phrasesOf(words)) said.add(phrase);
      }
      const everyday = new Set([...uses].filter(([, n]) => n >= EVERYDAY_USES).map(([w]) => w));
      const texts: [string, string | null][] = [
        ...kb.records.flatMap((r) =>
          [r.name[lang], ...r.keywords[lang]].map((t): [string, string] => [t, r.id]),
        ),
        ...extra.flatMap((e) => e.phrases[lang].map((t): [string, null] => [t, null])),
      ];
      const own = (key: string, id: string | null) => {
        if (id) addOwner(owners[lang], key, id);
      };
      for (const [text, id] of texts) {
        const words = tokenize(text);
        const phrase = words.join(' ');
        // A record's own phrase stays a name even where a game or a joke borrows it ("fishing
        // licence in Red Dead Redemption"); a body's words are looser ("prime minister").
        if (words.length >= 2 && words.length <= MAX_WORDS && (id || !said.has(phrase))) {
          phrases[lang].add(phrase);
          own(phrase, id);
        }
        const bare = text.trim();
        if (ACRONYM.test(bare) && !everyday.has(bare.toLowerCase())) {
          acronyms[lang].add(bare);
          own(bare, id);
        }
      }
      // A single word names a record only where it is rare: a keyword of at most two records, used
      // in the examples of at most three intents and in no everyday question ("pogey", "tarion",
      // "apostille"; not "licence" or "pension"). It counts for `namedRecords` only: letting it
      // keep a question from being refused (`named`) cost 1.3 to 2.3 points of out-of-scope
      // recall on three sets (tried in the sixth session of 2026-12-05).
      for (const r of kb.records)
        for (const k of [r.name[lang], ...r.keywords[lang]]) {
          const t = tokenize(k);
          if (t.length !== 1 || t[0].length < 4 || uses.has(t[0])) continue;
          addOwner(words[lang], t[0], r.id);
        }
      const intents = new Map<string, Set<string>>();
      for (const [intent, us] of kb.corpus[lang])
        for (const u of us)
          for (const w of tokenize(u))
            if (words[lang].has(w)) intents.set(w, (intents.get(w) ?? new Set()).add(intent));
      for (const [w, of] of intents) if (of.size > RARE_WORD_INTENTS) words[lang].delete(w);
    }
    return new NamedPhrases(phrases, acronyms, owners, words);
  }

  /**
   * What the text names, in one pass: whether it names any record's or body's phrase, or a record's
   * acronym in capitals (`names`: such a question is never refused), and the records it names by a
   * phrase, an acronym (in capitals, in `raw`) or a rare word that at most `MAX_OWNERS` records have
   * among their name and keywords (`records`: "ODSP" names the disability support program, "health
   * card", on several records, names none in particular).
   */
  read(text: string, raw: string, lang: Language): { names: boolean; records: Set<string> } {
    const records = new Set<string>();
    let names = false;
    const own = (ids: readonly string[] | undefined) => {
      if (ids && ids.length <= MAX_OWNERS) for (const id of ids) records.add(id);
    };
    const words = tokenize(text);
    const prefixes = this.prefixes[lang];
    for (let i = 0; i < words.length; i++) {
      own(this.words[lang].get(words[i]));
      // Phrases are only built as long as some phrase begins with them.
      let phrase = words[i];
      for (let n = 2; n <= MAX_WORDS && i + n <= words.length && prefixes.has(phrase); n++) {
        phrase += ` ${words[i + n - 1]}`;
        if (this.phrases[lang].has(phrase)) {
          names = true;
          own(this.owners[lang].get(phrase));
        }
      }
    }
    if (raw)
      for (const word of raw.split(/[^A-Za-z0-9]+/))
        if (word && this.acronyms[lang].has(word)) {
          names = true;
          own(this.owners[lang].get(word));
        }
    return { names, records };
  }

  /** The records the text names (`read`). */
  namedRecords(text: string, raw: string, lang: Language): Set<string> {
    return this.read(text, raw, lang).records;
  }

  /**
   * Whether the text as written names a record's acronym in capitals ("SIN near Sandy Lake",
   * "OHIP"): capitals are how people write an acronym they mean; "sin" or "ace" in lower case may
   * be anything.
   */
  namedAcronym(raw: string, lang: Language): boolean {
    return this.read('', raw, lang).names;
  }

  /** Whether the text (any form: raw, folded or corrected) names a record's phrase in `lang`. */
  named(text: string, lang: Language): boolean {
    return this.read(text, '', lang).names;
  }
}

/** Adds `id` to the records that own `key` (once). */
function addOwner(owners: Map<string, string[]>, key: string, id: string): void {
  const ids = owners.get(key) ?? [];
  if (!ids.includes(id)) owners.set(key, [...ids, id]);
}

/** Every run of 2 to MAX_WORDS consecutive words, joined by spaces. */
function* phrasesOf(words: readonly string[]): Generator<string> {
  for (let i = 0; i < words.length; i++) {
    let phrase = words[i];
    for (let n = 2; n <= MAX_WORDS && i + n <= words.length; n++) {
      phrase += ` ${words[i + n - 1]}`;
      yield phrase;
    }
  }
}
