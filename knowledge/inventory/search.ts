import { Db, migrate } from '../../lib/db';
import { contentStems } from '../nlu/text';
import { Language, LANGUAGES } from '../schema';
import { Inventory } from './load';
import { InventoryService } from './schema';

const MIGRATIONS = [
  `CREATE TABLE inv_services (id TEXT PRIMARY KEY, body TEXT NOT NULL);
   CREATE TABLE inv_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE VIRTUAL TABLE inv_search USING fts5(id UNINDEXED, lang UNINDEXED, name, department);`,
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
  minCoverage: 0.6,
  /** …this share in the service's own name… */
  minNameShare: 0.4,
  /** …one of them in at most this many service names (not "program", "application", "licence"). */
  maxCommonNames: 15,
};

/** Listings the full-text search hands over for scoring. */
const CANDIDATES = 100;

/** Shortest stem that matches longer words it begins (and is matched by stems it begins). */
const PREFIX_MIN = 4;

function stemIn(stem: string, words: ReadonlySet<string>): boolean {
  if (words.has(stem)) return true;
  if (stem.length < PREFIX_MIN) return false;
  for (const w of words) if (w.length >= PREFIX_MIN && (w.startsWith(stem) || stem.startsWith(w))) return true;
  return false;
}

/** The federal service inventory in SQLite with a full-text index per language (names and departments). */
export class InventoryIndex {
  private readonly searchStmt;
  private readonly getStmt;
  private readonly stemsOf = new Map<string, { name: Set<string>; all: Set<string> }>();
  private readonly df = new Map<Language, { df: Map<string, number>; n: number }>();
  private readonly parsed = new Map<string, InventoryService>();

  constructor(private readonly db: Db) {
    migrate(db, 'inventory', MIGRATIONS);
    this.searchStmt = db.prepare(
      `SELECT id FROM inv_search WHERE inv_search MATCH ? AND lang = ? ORDER BY bm25(inv_search, 0, 0, 6.0, 1.0) LIMIT ?`,
    );
    this.getStmt = db.prepare('SELECT body FROM inv_services WHERE id = ?');
  }

  /** Replaces the stored inventory, unless this version is already stored. */
  seed(inventory: Inventory): boolean {
    const stored = this.db.prepare("SELECT value FROM inv_meta WHERE key = 'version'").get() as { value: string } | undefined;
    if (stored?.value === inventory.version) return false;
    const insert = this.db.prepare('INSERT INTO inv_services (id, body) VALUES (?, ?)');
    const index = this.db.prepare('INSERT INTO inv_search (id, lang, name, department) VALUES (?, ?, ?, ?)');
    this.stemsOf.clear();
    this.df.clear();
    this.parsed.clear();
    this.db.transaction(() => {
      this.db.exec('DELETE FROM inv_services; DELETE FROM inv_search;');
      for (const s of inventory.services) {
        insert.run(s.id, JSON.stringify(s));
        for (const lang of LANGUAGES) index.run(s.id, lang, contentStems(s.name[lang], lang).join(' '), contentStems(s.department[lang], lang).join(' '));
      }
      this.db.prepare("INSERT INTO inv_meta (key, value) VALUES ('version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(inventory.version);
    })();
    return true;
  }

  private service(id: string): InventoryService | undefined {
    let s = this.parsed.get(id);
    if (!s) {
      const row = this.getStmt.get(id) as { body: string } | undefined;
      if (!row) return undefined;
      s = JSON.parse(row.body) as InventoryService;
      this.parsed.set(id, s);
    }
    return s;
  }

  /** In how many service names of a language each stem appears (computed once). */
  private frequencies(lang: Language): { df: Map<string, number>; n: number } {
    let f = this.df.get(lang);
    if (!f) {
      const df = new Map<string, number>();
      const rows = this.db.prepare('SELECT body FROM inv_services').all() as { body: string }[];
      for (const { body } of rows) for (const stem of new Set(contentStems((JSON.parse(body) as InventoryService).name[lang], lang))) df.set(stem, (df.get(stem) ?? 0) + 1);
      f = { df, n: rows.length };
      this.df.set(lang, f);
    }
    return f;
  }

  /**
   * Listings that answer the question: most of its content words, weighed by how rare they are in
   * service names (a word the inventory never uses weighs most), are in the listing, and the
   * service's own name holds a rare one. Best first; none when nothing matches well enough.
   */
  match(question: string, lang: Language, limit = 3): InventoryMatch[] {
    const stems = [...new Set(contentStems(question, lang))].filter((s) => s.length > 1);
    if (stems.length === 0) return [];
    const { df, n } = this.frequencies(lang);
    // How many names hold the stem, counted as it matches (prefixes included): "appli" meets "applic".
    const names = new Map(stems.map((w) => [w, [...df.entries()].reduce((sum, [k, c]) => sum + (k === w || stemIn(w, new Set([k])) ? c : 0), 0)]));
    const weight = (stem: string) => Math.log(1 + n / (1 + (names.get(stem) ?? 0)));
    const total = stems.reduce((sum, w) => sum + weight(w), 0);
    // Stems of four letters or more match as prefixes: "fish" finds "fisheri" (fisheries), "pollut" "pollution".
    const terms = stems.map((s) => `"${s.replace(/"/g, '')}"${s.length >= PREFIX_MIN ? '*' : ''}`);
    const candidates = this.searchStmt.all(terms.join(' OR '), lang, CANDIDATES) as { id: string }[];
    const found: InventoryMatch[] = [];
    for (const { id } of candidates) {
      const s = this.service(id);
      if (!s) continue;
      const key = `${lang}:${id}`;
      let known = this.stemsOf.get(key);
      if (!known) {
        const name = new Set(contentStems(s.name[lang], lang));
        known = { name, all: new Set([...name, ...contentStems(s.department[lang], lang)]) };
        this.stemsOf.set(key, known);
      }
      const inName = stems.filter((w) => stemIn(w, known.name));
      const coverage = stems.filter((w) => stemIn(w, known.all)).reduce((sum, w) => sum + weight(w), 0) / total;
      const nameShare = inName.reduce((sum, w) => sum + weight(w), 0) / total;
      const distinctive = inName.some((w) => (names.get(w) ?? 0) <= INVENTORY_MATCH.maxCommonNames);
      if (coverage < INVENTORY_MATCH.minCoverage || nameShare < INVENTORY_MATCH.minNameShare || !distinctive) continue;
      found.push({ id, name: s.name[lang], department: s.department[lang], url: s.url?.[lang] ?? null, coverage, nameHits: inName.length });
    }
    return found.sort((a, b) => b.coverage - a.coverage || b.nameHits - a.nameHits).slice(0, limit);
  }
}
