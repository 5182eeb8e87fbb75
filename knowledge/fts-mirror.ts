import type { Db } from '../lib/db';
import { lowerBound } from './nlu/stem-match';

/** One phrase of an FTS5 query: a single token, or every token it begins (`"stem"*`). */
export interface Phrase {
  token: string;
  prefix: boolean;
}

export interface MirrorHit {
  id: string;
  /** FTS5's bm25() negated: higher is better. */
  score: number;
}

/** FTS5's bm25 constants (sqlite3.c, fts5Bm25Function). */
const K1 = 1.2;
const B = 0.75;
/** What an indexed column may hold for the mirror to tokenize it as FTS5's unicode61 does: stems and spaces. */
const PLAIN_COLUMN = /^[a-z0-9 ]*$/;
const PLAIN_TOKEN = /^[a-z0-9]+$/;
/** Prefix phrases remembered (their postings merge several tokens' lists). */
const PREFIX_MEMO = 20_000;

/** The rows holding a phrase, each with the phrase's column-weighted frequency in it. */
interface Postings {
  rows: Int32Array;
  freq: Float64Array;
}

/**
 * A copy in memory of an FTS5 table whose indexed columns hold stems separated by spaces, answering
 * `MATCH "a" OR "b"* … AND filter = ? ORDER BY bm25(…) LIMIT n` with the same rows and the same
 * scores, to the last bit: the same formula and order of operations as SQLite's bm25(), and the
 * logarithms taken by SQLite itself, equal scores in rowid order as SQLite's sorter leaves them
 * (test/knowledge/fts-mirror.test.ts compares both on every evaluation question and corpus
 * sentence). Querying FTS5 cost about half a millisecond an answer. `search` returns null for a
 * token FTS5's tokenizer would split: the caller asks SQLite then.
 */
export class Fts5Mirror {
  private constructor(
    private readonly ids: readonly string[],
    /** Each row's filter value, numbered: `codes` maps a value to its number. */
    private readonly filterOf: Int32Array,
    private readonly codes: ReadonlyMap<string, number>,
    /** Per row: k1 * (1 - b + b * D / avgdl), as FTS5 computes it. */
    private readonly lengthNorm: Float64Array,
    private readonly postings: ReadonlyMap<string, Postings>,
    /** Every distinct token, sorted: prefix phrases are ranges of it. */
    private readonly tokens: readonly string[],
    /** IDF by the number of rows a phrase is in (0 to the row count), computed by SQLite. */
    private readonly idf: Float64Array,
  ) {
    this.score = new Float64Array(ids.length);
    this.scored = new Float64Array(ids.length);
  }

  private readonly prefixes = new Map<string, Postings>();
  /** A search's scores by row, valid where `scored` holds that search's number (never cleared). */
  private readonly score: Float64Array;
  private readonly scored: Float64Array;
  private searches = 0;

