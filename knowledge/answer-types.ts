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
  /** Not sure: the likely government and who to call. */
  whoToAsk: WhoToAsk | null;
  /** The person's municipality, when the question or the conversation names a place (municipal answers use it). */
  municipality: MunicipalityView | null;
}
