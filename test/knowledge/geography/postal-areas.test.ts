import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inOntario } from '../../../knowledge/geography/ontario';
import { PostalAreas, POSTAL_AREAS_FILE } from '../../../knowledge/geography/postal-areas';
import { KnowledgeLoadError } from '../../../knowledge/load';
import { distanceKm } from '../../../knowledge/offices/geo';
import { officeFinder } from '../../helpers/offices';
import { sharedDir } from '../../helpers/shared';

const SHARED = path.join(sharedDir(), 'data');
const areas = new PostalAreas();

/** Points inside each hard case's neighbourhood, read off a map: where the person really is. */
const HARD_CASES: Record<string, [number, number]> = {
  K1N: [45.4302, -75.6855], // Lower Town / Sandy Hill, Ottawa (zipcodes: Kanata)
  M5C: [43.6515, -79.3772], // St. James Park, downtown Toronto (zipcodes: Etobicoke)
  M5E: [43.6466, -79.3736], // Berczy Park, downtown Toronto
  N9K: [42.3009, -82.8627], // Tecumseh
  P7B: [48.4312, -89.2369], // Thunder Bay north central (GeoNames: 58 km away)
  N9A: [42.3149, -83.0364], // Windsor city centre (GeoNames: 12 km away)
  L8N: [43.2508, -79.862], // Stinson / Corktown, Hamilton (only zipcodes is right)
  P3E: [46.47, -80.996], // Robinson / Lockerby, Sudbury
  K7L: [44.2312, -76.486], // downtown Kingston
};

function readCsv(file: string): Record<string, string>[] {
  const [head, ...rows] = fs.readFileSync(path.join(SHARED, file), 'utf8').trim().split(/\r?\n/);
  const columns = head.split(',');
  // The columns read here hold no quoted commas before the coordinates and the agreement flag.
  return rows.map((line) => {
    const cells =
      line
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)
        ?.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '')) ?? [];
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

describe('postal areas', () => {
  it.each(Object.entries(HARD_CASES))(
    'places %s in its own neighbourhood (within 3 km)',
    (fsa, [lat, lon]) => {
      const area = areas.get(fsa);
      expect(area).toBeDefined();
      expect(distanceKm(area as { lat: number; lon: number }, { lat, lon })).toBeLessThan(3);
    },
  );

  it('puts every urban postal area within 3 km of each source the three-way table says agrees', () => {
    const far: string[] = [];
    const rows = readCsv('fsa_ontario_three_way_check.csv').filter((r) => r.rural_fsa === 'no');
    const OUTLIER: Record<string, string> = {
      geonames_outlier: 'geonames',
      statcan_outlier: 'statcan',
      zipcodes_outlier: 'zipcodes',
    };
    let checked = 0;
    for (const r of rows) {
      const area = areas.get(r.fsa);
      if (
        !area ||
        area.basis === 'reviewed' ||
        !(r.agreement === 'all_agree' || OUTLIER[r.agreement])
      )
        continue;
      const sources = {
        geonames: { lat: Number(r.geonames_lat), lon: Number(r.geonames_lng) },
        statcan: {
          lat: Number(r.statcan2021_centroid_lat),
          lon: Number(r.statcan2021_centroid_lng),
        },
        zipcodes: { lat: Number(r.zipcodes_npm_lat), lon: Number(r.zipcodes_npm_lng) },
      };
      checked++;
      for (const [name, p] of Object.entries(sources))
        if (name !== OUTLIER[r.agreement] && distanceKm(area, p) > 3) far.push(`${r.fsa}:${name}`);
    }
    expect(checked).toBeGreaterThan(400);
    expect(far).toEqual([]);
  });

  it('reads postal codes with the checked points, not the zipcodes package', async () => {
    const { geocoder } = await officeFinder();
    const k1n = geocoder.geocode('K1N 6N5');
    expect(k1n).toMatchObject({
      kind: 'postal-code',
      label: expect.stringMatching(/^K1N \(Ottawa/),
    });
    // Parliament Hill is 1 km away; Kanata, where zipcodes puts K1N, is 20 km away.
    expect(distanceKm(k1n, { lat: 45.4236, lon: -75.7009 })).toBeLessThan(2.5);
    expect(distanceKm(geocoder.geocode('m5c'), { lat: 43.6515, lon: -79.3772 })).toBeLessThan(1);
  });

  it('knows every populated Ontario postal area of the 2016 census, and places each in Ontario', () => {
    const populated = readCsv('statcan_2016_census_fsa_population_T1201EN.csv')
      .map((r) => Object.values(r)[0])
      .filter((fsa) => /^[KLMNP]\d[A-Z]$/.test(fsa));
    const missing = populated.filter((fsa) => !areas.get(fsa));
    expect(missing.length).toBeLessThanOrEqual(5);
    for (const a of areas.all()) expect(inOntario(a)).toBe(true);
  });

  it('stops the load naming a repeated area or a point outside Ontario', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postal-areas-'));
    try {
      const body = JSON.parse(fs.readFileSync(POSTAL_AREAS_FILE, 'utf8'));
      const file = path.join(dir, 'postal-areas.json');
      const k1n = body.areas.findIndex((a: { fsa: string }) => a.fsa === 'K1N');
      fs.writeFileSync(file, JSON.stringify({ ...body, areas: [...body.areas, body.areas[k1n]] }));
      expect(() => new PostalAreas(file)).toThrow(KnowledgeLoadError);
      expect(() => new PostalAreas(file)).toThrow(
        /record "K1N", field "fsa": duplicate postal area/,
      );
      body.areas[k1n] = { ...body.areas[k1n], lat: 45.5017, lon: -73.5673 };
      fs.writeFileSync(file, JSON.stringify(body));
      expect(() => new PostalAreas(file)).toThrow(
        /record "K1N", field "lat": point 45\.5017, -73\.5673 is outside Ontario/,
      );
      body.areas[k1n] = { ...body.areas[k1n], fsa: 'H2X' };
      fs.writeFileSync(file, JSON.stringify(body));
      expect(() => new PostalAreas(file)).toThrow(
        /record "H2X", field "fsa": must be an Ontario forward sortation area/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Ontario's outline", () => {
  it('holds the cities by the border and leaves out the neighbours', () => {
    for (const [lat, lon] of [
      [42.3149, -83.0364],
      [45.4215, -75.6972],
      [43.0896, -79.0849],
      [49.7667, -94.4894],
      [46.5219, -84.3461],
    ]) {
      expect(inOntario({ lat, lon })).toBe(true);
    }
    for (const [lat, lon] of [
      [45.5017, -73.5673],
      [42.3314, -83.0458 - 0.2],
      [49.8951, -97.1384],
      [42.8864, -78.8784 + 0.3],
      [48.2366, -79.0231],
    ]) {
      expect(inOntario({ lat, lon })).toBe(false);
    }
  });
});
