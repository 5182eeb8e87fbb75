import { inOntario } from '../geography/ontario';
import { sharedPointGroups } from './geo';
import type { PostalAreas } from '../geography/postal-areas';
import type { OfficeRegistryData } from './load';
import type { Placement } from './schema';

/** What `npm run offices:check` prints, and what its test holds to thresholds. */
export interface OfficesReport {
  offices: number;
  /** Offices by organization, then by how their point was found. */
  byPlacement: Record<string, Partial<Record<Placement, number>>>;
  /** Staffed Service Canada offices (centres and passport offices): how many, and how many at their address or postal code. */
  staffedServiceCanada: { total: number; exact: number; approximate: string[] };
  withoutStreet: string[];
  /** Groups of offices that share one point: what the ranking cannot order by distance. */
  sharedPoints: { town: string; offices: string[] }[];
  outsideOntario: string[];
  /** Postal areas whose sources do not agree (no two within 3 km), or decided by review, with the kept point's basis. */
  disagreeingAreas: {
    fsa: string;
    name: string | null;
    rural: boolean;
    basis: string;
    note: string | null;
  }[];
}

export function checkOffices(
  data: Pick<OfficeRegistryData, 'offices'>,
  areas: PostalAreas,
): OfficesReport {
  const byPlacement: OfficesReport['byPlacement'] = {};
  const report: OfficesReport = {
    offices: data.offices.length,
    byPlacement,
    staffedServiceCanada: { total: 0, exact: 0, approximate: [] },
    withoutStreet: [],
    sharedPoints: [],
    outsideOntario: [],
    disagreeingAreas: [],
  };
  for (const o of data.offices) {
    const org = (byPlacement[o.organization] ??= {});
    org[o.location.placement] = (org[o.location.placement] ?? 0) + 1;
    if (o.type === 'service-canada' || o.type === 'passport') {
      report.staffedServiceCanada.total++;
      if (o.location.approximate) report.staffedServiceCanada.approximate.push(o.id);
      else report.staffedServiceCanada.exact++;
    }
    if (!o.address.street?.trim()) report.withoutStreet.push(o.id);
    if (!inOntario(o.location)) report.outsideOntario.push(o.id);
  }
  // Offices in one building share a point rightly; the question is offices of one town at its centre.
  report.sharedPoints = sharedPointGroups(data.offices, (o) =>
    o.location.approximate ? o.location : null,
  )
    .map((g) => ({ town: g[0].address.town, offices: g.map((o) => o.id) }))
    .sort((a, b) => b.offices.length - a.offices.length);
  for (const a of areas.all()) {
    if (a.basis === 'all-agree' || a.basis === 'two-agree') continue;
    report.disagreeingAreas.push({
      fsa: a.fsa,
      name: a.name,
      rural: a.rural,
      basis: a.basis,
      note: a.note ?? null,
    });
  }
  return report;
}
