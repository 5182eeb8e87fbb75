import { Db, migrate } from '../../lib/db';
import { contentStems, TEXT_VERSION } from '../nlu/text';
import { Fts5Mirror } from '../fts-mirror';
import { PREFIX_MIN, StemVocabulary } from '../nlu/stem-match';
import { Language, LANGUAGES } from '../schema';
import { Inventory } from './load';
import { InventoryService } from './schema';

const MIGRATIONS = [
  `CREATE TABLE inv_services (id TEXT PRIMARY KEY, body TEXT NOT NULL);
   CREATE TABLE inv_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE VIRTUAL TABLE inv_search USING fts5(id UNINDEXED, lang UNINDEXED, name, department);`,
  // The words people use are searched beside the service's name.
  `DROP TABLE inv_search;
   DELETE FROM inv_meta;
   CREATE VIRTUAL TABLE inv_search USING fts5(id UNINDEXED, lang UNINDEXED, name, department, keywords);`,
];

/** A federal service from the inventory that matches a question, in one language. */
export interface InventoryMatch {
  id: string;
  name: string;
  department: string;
  url: string | null;
  /** Share of the question's content words (weighed by rarity) found in the service's name and department (0 to 1). */
  coverage: number;
  /** Content words of the question found in the service's name. */
  nameHits: number;
}

/** The inventory's matching rules: what it takes for a listing to answer a question. */
export const INVENTORY_MATCH = {
  /** At least this share of the question's content words (weighed by rarity) appear in the listing… */
  minCoverage: 0.55,
  /** …this share in the service's own name… */
  minNameShare: 0.4,
  /** …one of them in at most this many service names (not "program", "application", "licence")… */
  maxCommonNames: 15,
  /** …and more than this share of the question's words known to the inventory. */
  minKnownShare: 0.55,
  /** Or: the question's rarest known words (this many) are all the listing's own… */
  keyWords: 2,
  /** …and they and the others it holds weigh at least this share of the question. */
  minKeyWordCoverage: 0.4,
  /** An everyday word's weight, as a share of its rarity among the listings. */
  everydayWeight: 0.5,
};

/** Stem counts of one language's listings, and every stem the inventory knows. */
interface Frequencies {
  df: Map<string, number>;
  known: StemVocabulary;
  n: number;
}

/** In how many listings the stem, or a word it names (sameStem), appears. */
function listingsMatching(
  stem: string,
  df: ReadonlyMap<string, number>,
  known: StemVocabulary,
): number {
  let count = 0;
  for (const k of known.matches(stem)) count += df.get(k) ?? 0;
  return count;
}

/** Weights of the searched columns in bm25(): a listing's name, its department, the words people use. */
const WEIGHTS = { name: 6.0, department: 1.0, keywords: 4.0 };

/** A listing as stored: the inventory's service and the words people use for it. */
type StoredService = InventoryService & { keywords?: { en: string[]; fr: string[] } };

/** Listings the full-text search hands over for scoring. */
const CANDIDATES = 100;

/** The federal service inventory in SQLite with a full-text index per language (names and departments). */
export class InventoryIndex {
  private readonly searchStmt;
  private readonly getStmt;
  private readonly stemsOf = new Map<string, { name: Set<string>; all: Set<string> }>();
  private readonly df = new Map<Language, Frequencies>();
  private readonly parsed = new Map<string, StoredService>();
  /** The search index in memory (same candidates in the same order), read at the first match after a seed. */
  private mirror: Fts5Mirror | null | undefined;

  /**
   * `everyday`: stems people use in questions about anything ("year", "first", "work"), per language;
   * they never count as a question's key words.
   */
  constructor(
    private readonly db: Db,
    private readonly everyday: Partial<Record<Language, ReadonlySet<string>>> = {},
  ) {
    migrate(db, 'inventory', MIGRATIONS);
    this.searchStmt = db.prepare(
      `SELECT id FROM inv_search WHERE inv_search MATCH ? AND lang = ? ORDER BY bm25(inv_search, 0, 0, ${Object.values(
        WEIGHTS,
      )
        .map((w) => w.toFixed(1))
        .join(', ')}) LIMIT ?`,
    );
    this.getStmt = db.prepare('SELECT body FROM inv_services WHERE id = ?');
  }

