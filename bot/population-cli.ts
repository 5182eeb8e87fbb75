import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../lib/logger';
import { importPopulation, PopulationImportError } from '../knowledge/usage/population';
import { bootstrap } from './bootstrap';

/** `npm run import:population -- FILE`: loads census population by postal area for /insights. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const file = argv[0];
  if (!file) {
    process.stderr.write(
      'Usage: npm run import:population -- FILE.csv (Statistics Canada census population by forward sortation area)\n',
    );
    process.exitCode = 2;
    return;
  }
  let csv: string;
  try {
    const bytes = fs.readFileSync(file);
    // Statistics Canada publishes some tables in Windows-1252: fall back to it when UTF-8 fails.
    try {
      csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      csv = new TextDecoder('windows-1252').decode(bytes);
    }
  } catch (err) {
    process.stderr.write(`Cannot read ${file}: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const foundation = await bootstrap({ logger: createLogger('silent') });
  try {
    const result = await importPopulation(foundation.database, csv, path.basename(file));
    process.stdout.write(
      `Imported the population of ${result.imported} postal areas (${result.skipped} rows skipped) from ${result.source}.\n`,
    );
  } catch (err) {
    if (!(err instanceof PopulationImportError)) throw err;
    process.stderr.write(`${file}: ${err.message}\n`);
    process.exitCode = 2;
  } finally {
    await foundation.close();
  }
}
