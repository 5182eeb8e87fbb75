import type { Placement } from './offices/schema';
import type { Jurisdiction, Language } from './schema';

// The answer model's types: plain data shared by the API, the bot, the agent console and the tests.
// No channel types, nothing to run.

/** Ontario's official list of municipalities: where a person finds theirs when the assistant cannot name it. */
export const MUNICIPAL_LIST_URL = 'https://www.ontario.ca/page/list-ontario-municipalities';

/** A phone line in one language, as answers show it (plain data). */
export interface ContactView {
  id: string;
  name: string;
  phone: string;
  /** Where French callers have their own number. */
  phoneFr?: string;
  tty?: string;
  outsideCanada?: string;
  hours: string;
  note?: string;
}

/** The municipality as answers show it (plain data, one language). */
export interface MunicipalityView {
  id: string;
  name: string;
  website: string | null;
  /** Lower-tier municipalities share services with their county or region (`area`). */
  tier: 'single' | 'lower';
  area: string;
  line: { phone: string; is311: boolean; fromOutside?: string; hours?: string } | null;
  /** Other municipalities the postal area spans, when it is not one. */
  alternatives: string[];
  /** The community or postal code it was read from, when that is not its own name. */
  matched: string;
}

export interface LookupStep {
  service: string;
  name: string;
  jurisdiction: Jurisdiction;
}

export interface LookupResult {
  id: string;
  kind: 'service' | 'bundle';
  jurisdiction: Jurisdiction;
  name: string;
  deliveredBy: string;
  score: number;
  url: string | null;
  /** The short answer: which government handles it and how to get it. */
  answer: string;
  /** Phone lines, the most useful first (none for municipal services: see `municipality`). */
  contacts: ContactView[];
  /** Bundles only: the steps in order, with each step's government. */
  steps?: LookupStep[];
}

/** A federal service of the Government of Canada service inventory: less detailed than a curated record. */
export interface FederalServiceResult {
  id: string;
  jurisdiction: 'federal';
  name: string;
  department: string;
  url: string | null;
  /** The inventory's year: details may have changed since. */
  asOf: string;
}

/**
 * A government body (agency, regulator, tribunal, ombudsman, Crown corporation) that handles what
 * was asked, from the project's directory: less detailed than a curated record.
 */
export interface GovernmentBodyResult {
  id: string;
  jurisdiction: 'provincial' | 'federal';
  name: string;
  /** What people contact it for. */
  about: string;
  url: string;
  phone: string | null;
  hours: string | null;
  /** The day its facts were checked. */
  checked: string;
}

/** Who to ask when the assistant is not sure: the likely government (if clear) and phone lines. */
export interface WhoToAsk {
  jurisdiction: Exclude<Jurisdiction, 'shared'> | null;
  contacts: ContactView[];
  /** For a municipal matter: the person's municipality, when known. */
  municipality: MunicipalityView | null;
}

/** The answer model shared by the API, the bot and the agent console (plain data, no channel types). */
export interface LookupAnswer {
  language: Language;
  /** The text is about no government service. */
  outOfScope: boolean;
  /** In scope and sure of `results[0]`. */
  confident: boolean;
  /** The answer, best first: empty when out of scope or not sure. */
  results: LookupResult[];
  /** The question asks for a phone number or a person to talk to: answers lead with `contacts`. */
  contactRequest: boolean;
  /** Not sure: the closest curated records, to offer as "did you mean". */
  suggestions: LookupResult[];
  /** Not sure: federal services of the inventory that match the question. */
  federalServices: FederalServiceResult[];
  /** Not sure: government bodies (agencies, regulators, tribunals, ombudsmen) that handle what was asked. */
  bodies: GovernmentBodyResult[];
  /** Not sure: the likely government and who to call. */
  whoToAsk: WhoToAsk | null;
  /** The person's municipality, when the question or the conversation names a place (municipal answers use it). */
  municipality: MunicipalityView | null;
}

/** Where a wait figure comes from: a fresh report, the office's usual wait at this hour, or its type's. */
export type WaitSource = 'live' | 'predicted' | 'typical';

