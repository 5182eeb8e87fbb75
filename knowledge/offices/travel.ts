/**
 * Travel-time model: minutes to get from the person to an office, from the straight-line distance.
 *
 * - Roads are not straight: road distance ≈ 1.3 × the straight-line distance (a usual detour factor
 *   for Ontario's road grid).
 * - Speed depends on how far one goes: the first 5 km of road at 25 km/h (city streets, lights),
 *   the next 25 km at 50 km/h (arterials, regional roads), the rest at 85 km/h (highways).
 * - Plus a fixed 5 minutes to park and walk in.
 *
 * It is monotonic in distance (the ranking's spatial search relies on that) and deliberately simple:
 * it ranks offices against each other; it is not a route planner. Fly-in communities have no road at
 * all, which is why the answer lists scheduled outreach visits near the person separately.
 */
export const TRAVEL_MODEL = {
  detourFactor: 1.3,
  bands: [
    { km: 5, kmh: 25 },
    { km: 25, kmh: 50 },
    { km: Infinity, kmh: 85 },
  ],
  fixedMinutes: 5,
} as const;

/** Estimated minutes of travel for a straight-line distance in km. */
export function travelMinutes(straightKm: number): number {
  let road = straightKm * TRAVEL_MODEL.detourFactor;
  let minutes = TRAVEL_MODEL.fixedMinutes;
  for (const band of TRAVEL_MODEL.bands) {
    const part = Math.min(road, band.km);
    minutes += (part / band.kmh) * 60;
    road -= part;
    if (road <= 0) break;
  }
  return minutes;
}
