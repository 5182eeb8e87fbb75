import { openDatabase } from '../../lib/db';
import { Fts5Mirror, Phrase } from '../../knowledge/fts-mirror';
import { loadKnowledge } from '../../knowledge/load';
import { loadInventory } from '../../knowledge/inventory/load';
import { InventoryIndex } from '../../knowledge/inventory/search';
import { KnowledgeRepository } from '../../knowledge/repository';
import { contentStems } from '../../knowledge/nlu/text';
import { Language, LANGUAGES } from '../../knowledge/schema';
import { loadQuestions, QUESTION_SETS } from '../bench/nlu-eval';

describe('the full-text indexes in memory', () => {
  const db = openDatabase(':memory:');
  const kb = loadKnowledge();
  new KnowledgeRepository(db).seed(kb);
  new InventoryIndex(db).seed(loadInventory());
  /** Every evaluation question and every twentieth corpus sentence, as the stems each language reads. */
  const queries: Array<{ stems: string[]; lang: Language }> = [];
  for (const lang of LANGUAGES) {
    const texts = QUESTION_SETS.flatMap((s) => loadQuestions(s).map((q) => q.q));
    for (const utterances of kb.corpus[lang].values())
      texts.push(...utterances.filter((_, i) => i % 20 === 0));
    for (const t of texts) {
      const stems = [...new Set(contentStems(t, lang))].filter((s) => s.length > 1);
      if (stems.length) queries.push({ stems, lang });
    }
  }
  /**
   * The queries on which the mirror of `table` answers otherwise than SQLite's bm25() ordered
   * `order` (scores compared as bm25() gives them, times `sign`).
   */
  const differences = (
    table: string,
    columns: Record<string, number>,
    order: 'DESC' | 'ASC',
    limit: number,
    prefix: (token: string) => boolean,
  ): number => {
    const mirror = Fts5Mirror.load(
      db,
      table,
      'id',
      'lang',
      Object.entries(columns).map(([name, weight]) => ({ name, weight })),
    ) as Fts5Mirror;
    expect(mirror).not.toBeNull();
    const weights = Object.values(columns).map((w) => w.toFixed(1));
    const sign = order === 'DESC' ? -1 : 1;
    const stmt = db.prepare(
      `SELECT id, ${sign} * bm25(${table}, 0, 0, ${weights.join(', ')}) AS score FROM ${table}
       WHERE ${table} MATCH ? AND lang = ? ORDER BY score ${order} LIMIT ?`,
    );
    let differ = 0;
    for (const { stems, lang } of queries) {
      const phrases: Phrase[] = stems.map((token) => ({ token, prefix: prefix(token) }));
      const match = phrases.map((p) => `"${p.token}"${p.prefix ? '*' : ''}`).join(' OR ');
      const hits = (mirror.search(phrases, lang, limit) ?? []).map(({ id, score }) => ({
        id,
        score: -sign * score,
      }));
      if (JSON.stringify(hits) !== JSON.stringify(stmt.all(match, lang, limit))) differ++;
    }
    return differ;
  };

  it('ranks the records as FTS5 does: same records, order and scores, ties in rowid order', () => {
    expect(queries.length).toBeGreaterThan(4_000);
    const columns = { name: 8, keywords: 6, content: 1, examples: 2 };
    expect(differences('kb_search', columns, 'DESC', 10, () => false)).toBe(0);
  });

  it('hands over the same 100 federal listings, in order, prefixes included', () => {
    // As the inventory asks: bm25() itself (negative), ascending; stems of five letters as prefixes.
    const columns = { name: 6, department: 1, keywords: 4 };
    expect(differences('inv_search', columns, 'ASC', 100, (t) => t.length >= 5)).toBe(0);
  });

  it('leaves to SQLite a token its tokenizer would split', () => {
    const mirror = Fts5Mirror.load(db, 'kb_search', 'id', 'lang', [{ name: 'name', weight: 1 }]);
    expect(mirror?.search([{ token: 'santé', prefix: false }], 'fr', 10)).toBeNull();
    expect(
      mirror?.search([{ token: 'passport', prefix: false }], 'en', 10)?.length,
    ).toBeGreaterThan(0);
  });
});