/**
 * open: open now and will serve the person before closing. opens-later: opens later today, in time.
 * closing: open, but closes before the person could be served. closed: not open again today (holiday,
 * weekend, after hours). closure: an emergency closure. no-visit: an outreach site with no visit today.
 */
export type OfficeStatus = 'open' | 'opens-later' | 'closing' | 'closed' | 'closure' | 'no-visit';

export interface Reason {
  code: string;
  message: string;
}

/** One office as the API, the bot and the agent console show it (plain data, in one language). */
export interface OfficeAnswer {
  id: string;
  name: string;
  organization: string;
  type: string;
  typeName: string;
  address: string;
  town: string;
  lat: number;
  lon: number;
  /** True when lat/lon stand for an area (a town, a postal area), not the office's own point. */
  approximateLocation: boolean;
  /** How the point was found: address, postal-code, postal-area, neighbourhood, town or community. */
  placement: Placement;
  postalCode: string | null;
  /** The building or mall the office is in. */
  building: string | null;
  /** True when the hours shown are the office type's usual hours, not the office's own. */
  hoursTypical: boolean;
  /** Something to know before going ("by appointment only"). */
  notice: string | null;
  distanceKm: number;
  travelMinutes: number;
  available: boolean;
  status: OfficeStatus;
  reason: Reason | null;
  openNow: boolean;
  waitMinutes: number;
  waitSource: WaitSource;
  waitObservedAt: string | null;
  waitStale: boolean;
  /** null for an office left out that has no opening ahead. */
  estimatedMinutes: number | null;
  servedBy: string | null;
  closesAt: string | null;
  opensAt: string | null;
  hoursToday: { opens: string; closes: string }[];
  hoursTodayText: string;
  closures: { reason: string; until: string | null }[];
  visit: VisitAnswer | null;
  languages: Language[] | null;
  accessibility: string | null;
  colocatedWith: { id: string; name: string; organization: string }[];
  url: string | null;
  mapUrl: string;
}

export interface VisitAnswer {
  id: string;
  siteId: string;
  siteName: string;
  organization: string;
  date: string;
  startsAt: string;
  endsAt: string;
  hoursText: string;
  services: string[];
  note: string | null;
  distanceKm: number | null;
  address: string;
  mapUrl: string;
}

/**
 * An outreach site in or near the person's community that has no visit date known here: staff of its
 * organization come on scheduled days, so the person asks them for the next one.
 */
export interface OutreachSiteAnswer {
  id: string;
  name: string;
  organization: string;
  address: string;
  distanceKm: number;
  /** The site's own page (its visit days, where the organization publishes them). */
  url: string | null;
  /** What to do, in the answer language: who to ask for the next visit. */
  message: string;
}

/** The nearest-office answer model: what the renderers (JSON, bot card, page) show. */
export interface NearestAnswer {
  language: Language;
  service: { id: string; name: string };
  origin: { lat: number; lon: number; label: string };
  at: string;
  online: { url: string } | null;
  offices: OfficeAnswer[];
  excluded: OfficeAnswer[];
  outreach: VisitAnswer[];
  /**
   * Outreach sites within `LOCAL_SITE_KM` of the person, nearer than every listed office, with no
   * upcoming visit listed in `outreach` (fly-in and remote communities: ask for the next visit).
   */
  outreachSites: OutreachSiteAnswer[];
  /**
   * Set when the nearest listed office is farther than `REMOTE_OFFICE_KM` in a straight line from a
   * person north of `NORTH_LATITUDE`: the driving time is a road estimate, and some northern
   * communities have no year-round road.
   */
  remote: Reason | null;
  /** Set when no office delivers the service in person. */
  notInPerson: Reason | null;
  /** Set when only some offices deliver the service in person (a name change: one office, or by mail). */
  serviceNote: string | null;
  /**
   * Listed offices that share one approximate point (their town's centre): their order among
   * themselves is by wait, not distance, and the person should read their addresses.
   */
  sameTown: { town: string; officeIds: string[] }[];
}
