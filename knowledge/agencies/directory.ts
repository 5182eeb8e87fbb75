import { contentStems } from '../nlu/text';
import { StemVocabulary, stemIn } from '../nlu/stem-match';
import { Language, LANGUAGES } from '../schema';
import type { GovernmentBody } from './schema';

/** What it takes for a body to answer a question (tuned on the calibration set, never on the breadth set). */
export const BODY_MATCH = {
  /** Share of the question's words (weighed by rarity) the body's name, keywords and description hold… */
  minCoverage: 0.5,
  /** …one of them in the name or keywords of at most this many bodies (not "complaint", "permit")… */
  maxCommon: 3,
  /** …and this share of the question's weight in the body's own name and keywords. */
  minOwnShare: 0.35,
  /**
   * A word no body uses weighs this share of the rarest word's weight: the directory is small, so
   * a question's other words ("wedding" beside "special occasion permit") are often its own context.
   */
  unknownWeight: 0.5,
};

/** A name without the abbreviation that ends it: "Alcohol and Gaming Commission of Ontario (AGCO)" → "Alcohol and Gaming Commission of Ontario". */
export function withoutAbbreviation(name: string): string {
  return name.replace(/\s*\([^)]*\)\s*$/, '');
}

/** Question stems whose body counts are remembered. */
const MEMO_LIMIT = 50_000;

export interface BodyMatch {
  body: GovernmentBody;
  /** Share of the question's words (weighed by rarity) the body holds (0 to 1). */
  coverage: number;
  /** The question holds the body's full name ("the Ontario Ombudsman"). */
  named: boolean;
}

interface Indexed {
  body: GovernmentBody;
  /** Stems of the name (without its abbreviation), and of the abbreviation alone. */
  name: Set<string>;
  /** Stems of the name and keywords. */
  own: Set<string>;
  /** Those and the description's. */
  all: Set<string>;
}

/**
 * The directory of government bodies (agencies, regulators, tribunals, ombudsmen, Crown corporations)
 * in memory, matched to questions by their words: only the bodies that share a word with the
 * question are scored.
 */
export class BodyDirectory {
  private readonly index = {} as Record<Language, Indexed[]>;
  /** Each stem of the bodies' names, keywords and descriptions, and the bodies that use it. */
  private readonly users = {} as Record<Language, Map<string, Indexed[]>>;
  /** Those stems, to find a question stem's close matches among them. */
  private readonly vocabulary = {} as Record<Language, StemVocabulary>;
  /** Which bodies' names and keywords hold a question's stem, prefixes included (memoized)… */
  private readonly ownersMemo = {} as Record<Language, Map<string, ReadonlySet<Indexed>>>;
  /** …and which bodies use it anywhere. */
  private readonly usersMemo = {} as Record<Language, Map<string, ReadonlySet<Indexed>>>;

  /**
   * `everyday`: stems people use in questions about anything ("year", "need", "help"), per language;
   * a question's everyday words the directory does not use are left out of its weight.
   */
  constructor(
    bodies: readonly GovernmentBody[],
    private readonly everyday: Partial<Record<Language, ReadonlySet<string>>> = {},
  ) {
    for (const lang of LANGUAGES)
      this.index[lang] = bodies.map((body) => {
        const own = new Set(
          [body.name[lang], ...body.keywords[lang]].flatMap((t) => contentStems(t, lang)),
        );
        return {
          body,
          name: new Set(contentStems(withoutAbbreviation(body.name[lang]), lang)),
          own,
          all: new Set([...own, ...contentStems(body.about[lang], lang)]),
        };
      });
    for (const lang of LANGUAGES) {
      const users = new Map<string, Indexed[]>();
      for (const entry of this.index[lang])
        for (const stem of entry.all) users.set(stem, [...(users.get(stem) ?? []), entry]);
      this.users[lang] = users;
      this.vocabulary[lang] = new StemVocabulary(users.keys());
      this.ownersMemo[lang] = new Map();
      this.usersMemo[lang] = new Map();
    }
  }

  /** The bodies using the stem or a word it is a close prefix of. */
  private usersOf(stem: string, lang: Language): ReadonlySet<Indexed> {
    const memo = this.usersMemo[lang];
    const known = memo.get(stem);
    if (known) return known;
    const out = new Set<Indexed>();
    for (const word of this.vocabulary[lang].matches(stem))
      for (const e of this.users[lang].get(word) ?? []) out.add(e);
    if (memo.size < MEMO_LIMIT) memo.set(stem, out);
    return out;
  }

  get size(): number {
    return this.index.en.length;
  }

  /** The bodies whose names and keywords hold the stem (close prefixes included). */
  private ownersOf(stem: string, lang: Language): ReadonlySet<Indexed> {
    const memo = this.ownersMemo[lang];
    let owners = memo.get(stem);
    if (!owners) {
      const vocabulary = this.vocabulary[lang];
      owners = new Set([...this.usersOf(stem, lang)].filter((b) => vocabulary.has(stem, b.own)));
      if (memo.size < MEMO_LIMIT) memo.set(stem, owners);
    }
    return owners;
  }

  /**
   * Bodies that answer the question, best first: most of its words (weighed by rarity) are theirs,
   * one of them nearly only theirs. `jurisdictions` limits the search when the government is known.
   */
  match(
    question: string,
    lang: Language,
    jurisdictions: ReadonlyArray<GovernmentBody['jurisdiction']> = ['provincial', 'federal'],
    limit = 2,
  ): BodyMatch[] {
    const n = this.index[lang].length;
    const common = this.everyday[lang];
    const df = new Map<string, number>();
    const candidates = new Set<Indexed>();
    const stems = [...new Set(contentStems(question, lang))]
      .filter((s) => s.length > 1 && !/^\d+$/.test(s))
      .filter((s) => {
        const users = this.usersOf(s, lang);
        for (const u of users) candidates.add(u);
        df.set(s, this.ownersOf(s, lang).size);
        return (df.get(s) ?? 0) > 0 || !common?.has(s);
      });
    if (stems.length === 0) return [];
    const weight = (s: string) => {
      const d = df.get(s) ?? 0;
      return d === 0 ? BODY_MATCH.unknownWeight * Math.log(1 + n) : Math.log(1 + n / (1 + d));
    };
    const total = stems.reduce((sum, s) => sum + weight(s), 0);
    const found: BodyMatch[] = [];
    const asked = new Set(stems);
    for (const entry of candidates) {
      if (!jurisdictions.includes(entry.body.jurisdiction)) continue;
      const own = stems.filter((s) => this.ownersOf(s, lang).has(entry));
      // Asked by its full name ("the Ontario Ombudsman"), a body is named even if its words are common.
      const named = entry.name.size > 1 && [...entry.name].every((w) => stemIn(w, asked));
      if (!named && !own.some((s) => (df.get(s) ?? 0) <= BODY_MATCH.maxCommon)) continue;
      const ownShare = own.reduce((sum, s) => sum + weight(s), 0) / total;
      const coverage =
        stems
          .filter((s) => this.usersOf(s, lang).has(entry))
          .reduce((sum, s) => sum + weight(s), 0) / total;
      // Named, it needs no more of the question ("the Ontario Ombudsman's phone number and hours").
      if (!named && (ownShare < BODY_MATCH.minOwnShare || coverage < BODY_MATCH.minCoverage))
        continue;
      found.push({ body: entry.body, coverage, named });
    }
    return found
      .sort(
        (a, b) =>
          Number(b.named) - Number(a.named) ||
          b.coverage - a.coverage ||
          (a.body.id < b.body.id ? -1 : 1),
      )
      .slice(0, limit);
  }
}
