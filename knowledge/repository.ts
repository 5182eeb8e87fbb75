import { Db, migrate } from '../lib/db';
import { Fts5Mirror } from './fts-mirror';
import { KnowledgeBase } from './load';
import { contentStems, TEXT_VERSION } from './nlu/text';
import { KnowledgeRecord, Language, LANGUAGES, PhoneLine } from './schema';

const MIGRATIONS = [
  `CREATE TABLE kb_records (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('service', 'bundle')),
     jurisdiction TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE TABLE kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   -- Columns hold folded, stemmed words (the same stemming as queries), so matching ignores accents,
   -- case and word endings; remove_diacritics is kept for text typed straight into MATCH.
   CREATE VIRTUAL TABLE kb_search USING fts5(
     id UNINDEXED, lang UNINDEXED, name, keywords, content, examples,
     tokenize = 'unicode61 remove_diacritics 2'
   );`,
  `CREATE TABLE kb_lines (id TEXT PRIMARY KEY, body TEXT NOT NULL);`,
];

/** Relative weights of the searched columns: a name or keyword match says more than the prose. */
const WEIGHTS = { name: 8.0, keywords: 6.0, content: 1.0, examples: 2.0 };
const BM25_WEIGHTS = `0, 0, ${Object.values(WEIGHTS)
  .map((w) => w.toFixed(1))
  .join(', ')}`;

export interface SearchHit {
  id: string;
  /** Higher is better (negated BM25). */
  score: number;
}

/** The knowledge base in SQLite: records as JSON, plus an FTS5 index per language. */
export class KnowledgeRepository {
  private readonly getStmt;
  private readonly searchStmt;
  /** Parsed records: every answer reads several, and parsing the JSON each time showed in the bot's profile. */
  private readonly parsed = new Map<string, KnowledgeRecord>();
  private readonly getLineStmt;
  private readonly lines = new Map<string, PhoneLine>();
  /** The search index in memory (same hits, same scores), read at the first search after a seed. */
  private mirror: Fts5Mirror | null | undefined;

  constructor(private readonly db: Db) {
    migrate(db, 'knowledge', MIGRATIONS);
    this.getStmt = db.prepare('SELECT body FROM kb_records WHERE id = ?');
    this.getLineStmt = db.prepare('SELECT body FROM kb_lines WHERE id = ?');
    this.searchStmt = db.prepare(
      `SELECT id, -bm25(kb_search, ${BM25_WEIGHTS}) AS score FROM kb_search
       WHERE kb_search MATCH ? AND lang = ? ORDER BY score DESC LIMIT ?`,
    );
  }

  /** Stored knowledge version, or null before the first seed. */
  version(): string | null {
    const row = this.db.prepare("SELECT value FROM kb_meta WHERE key = 'version'").get() as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  /** Replaces the stored knowledge with `kb` in one transaction, unless that version is already stored. */
  seed(kb: KnowledgeBase): boolean {
    const version = `${kb.version}/${TEXT_VERSION}`;
    if (this.version() === version) return false;
    const insertRecord = this.db.prepare(
      'INSERT INTO kb_records (id, kind, jurisdiction, body) VALUES (?, ?, ?, ?)',
    );
    const insertSearch = this.db.prepare(
      'INSERT INTO kb_search (id, lang, name, keywords, content, examples) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertLine = this.db.prepare('INSERT INTO kb_lines (id, body) VALUES (?, ?)');
    this.parsed.clear();
    this.lines.clear();
    this.mirror = undefined;
    // Immediate: the write lock first, then the version again (another process starting at the same
    // time may have stored it meanwhile: nothing to redo).
    return this.db
      .transaction(() => {
        if (this.version() === version) return false;
        this.db.exec('DELETE FROM kb_records; DELETE FROM kb_search; DELETE FROM kb_lines;');
        for (const line of kb.lines.values()) insertLine.run(line.id, JSON.stringify(line));
        for (const r of kb.records) {
          insertRecord.run(r.id, r.kind, r.jurisdiction, JSON.stringify(r));
          for (const lang of LANGUAGES) {
            const stems = (t: string) => contentStems(t, lang).join(' ');
            const examples = kb.corpus[lang].get(r.id) ?? [];
            insertSearch.run(
              r.id,
              lang,
              stems(r.name[lang]),
              r.keywords[lang].map(stems).join(' '),
              stems(searchableProse(r, lang)),
              examples.map(stems).join(' '),
            );
          }
        }
        this.db
          .prepare(
            "INSERT INTO kb_meta (key, value) VALUES ('version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          )
          .run(version);
        return true;
      })
      .immediate();
  }

  /** A record by id. Parsed once: records do not change between seeds. */
  get(id: string): KnowledgeRecord | undefined {
    return parsedOnce(this.parsed, this.getStmt, id);
  }

  /** A phone line by id. Parsed once, like records. */
  line(id: string): PhoneLine | undefined {
    return parsedOnce(this.lines, this.getLineStmt, id);
  }

  /** Full-text search over stems; any stem may match (OR), BM25 ranks. */
  search(stems: readonly string[], lang: Language, limit = 10): SearchHit[] {
    const words = [...new Set(stems)].filter((s) => s.length > 1).map((s) => s.replace(/"/g, ''));
    if (words.length === 0) return [];
    if (this.mirror === undefined) this.mirror = this.loadMirror();
    const hits = this.mirror?.search(
      words.map((token) => ({ token, prefix: false })),
      lang,
      limit,
    );
    if (hits) return hits;
    const terms = words.map((s) => `"${s}"`);
    return this.searchStmt.all(terms.join(' OR '), lang, limit) as SearchHit[];
  }

  private loadMirror(): Fts5Mirror | null {
    return Fts5Mirror.load(
      this.db,
      'kb_search',
      'id',
      'lang',
      Object.entries(WEIGHTS).map(([name, weight]) => ({ name, weight })),
    );
  }
}

/** A stored JSON body by id, parsed and frozen the first time (every answer reads several). */
function parsedOnce<T>(
  cache: Map<string, T>,
  stmt: { get(id: string): unknown },
  id: string,
): T | undefined {
  let value = cache.get(id);
  if (!value) {
    const row = stmt.get(id) as { body: string } | undefined;
    if (!row) return undefined;
    value = Object.freeze(JSON.parse(row.body)) as T;
    cache.set(id, value);
  }
  return value;
}

function searchableProse(r: KnowledgeRecord, lang: Language): string {
  const parts = [r.answer[lang], r.deliveredBy[lang]];
  if (r.kind === 'service') parts.push(r.eligibility[lang]);
  return parts.join(' ');
}
