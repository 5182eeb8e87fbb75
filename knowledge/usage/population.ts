import { parseCsv } from '../../lib/csv';
import type { Database } from '../../lib/database';
import type { ModuleMigrations } from '../../lib/migrations';

type PopulationTables = {
  population_by_fsa: { fsa: string; population: number; source: string; imported_at: string };
};

export const POPULATION_MIGRATIONS: ModuleMigrations = {
  module: 'population',
  migrations: [
    (db) =>
      db.schema
        .createTable('population_by_fsa')
        .addColumn('fsa', 'text', (c) => c.primaryKey())
        .addColumn('population', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .execute(),
  ],
};

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
export async function importPopulation(
  database: Database,
  csv: string,
  sourceName: string,
  now: Date = new Date(),
): Promise<PopulationImport> {
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
  const imported_at = now.toISOString();
  await tables(database)
    .transaction()
    .execute(async (trx) => {
      await trx.deleteFrom('population_by_fsa').execute();
      // Chunks keep each statement under both engines' bound-parameter limits.
      for (let i = 0; i < entries.length; i += 500)
        await trx
          .insertInto('population_by_fsa')
          .values(
            entries
              .slice(i, i + 500)
              .map(([fsa, population]) => ({ fsa, population, source, imported_at })),
          )
          .execute();
    });
  return { imported: entries.length, skipped, source };
}

const tables = (database: Database) => database.kysely.withTables<PopulationTables>();

/** Population per FSA (empty before an import). */
export async function populations(database: Database): Promise<Map<string, number>> {
  const rows = await tables(database)
    .selectFrom('population_by_fsa')
    .select(['fsa', 'population'])
    .execute();
  return new Map(rows.map((r) => [r.fsa, r.population]));
}
