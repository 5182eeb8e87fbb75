import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  importPopulation,
  populations,
  PopulationImportError,
} from '../../knowledge/usage/population';
import { sharedDir } from '../helpers/shared';
import { ENGINES, freshDatabaseEachTest } from '../helpers/databases';

const CENSUS = path.join(sharedDir(), 'data', 'statcan_2016_census_fsa_population_T1201EN.csv');
const ROOT = path.join(__dirname, '..', '..');

describe.each(ENGINES)('census population import (%s)', (engine) => {
  const db = freshDatabaseEachTest(engine);

  it('imports every forward sortation area of the 2016 census table', async () => {
    const r = await importPopulation(db.database, fs.readFileSync(CENSUS, 'utf8'), 'T1201EN.csv');
    expect(r.imported).toBeGreaterThan(1600);
    expect(r.source).toMatch(/2016 Census/);
    const pop = await populations(db.database);
    expect(pop.get('K7L')).toBeGreaterThan(10000);
    expect(pop.has('01')).toBe(false);
  });

  it('replaces the previous import instead of adding to it', async () => {
    const csv =
      '"Geographic code","Geographic name","Population, 2021"\n"K1A","K1A",100\n"K2A","K2A",200\n';
    await importPopulation(db.database, csv, 'a.csv');
    await importPopulation(
      db.database,
      '"Geographic code","Population, 2021"\n"K1A",150\n',
      'b.csv',
    );
    expect([...(await populations(db.database))]).toEqual([['K1A', 150]]);
  });

  it('refuses a file that is not a census table by postal area, keeping what was imported', async () => {
    await importPopulation(
      db.database,
      '"Geographic code","Population, 2016"\n"P3E",41000\n',
      'ok.csv',
    );
    await expect(importPopulation(db.database, 'name,phone\nA,B\n', 'x.csv')).rejects.toThrow(
      PopulationImportError,
    );
    await expect(
      importPopulation(db.database, '"Geographic code","Population, 2016"\n"01",5\n', 'x.csv'),
    ).rejects.toThrow(/no forward sortation area/);
    expect((await populations(db.database)).get('P3E')).toBe(41000);
  });
});

describe('npm run import:population', () => {
  it('runs as npm run import:population -- FILE, with a usage message without a file', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pop-'));
    try {
      const out = execFileSync('npm', ['run', '--silent', 'import:population', '--', CENSUS], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      });
      expect(out).toMatch(/Imported the population of 16\d\d postal areas/);
      const r = spawnSync('npm', ['run', '--silent', 'import:population'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/Usage/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
