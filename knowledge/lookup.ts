import { stripCourtesy } from './nlu/courtesy';
import type { GovernmentBodyResult, LookupAnswer, LookupResult, WhoToAsk } from './answer-types';
import { contactViews, GENERAL_LINES } from './contacts';
import { InventoryIndex, InventoryMatch } from './inventory/search';
import type { NearestListing } from './inventory/nearest';
import { type BodyDirectory, type BodyMatch, withoutAbbreviation } from './agencies/directory';
import {
  MunicipalDirectory,
  MunicipalityMatch,
  MunicipalityView,
} from './municipalities/directory';

export type {
  FederalServiceResult,
  GovernmentBodyResult,
  LookupAnswer,
  LookupResult,
  LookupStep,
  WhoToAsk,
} from './answer-types';
import { readContactAsk } from './nlu/contact-ask';
import { Recognizer } from './nlu/recognizer';
import { contentStems } from './nlu/text';
import { foldPlace } from './offices/geocode';
import { KnowledgeRepository } from './repository';
import { Jurisdiction, KnowledgeRecord, Language } from './schema';

export interface LookupDeps {
  recognizer: Recognizer;
  repo: KnowledgeRepository;
  maxResults: number;
  /** The federal service inventory, for questions outside the curated catalogue. */
  inventory?: InventoryIndex;
  inventoryAsOf?: string;
  /** The inventory's nearest listing, when the precise matching finds none. */
  nearestListing?: NearestListing;
  /** Agencies, regulators, tribunals and ombudsmen of both governments that no record covers. */
  bodies?: BodyDirectory;
  municipalities?: MunicipalDirectory;
}

export interface LookupContext {
  /** The answer language; detected from the text when absent. */
  lang?: Language;
  /** Where the person is, when known (a postal code or a town): names their municipality. */
  near?: string;
  /** The municipality the conversation already knows. */
  municipalityId?: string;
}

/** Suggestions offered when not sure. */
const SUGGESTIONS = 3;
/** How much of a question the scope models refused an inventory listing must explain to answer it after all. */
const OUT_OF_SCOPE_INVENTORY_COVERAGE = 0.85;

/**
 * How near (TF-IDF cosine) the inventory's nearest listing must be to answer a question the precise
 * matching leaves without one (tuned on the calibration and fresh sets, never on breadth).
 */
const NEAREST_LISTING_MIN = 0.3;

/**
 * The nearest listing answers only when no record comes close: above this score the catalogue's best
 * record is what the question is about, just not surely, and a listing found by a few shared words
 * would name the wrong department ("speeding ticket on the 401" → Parks Canada). Calibration and
 * fresh sets: every listing that was right came with a best record below 0.32, and most wrong ones above.
 */
const NEAREST_LISTING_RECORD_MAX = 0.32;

/**
 * A question that names the province or a town is not answered from the nearest federal listing
 * ("Ontario" alone is not enough: people say "in Ontario" of federal matters too).
 */
const NAMES_THE_PROVINCE = /\b(?:provinc\w*|municipal\w*|city|ville|town|township|canton)\b/;

/**
 * Words of someone who may be at risk of harming themselves or another (folded: lower case, no
 * accents). Such a question is never refused nor left unsure: the crisis lines answer it (988,
 * ConnexOntario, 911), unless the model is sure of another record ("the memorial grant after a
 * first responder's suicide").
 */
const AT_RISK = new RegExp(
  [
    'suicid\\w*',
    'kill(?:ing)? (?:my|him|her|them|your)sel(?:f|ves)',
    'end(?:ing)? (?:my|his|her|their|your) (?:own )?life',
    // Hurting oneself by accident is a matter for WSIB or a doctor: only an intention counts.
    '(?:might|may|could|going to|gonna|wants? to|thinking (?:of|about)|keeps?|kept) (?:\\w+ )?hurt(?:ing)? (?:my|him|her|them|your)sel(?:f|ves)',
    'hurt(?:ing)? (?:my|him|her|them|your)sel(?:f|ves) on purpose',
    'self harm\\w*',
    'wants? to die',
    'overdos\\w*',
    '(?:me|se|te) (?:tuer|suicider)',
    // « en finir avec les fourmis » is not.
    'en finir(?! avec)',
    '(?:me|se|te) faire du mal',
    'mettre fin a (?:mes|ses|tes) jours',
    'automutil\\w*',
    'veu[xt] mourir',
    'surdose\\w*',
  ]
    .map((p) => `\\b${p}\\b`)
    .join('|'),
);

/** The record with the crisis lines. */
const CRISIS_RECORD = 'mental-health-support';

/** When a government body of the directory is part of the answer (tuned on the calibration sets, never on breadth). */
export const BODY_ANSWER = {
  /** A body of the other government than the one the model names needs this coverage. */
  otherGovernment: 0.7,
};

