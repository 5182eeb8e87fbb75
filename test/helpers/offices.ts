import type { Database } from '../../lib/database';
import { createI18n } from '../../lib/i18n';
import { loadKnowledge } from '../../knowledge/load';
import { nearestOffices } from '../../knowledge/offices/answer';
import { createOfficeFinder, OfficeFinder } from '../../knowledge/offices/index';
import type { Language, ServiceRecord } from '../../knowledge/schema';
import { testDatabase } from './databases';

const kb = loadKnowledge();
const i18n = createI18n();

/** The shipped office registry over `database`, or a fresh in-memory one. */
export async function officeFinder(database?: Database): Promise<OfficeFinder> {
  return createOfficeFinder(database ?? (await testDatabase('sqlite')).database, kb);
}

export function service(id: string): ServiceRecord {
  return kb.byId.get(id) as ServiceRecord;
}

/** The nearest-office answer at a fixed time. */
export function nearestAt(
  finder: OfficeFinder,
  serviceId: string,
  near: string,
  at: string,
  opts: { lang?: Language; limit?: number; freshMinutes?: number } = {},
) {
  const origin = finder.geocoder.geocode(near);
  return nearestOffices(
    {
      registry: finder.registry,
      waits: finder.waits,
      outreach: finder.outreach,
      now: new Date(at),
      freshMs: (opts.freshMinutes ?? 60) * 60_000,
      t: i18n.t,
    },
    { service: service(serviceId), origin, lang: opts.lang ?? 'en', limit: opts.limit ?? 3 },
  );
}

/** A Service Canada visit to Sandy Lake First Nation's outreach site, Tuesday 18 March 2025, 10:00–15:00. */
export function visitSandyLake(finder: OfficeFinder, services: string[]) {
  return finder.outreach.addVisits([
    {
      siteId: 'sc-outreach-sandy-lake-first-nation',
      organization: 'service-canada',
      date: '2025-03-18',
      startMin: 600,
      endMin: 900,
      services,
    },
  ]);
}
