export interface Point {
  lat: number;
  lon: number;
}

/**
 * Items placed at one approximate point (their town's centre), grouped in the order given: distance
 * cannot tell them apart. Only groups of two or more; items `pointOf` gives no point are left out.
 */
export function sharedPointGroups<T>(
  items: readonly T[],
  pointOf: (item: T) => Point | null,
): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const p = pointOf(item);
    if (!p) continue;
    const key = `${p.lat},${p.lon}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Great-circle distance in kilometres. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A uniform latitude/longitude grid over points, searched ring by ring outward from a cell, so a
 * nearest-first search touches only the cells near the origin. `ringLowerBoundKm(r)` is the least
 * distance any point in ring r (or beyond) can be from the origin.
 */
export class GridIndex<T extends Point> {
  private readonly cells = new Map<number, T[]>();
  private readonly minCellKm: number;
  private minRow = Infinity;
  private maxRow = -Infinity;
  private minCol = Infinity;
  private maxCol = -Infinity;

  constructor(
    items: readonly T[],
    private readonly cellDeg = 0.25,
  ) {
    let maxAbsLat = 0;
    for (const item of items) {
      const row = this.row(item.lat);
      const col = this.col(item.lon);
      const key = this.key(row, col);
      const list = this.cells.get(key);
      if (list) list.push(item);
      else this.cells.set(key, [item]);
      this.minRow = Math.min(this.minRow, row);
      this.maxRow = Math.max(this.maxRow, row);
      this.minCol = Math.min(this.minCol, col);
      this.maxCol = Math.max(this.maxCol, col);
      maxAbsLat = Math.max(maxAbsLat, Math.abs(item.lat) + cellDeg);
    }
    // The narrowest a cell gets (longitude cells shrink toward the pole) bounds how far a ring is.
    this.minCellKm = Math.min(
      cellDeg * 111.0,
      cellDeg * 111.32 * Math.cos(Math.min(maxAbsLat, 89) * RAD),
    );
  }

  get size(): number {
    let n = 0;
    for (const list of this.cells.values()) n += list.length;
    return n;
  }

  private row(lat: number): number {
    return Math.floor((lat + 90) / this.cellDeg);
  }

  private col(lon: number): number {
    return Math.floor((lon + 180) / this.cellDeg);
  }

  private key(row: number, col: number): number {
    return row * 10_000 + col;
  }

  ringLowerBoundKm(ring: number): number {
    return Math.max(0, (ring - 1) * this.minCellKm);
  }

  /** The largest ring that can still hold a point, from this origin. */
  maxRing(origin: Point): number {
    const row = this.row(origin.lat);
    const col = this.col(origin.lon);
    if (this.cells.size === 0) return -1;
    return Math.max(
      Math.abs(row - this.minRow),
      Math.abs(row - this.maxRow),
      Math.abs(col - this.minCol),
      Math.abs(col - this.maxCol),
    );
  }

  /** Calls `visit` with the points of ring `ring` around the origin's cell (ring 0 is the cell itself). */
  forRing(origin: Point, ring: number, visit: (item: T) => void): void {
    const r0 = this.row(origin.lat);
    const c0 = this.col(origin.lon);
    for (let row = r0 - ring; row <= r0 + ring; row++) {
      if (row < this.minRow || row > this.maxRow) continue;
      const edge = row === r0 - ring || row === r0 + ring;
      const step = edge ? 1 : 2 * ring;
      for (let col = c0 - ring; col <= c0 + ring; col += step || 1) {
        if (col < this.minCol || col > this.maxCol) continue;
        const list = this.cells.get(this.key(row, col));
        if (list) for (const item of list) visit(item);
      }
    }
  }

  /** The nearest point, or undefined for an empty index. */
  nearest(origin: Point): { item: T; km: number } | undefined {
    let best: { item: T; km: number } | undefined;
    const last = this.maxRing(origin);
    for (let ring = 0; ring <= last; ring++) {
      if (best && this.ringLowerBoundKm(ring) > best.km) break;
      this.forRing(origin, ring, (item) => {
        const km = distanceKm(origin, item);
        if (!best || km < best.km) best = { item, km };
      });
    }
    return best;
  }
}
