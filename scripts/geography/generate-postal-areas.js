'use strict';
// Generates knowledge/geography/data/postal-areas.json: one checked point per Ontario postal area (FSA),
// from the shared three-way table (GeoNames 2024, Statistics Canada 2021 boundary centroids and the
// npm `zipcodes` package side by side). No single source is right everywhere, so each area takes the
// sources that agree; the run prints how each area was decided. The service never reads the shared
// folder: the output is committed as the project's own data and reviewed like any other change.
//   node scripts/geography/generate-postal-areas.js [SHARED_DIR]
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'knowledge', 'geography', 'data', 'postal-areas.json');
const { readCsv, sharedDir } = require('../shared-data');

const shared = sharedDir();

/** Two sources closer than this agree (the table's own agreement flag uses the same distance). */
const AGREE_KM = 3;

/**
 * Areas decided by review where the rule would pick wrong. Each names the source kept and why.
 * The shared table's notes: zipcodes is the only right source at L8N; GeoNames (accuracy 6) and the
 * boundary centroid both fall in the rural part of P3E and K7L, which mix a town with rural land.
 */
const REVIEWED = {
  L8N: {
    use: ['zipcodes'],
    why: 'GeoNames and the StatCan centroid both fall north-west of Hamilton, outside Stinson and Corktown; the zipcodes point is in them',
  },
  P3E: {
    use: ['zipcodes'],
    why: 'GeoNames (low accuracy) and the StatCan centroid fall 25 km south in the rural part of the area; the zipcodes point is in Robinson and Lockerby',
  },
  K7L: {
    use: ['zipcodes'],
    why: 'GeoNames and the StatCan centroid fall 8 km north-east in the rural part of the area; the zipcodes point is downtown Kingston',
  },
};

const R = Math.PI / 180;
function km(a, b) {
  const h =
    Math.sin(((b.lat - a.lat) * R) / 2) ** 2 +
    Math.cos(a.lat * R) * Math.cos(b.lat * R) * Math.sin(((b.lon - a.lon) * R) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}
const round = (n) => Math.round(n * 1e4) / 1e4;
const mean = (pts) => ({
  lat: pts.reduce((s, p) => s + p.lat, 0) / pts.length,
  lon: pts.reduce((s, p) => s + p.lon, 0) / pts.length,
});

function point(lat, lon) {
  const a = Number(lat);
  const b = Number(lon);
  return lat !== '' && lon !== '' && Number.isFinite(a) && Number.isFinite(b)
    ? { lat: a, lon: b }
    : null;
}

const rows = readCsv(shared, 'fsa_ontario_three_way_check.csv');
const areas = [];
const counts = {};
for (const r of rows) {
  const found = {
    geonames: point(r.geonames_lat, r.geonames_lng),
    'statcan-2021': point(r.statcan2021_centroid_lat, r.statcan2021_centroid_lng),
    zipcodes: point(r.zipcodes_npm_lat, r.zipcodes_npm_lng),
  };
  const have = Object.entries(found).filter(([, p]) => p);
  if (have.length === 0) {
    counts.unplaced = (counts.unplaced ?? 0) + 1;
    continue;
  }
  let kept;
  let basis;
  let note;
  if (REVIEWED[r.fsa]) {
    kept = REVIEWED[r.fsa].use;
    basis = 'reviewed';
    note = REVIEWED[r.fsa].why;
  } else if (have.length === 1) {
    kept = [have[0][0]];
    basis = 'single-source';
  } else {
    // The table's own agreement flag first (all three agree, or one named source is the outlier);
    // otherwise the two sources closest together.
    const outlier = {
      geonames_outlier: 'geonames',
      statcan_outlier: 'statcan-2021',
      zipcodes_outlier: 'zipcodes',
    }[r.agreement];
    const pairs = [];
    for (let i = 0; i < have.length; i++)
      for (let j = i + 1; j < have.length; j++)
        pairs.push({ ids: [have[i][0], have[j][0]], d: km(have[i][1], have[j][1]) });
    pairs.sort((a, b) => a.d - b.d);
    if (have.length === 3 && (r.agreement === 'all_agree' || pairs.every((p) => p.d <= AGREE_KM))) {
      kept = have.map(([id]) => id);
      basis = 'all-agree';
    } else if (have.length === 3 && outlier) {
      kept = have.map(([id]) => id).filter((id) => id !== outlier);
      basis = 'two-agree';
    } else if (pairs[0].d <= AGREE_KM) {
      kept = pairs[0].ids;
      basis = 'two-agree';
    } else {
      kept = pairs[0].ids;
      basis = 'closest-pair';
      note = `no two sources within ${AGREE_KM} km; the closest two (${pairs[0].d.toFixed(1)} km apart) are averaged`;
    }
  }
  const p = mean(kept.map((id) => found[id]));
  const spreadKm = Math.max(0, ...kept.map((id) => km(p, found[id])));
  counts[basis] = (counts[basis] ?? 0) + 1;
  areas.push({
    fsa: r.fsa,
    name: r.geonames_place_name || null,
    rural: r.rural_fsa === 'yes',
    lat: round(p.lat),
    lon: round(p.lon),
    basis,
    sources: kept,
    spreadKm: Math.round(spreadKm * 10) / 10,
    ...(note ? { note } : {}),
    source: `fsa-three-way-check#${r.fsa}`,
  });
}
areas.sort((a, b) => a.fsa.localeCompare(b.fsa));
const body = {
  generatedBy: 'scripts/geography/generate-postal-areas.js',
  checked: '2026-12-04',
  sources: [
    {
      id: 'fsa-three-way-check',
      description:
        'Ontario postal areas (FSA): GeoNames CA.txt 2024 points, centroids of the Statistics Canada 2021 FSA boundaries (lfsa000b21a_e) and the npm zipcodes 8 points side by side, with their distances and an agreement flag. Each area here averages the sources that agree within 3 km.',
      url: 'https://www150.statcan.gc.ca/n1/en/catalogue/92-179-X',
      licence: 'GeoNames CC BY 4.0; Statistics Canada Open Licence; zipcodes MIT',
    },
  ],
  areas,
};
fs.writeFileSync(OUT, JSON.stringify(body, null, 1) + '\n');
process.stdout.write(`postal-areas.json: ${areas.length} areas; ${JSON.stringify(counts)}\n`);