export function toResult(
  record: KnowledgeRecord,
  score: number,
  lang: Language,
  repo: KnowledgeRepository,
): LookupResult {
  const result: LookupResult = {
    id: record.id,
    kind: record.kind,
    jurisdiction: record.jurisdiction,
    name: record.name[lang],
    deliveredBy: record.deliveredBy[lang],
    score: Math.round(score * 1000) / 1000,
    url: record.links[0]?.url[lang] ?? null,
    answer: record.answer[lang],
    contacts: contactViews(repo, record.contacts, lang),
  };
  if (record.kind === 'bundle') {
    result.steps = record.steps.map((s) => {
      const step = repo.get(s.service) as KnowledgeRecord;
      return { service: s.service, name: step.name[lang], jurisdiction: step.jurisdiction };
    });
  }
  return result;
}

/** Every content word of a name is in the question. */
function namedIn(question: string, name: string | undefined, lang: Language): boolean {
  if (!name) return false;
  const asked = new Set(contentStems(question, lang));
  const words = contentStems(withoutAbbreviation(name), lang);
  return words.length > 0 && words.every((w) => asked.has(w));
}

function bodyResult({ body }: BodyMatch, lang: Language): GovernmentBodyResult {
  return {
    id: body.id,
    jurisdiction: body.jurisdiction,
    name: body.name[lang],
    about: body.about[lang],
    url: body.url[lang],
    phone: body.phone,
    hours: body.hours?.[lang] ?? null,
    checked: body.checked,
  };
}

/** The municipality the question, the given place or the conversation names, in that order. */
function municipalityOf(
  deps: LookupDeps,
  question: string,
  context: LookupContext,
): MunicipalityMatch | null {
  const dir = deps.municipalities;
  if (!dir) return null;
  const inQuestion = dir.find(question);
  if (inQuestion) return inQuestion;
  if (context.near) {
    const near = context.near.trim();
    const byCode = dir.fromPostalCode(near);
    if (/^[a-z]\d[a-z]/i.test(near) && byCode.length > 0)
      return {
        municipalities: byCode,
        via: 'postal-code',
        matched: near.slice(0, 3).toUpperCase(),
      };
    const byName = dir.fromName(near) ?? dir.find(near);
    if (byName) return byName;
  }
  const known = context.municipalityId ? dir.get(context.municipalityId) : undefined;
  return known ? { municipalities: [known], via: 'name', matched: '' } : null;
}

/** The government most of the closest records belong to, when they agree. */
/**
 * The government of the records suggested, when it holds at least half their score (calibration
 * and fresh sets: more unsure answers name the question's government than when all three had to
 * agree, and no more name another).
 */
function likelyJurisdiction(
  suggestions: readonly LookupResult[],
): Exclude<Jurisdiction, 'shared'> | null {
  const mass = new Map<Jurisdiction, number>();
  let total = 0;
  for (const s of suggestions) {
    mass.set(s.jurisdiction, (mass.get(s.jurisdiction) ?? 0) + s.score);
    total += s.score;
  }
  const [best, weight] = [...mass].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
  return best && best !== 'shared' && weight >= total / 2 ? best : null;
}

function whoToAsk(
  deps: LookupDeps,
  jurisdiction: Exclude<Jurisdiction, 'shared'> | null,
  municipality: MunicipalityView | null,
  lang: Language,
): WhoToAsk {
  const ids =
    jurisdiction === 'municipal'
      ? []
      : jurisdiction
        ? [GENERAL_LINES[jurisdiction]]
        : [GENERAL_LINES.federal, GENERAL_LINES.provincial];
  return {
    jurisdiction,
    contacts: contactViews(deps.repo, ids, lang),
    municipality: jurisdiction === 'municipal' || !jurisdiction ? municipality : null,
  };
}

/**
 * Understands a question and builds the answer: the ranked records when sure; otherwise the closest
 * records as suggestions, the matching federal services of the inventory and who to call. Phone
 * questions ("what's the number for EI") are understood from what the number is for.
 */
