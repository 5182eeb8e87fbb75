import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KnowledgeLoadError } from '../../knowledge/load';
import { loadMunicipalities, MUNICIPALITIES_FILE } from '../../knowledge/municipalities/directory';

const dir = loadMunicipalities();
const ids = (text: string) => dir.find(text)?.municipalities.map((m) => m.id) ?? null;

describe("Ontario's municipalities", () => {
  it('lists every lower- and single-tier municipality once, each with a website or honestly none', () => {
    expect(dir.size).toBe(414);
    expect(dir.get('toronto')?.website).toBe('https://www.toronto.ca');
    expect(dir.get('greater-sudbury')?.name.fr).toBe('Grand Sudbury');
  });

  it.each([
    ['K1N', 'ottawa'],
    ['K2K 1X7', 'ottawa'],
    ['M5C', 'toronto'],
    ['M5E', 'toronto'],
    ['N9A', 'windsor'],
    ['P7B', 'thunder-bay'],
    ['L8N', 'hamilton'],
    ['P3E', 'greater-sudbury'],
    ['K7L', 'kingston'],
    ['L3T', 'markham'],
    ['L4J', 'vaughan'],
  ])('places the urban postal area %s in %s', (code, id) => {
    expect(dir.fromPostalCode(code).map((m) => m.id)).toEqual([id]);
  });

  it('does not pretend a rural postal area is one municipality', () => {
    expect(dir.fromPostalCode('K0A')).toEqual([]);
    expect(dir.fromPostalCode('P0R')).toEqual([]);
  });

  it.each([
    ['how do I pay my water bill in Kingston', ['kingston']],
    ['pothole on my street in Scarborough', ['toronto']],
    ['garbage day K1N 5T2', ['ottawa']],
    ['collecte des ordures à Grand Sudbury', ['greater-sudbury']],
    ['Je demeure à Orléans', ['ottawa']],
    ['bulky pickup Thunder Bay', ['thunder-bay']],
    ['recycling in Sault Ste. Marie', ['sault-ste-marie']],
    ['no heat in my apartment in Tiny', ['tiny']],
    ['Hamilton water bill', ['hamilton']],
  ])('reads the municipality of "%s"', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it.each([
    'my tiny apartment has no heat',
    'King Street parking ticket',
    'the Paris agreement',
    'maple syrup festival permit',
  ])('reads no municipality in "%s" (common words are places only after "in", "à"…)', (text) => {
    expect(ids(text)).toBeNull();
  });

  it('names the community it read and the other municipalities a postal area spans', () => {
    const view = dir.view(dir.find('snow removal in Kanata')!, 'en');
    expect(view).toMatchObject({
      id: 'ottawa',
      name: 'Ottawa',
      matched: 'Kanata',
      tier: 'single',
      alternatives: [],
    });
    const shared = dir.find('L9X')!;
    expect(shared.municipalities.length).toBe(2);
    expect(dir.view(shared, 'fr').alternatives.length).toBe(1);
  });

  it('stops the load naming the municipality and the field of a bad entry', () => {
    const data = JSON.parse(fs.readFileSync(MUNICIPALITIES_FILE, 'utf8'));
    data.municipalities[3].website = 'not a url';
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mun-')), 'm.json');
    fs.writeFileSync(file, JSON.stringify(data));
    expect(() => loadMunicipalities(file)).toThrow(KnowledgeLoadError);
    expect(() => loadMunicipalities(file)).toThrow(
      new RegExp(`record "${data.municipalities[3].id}", field "website"`),
    );
  });
});