  /** Replaces the stored inventory, unless this version is already stored. */
  seed(inventory: Inventory): boolean {
    const version = `${inventory.version}/${TEXT_VERSION}`;
    if (this.storedVersion() === version) return false;
    const insert = this.db.prepare('INSERT INTO inv_services (id, body) VALUES (?, ?)');
    const index = this.db.prepare(
      'INSERT INTO inv_search (id, lang, name, department, keywords) VALUES (?, ?, ?, ?, ?)',
    );
    this.stemsOf.clear();
    this.df.clear();
    this.parsed.clear();
    this.mirror = undefined;
    // Immediate: the write lock first, then the version again (another process starting at the same
    // time may have stored it meanwhile: nothing to redo).
    return this.db
      .transaction(() => {
        if (this.storedVersion() === version) return false;
        this.db.exec('DELETE FROM inv_services; DELETE FROM inv_search;');
        for (const s of inventory.services) {
          const keywords = inventory.keywords[s.id];
          insert.run(s.id, JSON.stringify({ ...s, keywords }));
          for (const lang of LANGUAGES) {
            const stems = (t: string) => contentStems(t, lang).join(' ');
            index.run(
              s.id,
              lang,
              stems(s.name[lang]),
              stems(s.department[lang]),
              (keywords?.[lang] ?? []).map(stems).join(' '),
            );
          }
        }
        this.db
          .prepare(
            "INSERT INTO inv_meta (key, value) VALUES ('version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          )
          .run(version);
        return true;
      })
      .immediate();
  }

  private storedVersion(): string | null {
    const row = this.db.prepare("SELECT value FROM inv_meta WHERE key = 'version'").get() as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  private service(id: string): StoredService | undefined {
    let s = this.parsed.get(id);
    if (!s) {
      const row = this.getStmt.get(id) as { body: string } | undefined;
      if (!row) return undefined;
      s = JSON.parse(row.body) as StoredService;
      this.parsed.set(id, s);
    }
    return s;
  }

  /**
   * In how many listings of a language each stem appears (names and the words people use), and
   * every stem the inventory knows (departments too). Computed once.
   */
  private frequencies(lang: Language): Frequencies {
    let f = this.df.get(lang);
    if (!f) {
      const df = new Map<string, number>();
      const known = new Set<string>();
      const rows = this.db.prepare('SELECT body FROM inv_services').all() as { body: string }[];
      for (const { body } of rows) {
        const s = JSON.parse(body) as StoredService;
        const own = new Set(
          [s.name[lang], ...(s.keywords?.[lang] ?? [])].flatMap((t) => contentStems(t, lang)),
        );
        for (const stem of own) df.set(stem, (df.get(stem) ?? 0) + 1);
        for (const stem of [...own, ...contentStems(s.department[lang], lang)]) known.add(stem);
      }
      f = { df, known: new StemVocabulary(known), n: rows.length };
      this.df.set(lang, f);
    }
    return f;
  }

  /**
   * Listings that answer the question: most of its content words the inventory knows, weighed by how
   * rare they are (place names and words no listing uses say nothing either way, but may not be most
   * of the question), are in the listing, and the listing's own words hold a rare one. Best first;
   * none when nothing matches well enough.
   */
  match(question: string, lang: Language, limit = 3): InventoryMatch[] {
    const all = [...new Set(contentStems(question, lang))].filter((s) => s.length > 1);
    const { df, known: vocabulary, n } = this.frequencies(lang);
    const stems = all.filter((w) => vocabulary.matches(w).length > 0);
    if (stems.length === 0 || stems.length < all.length * INVENTORY_MATCH.minKnownShare) return [];
    // How many listings hold the stem, counted as it matches (prefixes included).
    const names = new Map(stems.map((w) => [w, listingsMatching(w, df, vocabulary)]));
    const common = this.everyday[lang];
    // Words of every kind of question ("year", "old", "cost") say little, however few listings use them.
    const weight = (stem: string) =>
      Math.log(1 + n / (1 + (names.get(stem) ?? 0))) *
      (common?.has(stem) ? INVENTORY_MATCH.everydayWeight : 1);
    const total = stems.reduce((sum, w) => sum + weight(w), 0);
    const keyWords = stems
      .filter((w) => !common?.has(w))
      .sort((a, b) => weight(b) - weight(a))
      .slice(0, INVENTORY_MATCH.keyWords);
    // Stems of five letters or more match as prefixes (full-text search over-collects, sameStem decides).
    const candidates = this.candidates(stems, lang);
    const found: InventoryMatch[] = [];
    for (const { id } of candidates) {
      const s = this.service(id);
      if (!s) continue;
      const key = `${lang}:${id}`;
      let known = this.stemsOf.get(key);
      if (!known) {
        // The words people use count as the service's own name.
        const name = new Set(
          [s.name[lang], ...(s.keywords?.[lang] ?? [])].flatMap((t) => contentStems(t, lang)),
        );
        known = { name, all: new Set([...name, ...contentStems(s.department[lang], lang)]) };
        this.stemsOf.set(key, known);
      }
      // A listing's words are the inventory's: its vocabulary finds a stem's matches among them.
      const inName = stems.filter((w) => vocabulary.has(w, known.name));
      const coverage =
        stems.filter((w) => vocabulary.has(w, known.all)).reduce((sum, w) => sum + weight(w), 0) /
        total;
      const nameShare = inName.reduce((sum, w) => sum + weight(w), 0) / total;
      const distinctive = inName.some((w) => (names.get(w) ?? 0) <= INVENTORY_MATCH.maxCommonNames);
      // Or: the question's rarest words are all the listing's own ("air cadets" in a long question).
      const keyWordsHeld =
        keyWords.length > 0 && keyWords.every((w) => vocabulary.has(w, known.name));
      const broad =
        coverage >= INVENTORY_MATCH.minCoverage &&
        nameShare >= INVENTORY_MATCH.minNameShare &&
        distinctive;
      const pointed = keyWordsHeld && distinctive && coverage >= INVENTORY_MATCH.minKeyWordCoverage;
      if (!broad && !pointed) continue;
      found.push({
        id,
        name: s.name[lang],
        department: s.department[lang],
        url: s.url?.[lang] ?? null,
        coverage,
        nameHits: inName.length,
      });
    }
    return found.sort((a, b) => b.coverage - a.coverage || b.nameHits - a.nameHits).slice(0, limit);
  }

  /** The listings full-text search hands over, best first: from the index in memory, else SQLite. */
  private candidates(stems: readonly string[], lang: Language): { id: string }[] {
    const phrases = stems.map((s) => ({
      token: s.replace(/"/g, ''),
      prefix: s.length >= PREFIX_MIN,
    }));
    if (this.mirror === undefined)
      this.mirror = Fts5Mirror.load(
        this.db,
        'inv_search',
        'id',
        'lang',
        Object.entries(WEIGHTS).map(([name, weight]) => ({ name, weight })),
      );
    const hits = this.mirror?.search(phrases, lang, CANDIDATES);
    if (hits) return hits;
    const terms = phrases.map((p) => `"${p.token}"${p.prefix ? '*' : ''}`);
    return this.searchStmt.all(terms.join(' OR '), lang, CANDIDATES) as { id: string }[];
  }
}