  /**
   * Reads `table` (rowid order). `columns` are its indexed columns with their bm25 weights in column
   * order; `id` and `filter` are UNINDEXED columns. Null when a column holds anything but stems and
   * spaces (FTS5's tokenizer would read it differently).
   */
  static load(
    db: Db,
    table: string,
    id: string,
    filter: string,
    columns: ReadonlyArray<{ name: string; weight: number }>,
  ): Fts5Mirror | null {
    const rows = db
      .prepare(
        `SELECT ${id} AS id, ${filter} AS filter, ${columns.map((c) => c.name).join(', ')} FROM ${table} ORDER BY rowid`,
      )
      .raw()
      .all() as unknown[][];
    const ids: string[] = [];
    const codes = new Map<string, number>();
    const filterOf = new Int32Array(rows.length);
    const sizes = new Float64Array(rows.length);
    const lists = new Map<string, { rows: number[]; freq: number[] }>();
    let totalTokens = 0;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      ids.push(String(row[0]));
      const value = String(row[1]);
      if (!codes.has(value)) codes.set(value, codes.size);
      filterOf[r] = codes.get(value) as number;
      let size = 0;
      for (let c = 0; c < columns.length; c++) {
        const text = row[c + 2] == null ? '' : String(row[c + 2]);
        if (!PLAIN_COLUMN.test(text)) return null;
        for (const token of text.split(' ')) {
          if (!token) continue;
          size++;
          let list = lists.get(token);
          if (!list) lists.set(token, (list = { rows: [], freq: [] }));
          const last = list.rows.length - 1;
          if (list.rows[last] === r) list.freq[last] += columns[c].weight;
          else {
            list.rows.push(r);
            list.freq.push(columns[c].weight);
          }
        }
      }
      sizes[r] = size;
      totalTokens += size;
    }
    const nRow = Math.max(1, rows.length);
    const avgdl = totalTokens / nRow;
    const lengthNorm = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) lengthNorm[r] = K1 * (1 - B + (B * sizes[r]) / avgdl);
    const postings = new Map<string, Postings>();
    for (const [token, list] of lists)
      postings.set(token, { rows: Int32Array.from(list.rows), freq: Float64Array.from(list.freq) });
    // log() of the C library, as bm25() takes it, for every possible hit count.
    const ln = db.prepare('SELECT ln(?) AS v').pluck();
    const idf = new Float64Array(nRow + 1);
    for (let hits = 0; hits <= nRow; hits++) {
      const v = ln.get((nRow - hits + 0.5) / (hits + 0.5)) as number | null;
      idf[hits] = v !== null && v > 0 ? v : 1e-6;
    }
    const tokens = [...lists.keys()].sort();
    return new Fts5Mirror(ids, filterOf, codes, lengthNorm, postings, tokens, idf);
  }

  /** The rows holding a phrase: one token's list, or the merged lists of the tokens a prefix begins. */
  private phrase(p: Phrase): Postings | undefined {
    if (!p.prefix) return this.postings.get(p.token);
    const known = this.prefixes.get(p.token);
    if (known) return known;
    const freq = new Map<number, number>();
    for (let i = lowerBound(this.tokens, p.token); i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (!token.startsWith(p.token)) break;
      const list = this.postings.get(token) as Postings;
      for (let j = 0; j < list.rows.length; j++)
        freq.set(list.rows[j], (freq.get(list.rows[j]) ?? 0) + list.freq[j]);
    }
    const rows = Int32Array.from([...freq.keys()].sort((a, b) => a - b));
    const merged = { rows, freq: Float64Array.from(rows, (r) => freq.get(r) as number) };
    if (this.prefixes.size < PREFIX_MEMO) this.prefixes.set(p.token, merged);
    return merged;
  }

  /**
   * The best `limit` rows whose filter column equals `filter` and that hold any phrase, best first,
   * scored as bm25() scores them (negated); null when only SQLite can say (see the class).
   */
  search(phrases: readonly Phrase[], filter: string, limit: number): MirrorHit[] | null {
    if (phrases.some((p) => !PLAIN_TOKEN.test(p.token))) return null;
    const code = this.codes.get(filter);
    if (code === undefined) return [];
    const { score, scored, filterOf, lengthNorm } = this;
    const search = ++this.searches;
    const rows: number[] = [];
    // Phrase by phrase, in the query's order: each row's score is summed in the order bm25() sums it.
    for (const p of phrases) {
      const list = this.phrase(p);
      if (!list || list.rows.length === 0) continue;
      const idf = this.idf[list.rows.length];
      for (let j = 0; j < list.rows.length; j++) {
        const row = list.rows[j];
        if (filterOf[row] !== code) continue;
        const f = list.freq[j];
        const term = idf * ((f * (K1 + 1.0)) / (f + lengthNorm[row]));
        // 0 + term is term: the first phrase a row holds starts its sum.
        if (scored[row] !== search) {
          scored[row] = search;
          score[row] = term;
          rows.push(row);
        } else score[row] = score[row] + term;
      }
    }
    // Equal scores keep the order FTS5 hands rows over (rowid), as SQLite's sorter keeps them.
    rows.sort((a, b) => score[b] - score[a] || a - b);
    const hits: MirrorHit[] = [];
    for (let i = 0; i < Math.min(limit, rows.length); i++)
      hits.push({ id: this.ids[rows[i]], score: score[rows[i]] });
    return hits;
  }
}