export async function lookup(
  deps: LookupDeps,
  asked: string,
  context: LookupContext | Language = {},
): Promise<LookupAnswer> {
  const ctx: LookupContext = typeof context === 'string' ? { lang: context } : context;
  // "Good morning, … Much appreciated!" is the same question as "…".
  const question = stripCourtesy(asked);
  const ask = readContactAsk(question);
  // The greeting still says which language the person writes in.
  const lang = ctx.lang ?? deps.recognizer.detectLanguage(asked).language;
  const topic = ask.asks && contentStems(ask.rest, lang).length > 0 ? ask.rest : question;
  let r = await deps.recognizer.recognize(topic, ctx.lang ?? lang);
  // The words around "phone number" sometimes carry the meaning ("numéro pour parler à une
  // infirmière", "numéro de Service Canada pour parler à un agent"): the surer reading wins.
  if (topic !== question) {
    const whole = await deps.recognizer.recognize(question, ctx.lang ?? lang);
    if (whole.confident ? !r.confident || whole.probability > r.probability : r.outOfScope)
      r = whole;
  }
  const match = municipalityOf(deps, question, ctx);
  const municipality =
    match && deps.municipalities ? deps.municipalities.view(match, r.language) : null;
  const answer: LookupAnswer = {
    language: r.language,
    outOfScope: r.outOfScope,
    confident: r.confident,
    results: [],
    contactRequest: ask.asks,
    suggestions: [],
    federalServices: [],
    bodies: [],
    whoToAsk: null,
    municipality,
  };
  const ranked: LookupResult[] = [];
  for (const hit of r.results.slice(0, deps.maxResults)) {
    const record = deps.repo.get(hit.id);
    if (record) ranked.push(toResult(record, hit.score, r.language, deps.repo));
  }
  if (!r.confident && AT_RISK.test(foldPlace(question))) {
    const crisis = deps.repo.get(CRISIS_RECORD);
    if (crisis) {
      const first = toResult(crisis, Math.max(1, ranked[0]?.score ?? 0), r.language, deps.repo);
      answer.results = [first, ...ranked.filter((x) => x.id !== CRISIS_RECORD)];
      answer.confident = true;
      answer.outOfScope = false;
      return answer;
    }
  }
  // The town a question names says nothing about which body or federal service it is ("weather warning for Timmins").
  const place = match?.words ?? '';
  const inventoryQuery = place ? foldPlace(topic).replace(place, ' ') : topic;
  const outside = r.outsideJurisdiction;
  // Agencies and tribunals of the government the model names, or of the other on a near-complete
  // match (a municipal matter has none of its own).
  const bodies = (deps.bodies?.match(inventoryQuery, r.textLanguage) ?? []).filter(
    (m) => !outside || m.body.jurisdiction === outside || m.coverage >= BODY_ANSWER.otherGovernment,
  );
  // A body asked for by its full name is the answer, unless the record is named too or is one of
  // the body's own `records` (they answer its questions in full: "a refused sponsorship appeal at
  // the Immigration and Refugee Board" is the Immigration Appeal Division record's).
  const bodyNamed =
    !!bodies[0]?.named &&
    !namedIn(question, ranked[0]?.name, r.textLanguage) &&
    !bodies[0].body.records?.includes(ranked[0]?.id ?? '');
  if (r.confident && !bodyNamed) {
    answer.results = ranked;
    return answer;
  }
  answer.confident = false;
  // When the model places the question with Ontario or a municipality, the federal inventory is not asked.
  const provincialOrMunicipal = outside === 'provincial' || outside === 'municipal';
  const listings: InventoryMatch[] = provincialOrMunicipal
    ? []
    : (deps.inventory?.match(inventoryQuery, r.textLanguage) ?? []);
  // Nothing precise: the nearest listing, when near enough (the federal government is the one left).
  if (
    listings.length === 0 &&
    bodies.length === 0 &&
    !provincialOrMunicipal &&
    !r.outOfScope &&
    (r.results[0]?.score ?? 0) < NEAREST_LISTING_RECORD_MAX &&
    !NAMES_THE_PROVINCE.test(foldPlace(question))
  ) {
    const near = deps.nearestListing?.find(inventoryQuery, r.textLanguage, NEAREST_LISTING_MIN);
    if (near) listings.push(near);
  }
  // A question the scope models call out of scope is answered from these lists only on a near-complete match.
  if (
    r.outOfScope &&
    ![...listings, ...bodies].some((m) => m.coverage >= OUT_OF_SCOPE_INVENTORY_COVERAGE)
  )
    return answer;
  answer.federalServices = listings.map((m: InventoryMatch) => ({
    id: m.id,
    jurisdiction: 'federal',
    name: m.name,
    department: m.department,
    url: m.url,
    asOf: deps.inventoryAsOf ?? '',
  }));
  answer.bodies = bodies.map((m) => bodyResult(m, r.language));
  answer.outOfScope = false;
  answer.suggestions = ranked.slice(0, SUGGESTIONS);
  // A body names its government; the inventory's listings are all federal.
  const jurisdiction = bodies[0]
    ? bodies[0].body.jurisdiction
    : listings.length > 0
      ? 'federal'
      : (outside ?? likelyJurisdiction(answer.suggestions));
  answer.whoToAsk = whoToAsk(deps, jurisdiction, municipality, r.language);
  return answer;
}
