import path from 'node:path';
import { KNOWLEDGE_DIR, readJsonFile, schemaError, uniqueIds } from '../load';
import { foldPlace } from '../offices/geocode';
import type { Language } from '../schema';
import type { MunicipalityView } from '../answer-types';
import { Municipality, municipalitiesFileSchema } from './schema';

export type { MunicipalityView } from '../answer-types';

export const MUNICIPALITIES_FILE = path.join(
  KNOWLEDGE_DIR,
  'municipalities',
  'municipalities.json',
);

/** Where a municipality was read from. */
export type MunicipalitySource = 'postal-code' | 'name' | 'community';

export interface MunicipalityMatch {
  /** One municipality, or the two or three a postal area spans. */
  municipalities: Municipality[];
  via: MunicipalitySource;
  /** The place as written ("K1N", "Scarborough"). */
  matched: string;
  /** The question's words that named it, folded ("scarborough", "sault saint marie"). */
  words?: string;
}

// Words that are also place names here: without "in"/"à" before them, they are read as words.
const COMMON = new Set(
  `york king essex maple paris forest jordan lincoln wellington clinton bath delhi preston sharon concord galt lively
  dresden zurich odessa waterford brussels tiny perth russell brant champlain cobalt casey calvin carling armour baldwin
  chisholm whitewater minto hanover stirling tay mono erin essa london windsor richmond newcastle dundas malvern cornell
  jarvis norfolk orono clarence oliver strong machin emo sables nation acton paris simcoe sutton angus clarkson cayuga
  haldimand lambton middlesex oxford huron bruce grey frontenac renfrew hastings durham halton peel niagara waterloo
  kent cumberland gloucester vanier navan carp metcalfe osgoode elmira baden stroud bala picton exeter forest harrow
  beeton iroquois lancaster winchester alexandria embrun limoges wyoming zurich hensall seaforth`.split(
    /\s+/,
  ),
);
const CUES = new Set([
  'in',
  'at',
  'near',
  'from',
  'around',
  'of',
  'for',
  'a',
  'de',
  'du',
  'dans',
  'pres',
  'pour',
  'vers',
]);
const FSA = /^[klmnp]\d[a-z]$/;
const POSTAL_JOINED = /^([klmnp]\d[a-z])\d[a-z]\d$/;
const MAX_WORDS = 5;

interface Entry {
  municipality: Municipality;
  /** The name as written (a community's, or the municipality's own). */
  display: string;
  via: 'name' | 'community';
  /** Needs a cue word before it ("in", "à") to count: a common word or a small place. */
  needsCue: boolean;
}

/**
 * Ontario's municipalities: which one a postal code, a town or a community belongs to, and how to
 * reach it. Municipal answers name the person's own municipality when it is known.
 */
export class MunicipalDirectory {
  private readonly byId = new Map<string, Municipality>();
  private readonly byName = new Map<string, Entry>();
  private readonly byFsa = new Map<string, Municipality[]>();
  /** The first word of every name: a question's other words start none and are skipped. */
  private readonly firstWords = new Set<string>();

  constructor(municipalities: readonly Municipality[]) {
    for (const m of municipalities) {
      this.byId.set(m.id, m);
      for (const fsa of m.fsas ?? []) this.byFsa.set(fsa, [...(this.byFsa.get(fsa) ?? []), m]);
    }
    // Names first, most populous last so it wins a shared name (Hamilton the city, not the township).
    const ordered = [...municipalities].sort(
      (a, b) => (a.population2021 ?? 0) - (b.population2021 ?? 0),
    );
    for (const m of ordered) {
      for (const name of new Set([m.name.en, m.name.fr])) this.add(name, m, 'name');
    }
    for (const m of ordered)
      for (const c of m.communities ?? [])
        if (!this.byName.has(foldPlace(c))) this.add(c, m, 'community');
  }

  private add(name: string, municipality: Municipality, via: 'name' | 'community'): void {
    const key = foldPlace(name.replace(/\s*\(.*\)$/, ''));
    const words = key.split(' ');
    this.firstWords.add(words[0]);
    const big = via === 'name' ? (municipality.population2021 ?? 0) >= 30_000 : key.length >= 6;
    const needsCue = words.length === 1 && (COMMON.has(key) || !big);
    this.byName.set(key, { municipality, display: name.replace(/\s*\(.*\)$/, ''), via, needsCue });
  }

  get(id: string): Municipality | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The municipalities of a postal code's area (its first three characters); none for rural areas. */
  fromPostalCode(code: string): Municipality[] {
    return this.byFsa.get(code.replace(/\s+/g, '').slice(0, 3).toUpperCase()) ?? [];
  }

  /** The municipality a place name (exactly) names, or the one a community belongs to. */
  fromName(place: string): MunicipalityMatch | null {
    const entry = this.byName.get(foldPlace(place));
    return entry
      ? { municipalities: [entry.municipality], via: entry.via, matched: entry.display }
      : null;
  }

  /**
   * The municipality a question names: a postal code anywhere, else a municipality or community name
   * (common words and small places only after "in", "near", "à", "de"…). Longest names win.
   */
  find(text: string): MunicipalityMatch | null {
    const words = foldPlace(text).split(' ').filter(Boolean);
    for (let i = 0; i < words.length; i++) {
      const joined = POSTAL_JOINED.exec(words[i]);
      const fsa = joined ? joined[1] : FSA.test(words[i]) ? words[i] : null;
      if (!fsa) continue;
      const found = this.fromPostalCode(fsa);
      if (found.length > 0)
        return { municipalities: found, via: 'postal-code', matched: fsa.toUpperCase() };
    }
    for (let i = 0; i < words.length; i++) {
      if (!this.firstWords.has(words[i])) continue;
      for (let n = Math.min(MAX_WORDS, words.length - i); n >= 1; n--) {
        const entry = this.byName.get(words.slice(i, i + n).join(' '));
        if (!entry) continue;
        const cued =
          i > 0 &&
          (CUES.has(words[i - 1]) || (words[i - 1] === 'city' && i > 1 && words[i - 2] === 'of'));
        if (entry.needsCue && !cued) continue;
        return {
          municipalities: [entry.municipality],
          via: entry.via,
          matched: entry.display,
          words: words.slice(i, i + n).join(' '),
        };
      }
    }
    return null;
  }

  /** How an answer shows a match, in one language. */
  view(match: MunicipalityMatch, lang: Language): MunicipalityView {
    const [m, ...others] = match.municipalities;
    const line = m.line
      ? {
          phone: m.line.phone,
          is311: m.line.is311,
          ...(m.line.fromOutside ? { fromOutside: m.line.fromOutside } : {}),
          ...(m.line.hours ? { hours: m.line.hours[lang] } : {}),
        }
      : null;
    return {
      id: m.id,
      name: m.name[lang],
      website: m.website,
      tier: m.tier,
      area: m.area,
      line,
      alternatives: others.map((o) => o.name[lang]),
      matched: match.via === 'name' ? '' : match.matched,
    };
  }
}

/** Loads and validates the municipalities file; a bad entry stops the start naming it and the field. */
export function loadMunicipalities(file: string = MUNICIPALITIES_FILE): MunicipalDirectory {
  const { json } = readJsonFile(file);
  const parsed = municipalitiesFileSchema.safeParse(json);
  if (!parsed.success) throw schemaError(file, json, 'municipalities', parsed.error.issues[0]);
  uniqueIds(file, parsed.data.municipalities);
  return new MunicipalDirectory(parsed.data.municipalities);
}
