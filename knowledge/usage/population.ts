import { parseCsv } from '../../lib/csv';
import { Db, migrate } from '../../lib/db';

const MIGRATIONS = [
  `CREATE TABLE population_by_fsa (
     fsa TEXT PRIMARY KEY,
     population INTEGER NOT NULL,
     source TEXT NOT NULL,
     imported_at TEXT NOT NULL
   );`,
];

export interface PopulationImport {
  imported: number;
  skipped: number;
  source: string;
}

export class PopulationImportError extends Error {}

/**
 * Reads a Statistics Canada census population table by forward sortation area (the
 * "Population and Dwelling Count Highlight Tables" CSV: a "Geographic code" column and a
 * "Population, YEAR" column) and replaces the stored populations in one transaction.
 */
export function importPopulation(
  db: Db,
  csv: string,
  sourceName: string,
  now: Date = new Date(),
): PopulationImport {
  migrate(db, 'population', MIGRATIONS);
  const rows = parseCsv(csv);
  const headerIndex = rows.findIndex((r) => r.some((c) => /^Geographic code$/i.test(c.trim())));
  if (headerIndex < 0)
    throw new PopulationImportError(
      'no "Geographic code" column: is this a census table by forward sortation area?',
    );
  const header = rows[headerIndex].map((c) => c.trim());
  const codeCol = header.findIndex((c) => /^Geographic code$/i.test(c));
  const popCol = header.findIndex((c) => /^Population,?\s*\d{4}$/i.test(c));
  if (popCol < 0) throw new PopulationImportError('no "Population, YEAR" column');
  const year = /\d{4}/.exec(header[popCol])?.[0] ?? '';
  const source = `Statistics Canada, ${year} Census of Population (${sourceName})`;
  const entries: Array<[string, number]> = [];
  let skipped = 0;
  for (const r of rows.slice(headerIndex + 1)) {
    const code = (r[codeCol] ?? '').trim().toUpperCase();
    if (!/^[A-Z]\d[A-Z]$/.test(code)) continue; // Canada total, notes, citation lines
    const population = Number((r[popCol] ?? '').replace(/[\s,]/g, ''));
    if (!Number.isInteger(population) || population < 0) {
      skipped++;
      continue;
    }
    entries.push([code, population]);
  }
  if (entries.length === 0)
    throw new PopulationImportError('no forward sortation area rows with a population');
  const insert = db.prepare(
    'INSERT INTO population_by_fsa (fsa, population, source, imported_at) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.exec('DELETE FROM population_by_fsa');
    for (const [fsa, population] of entries) insert.run(fsa, population, source, now.toISOString());
  })();
  return { imported: entries.length, skipped, source };
}

/** Population per FSA (empty before an import). */
export function populations(db: Db): Map<string, number> {
  migrate(db, 'population', MIGRATIONS);
  const rows = db.prepare('SELECT fsa, population FROM population_by_fsa').all() as Array<{
    fsa: string;
    population: number;
  }>;
  return new Map(rows.map((r) => [r.fsa, r.population]));
}
