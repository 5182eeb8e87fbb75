import type { I18n } from '../lib/i18n';
import { GeocodeError, GeocodeFailure, Geocoder, Origin } from '../knowledge/offices/geocode';
import { LANGUAGES } from '../knowledge/schema';
import { normalizeCommand } from './commands';

/** How a message asks for an office, as `OfficeQuestionReader.read` sees it. */
export interface OfficeQuestion {
  /**
   * The wording asks for an office: an office word ("office", "bureau", "in person"), "near me" /
   * "le plus proche", a place after "near" / "près de", or nothing but a place.
   */
  explicit: boolean;
  /** The wording names an office ("office", "bureau", "in person"), whatever the service. */
  office: boolean;
  /** "near me", "nearest", "le plus proche": the person wants what is close, without saying where. */
  nearMe: boolean;
  /** The message starts or ends with "where" / "où". */
  where: boolean;
  /** The place the message names, if any. */
  origin: Origin | null;
  /** The message without the place and the office wording: what to understand the service from. */
  rest: string;
}

export type PlaceReading = { origin: Origin } | { failure: GeocodeFailure };

/** Longest place name tried, in words ("Sault Sainte Marie", "Chutes du Niagara"). */
const MAX_PLACE_WORDS = 4;
const FSA = /^[a-z]\d[a-z]$/;
const LDU = /^\d[a-z]\d$/;
const POSTAL_JOINED = /^[a-z]\d[a-z]\d[a-z]\d$/;
const COORDINATES = /(-?\d{1,3}\.\d+)\s*[,;]\s*(-?\d{1,3}\.\d+)/;

type Phrases = 'where' | 'office' | 'near' | 'weak' | 'nearMe';

/**
 * Reads office questions in either language: "Where can I renew my health card near K7L?",
 * "office near Kingston", "bureau près de Grand Sudbury", "passport office", "K7L 3N6". The wording
 * is listed per language in locales/{en,fr}/office-finder.json (`phrases.*`, folded like commands);
 * places are read with the office finder's geocoder (postal codes, towns in English or French with
 * or without accents, LAT,LON). Without a geocoder, only the wording is read.
 */
export class OfficeQuestionReader {
  private readonly phrases = new Map<Phrases, string[][]>();

  constructor(
    i18n: I18n,
    private readonly geocoder: Pick<Geocoder, 'geocode'> | null,
  ) {
    for (const name of ['where', 'office', 'near', 'weak', 'nearMe'] as const) {
      const list = LANGUAGES.flatMap((l) => i18n.t(l, `office-finder:phrases.${name}`).split('|'))
        .map(normalizeCommand)
        .filter(Boolean);
      // Longest first, so "close to me" is taken before "close to".
      this.phrases.set(
        name,
        [...new Set(list)].map((p) => p.split(' ')).sort((a, b) => b.length - a.length),
      );
    }
  }

  /** How the message asks for an office, or null when it does not. */
  read(text: string): OfficeQuestion | null {
    const words = normalizeCommand(text).split(' ').filter(Boolean);
    if (words.length === 0) return null;
    const drop = new Set<number>();
    const office = this.mark(words, 'office', drop);
    const nearMe = this.mark(words, 'nearMe', drop);
    const where = this.isWhere(words[0]) || this.isWhere(words[words.length - 1]);
    if (where) drop.add(this.isWhere(words[0]) ? 0 : words.length - 1);
    // Geocoding costs an exception per miss: the whole text only when it is short enough to be a
    // place, and places after "in" / "à" (common words) only when the wording already asks for an office.
    const whole = words.length <= MAX_PLACE_WORDS + 1 ? this.whole(text) : null;
    const found = whole
      ? { origin: whole, strong: true, from: 0, to: words.length }
      : this.find(text, words, office || nearMe || where);
    if (found) for (let i = found.from; i < found.to; i++) drop.add(i);
    const explicit = office || nearMe || (found?.strong ?? false);
    if (!explicit && !where) return null;
    return {
      explicit,
      office,
      nearMe,
      where,
      origin: found?.origin ?? null,
      rest: words.filter((w, i) => !drop.has(i) && !/^\d+$/.test(w)).join(' '),
    };
  }

  /**
   * The place in an answer to "where are you?": the whole answer, else a place in it ("I live in
   * Sudbury", "j'habite à Hearst", "K7L 3N6 please"), else why it cannot be placed.
   */
  place(text: string): PlaceReading {
    let failure: GeocodeFailure = 'unplaceable';
    try {
      if (this.geocoder) return { origin: this.geocoder.geocode(text) };
    } catch (err) {
      if (!(err instanceof GeocodeError)) throw err;
      failure = err.reason;
    }
    const words = normalizeCommand(text).split(' ').filter(Boolean);
    const found = this.find(text, words, true) ?? this.scan(words, 0, words.length, false);
    return found ? { origin: found.origin } : { failure };
  }

  /**
   * The place the web page's "share my location" button sent (`{ lat, lon }`), to about a kilometre
   * (what the ranking needs; the conversation state keeps no finer point), or why it cannot be used.
   */
  location(value: unknown): PlaceReading {
    const v = value as { lat?: unknown; lon?: unknown } | null;
    const lat = typeof v?.lat === 'number' ? v.lat : NaN;
    const lon = typeof v?.lon === 'number' ? v.lon : NaN;
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
      return { failure: 'bad_coordinates' };
    const point = { lat: Math.round(lat * 100) / 100, lon: Math.round(lon * 100) / 100 };
    if (!this.geocoder)
      return { origin: { ...point, label: `${point.lat}, ${point.lon}`, kind: 'coordinates' } };
    try {
      return { origin: this.geocoder.geocode(`${point.lat},${point.lon}`) };
    } catch (err) {
      if (err instanceof GeocodeError) return { failure: err.reason };
      throw err;
    }
  }

  private whole(text: string): Origin | null {
    const origin = this.tryGeocode(text);
    return origin && origin.kind !== 'coordinates' ? origin : null;
  }

  /** A postal code or coordinates anywhere, else a place right after "near" (strong) or, when `weak`, "in". */
  private find(
    text: string,
    words: string[],
    weak: boolean,
  ): { origin: Origin; strong: boolean; from: number; to: number } | null {
    for (let i = 0; i < words.length; i++) {
      const joined = POSTAL_JOINED.test(words[i]);
      if (!joined && !FSA.test(words[i])) continue;
      const full = !joined && i + 1 < words.length && LDU.test(words[i + 1]);
      const origin = this.tryGeocode(full ? `${words[i]} ${words[i + 1]}` : words[i]);
      const near = this.nearBefore(words, i);
      if (origin) return { origin, strong: near > 0, from: i - near, to: i + (full ? 2 : 1) };
    }
    const coords = COORDINATES.exec(text);
    const origin = coords ? this.tryGeocode(`${coords[1]},${coords[2]}`) : null;
    if (origin) return { origin, strong: false, from: words.length, to: words.length };
    for (const [kind, strong] of weak
      ? ([
          ['near', true],
          ['weak', false],
        ] as const)
      : ([['near', true]] as const)) {
      for (let i = 0; i < words.length; i++) {
        const marker = this.phraseAt(words, i, kind);
        if (!marker) continue;
        const hit = this.scan(
          words,
          i + marker,
          Math.min(words.length, i + marker + MAX_PLACE_WORDS),
          true,
        );
        if (hit) return { ...hit, strong, from: i };
      }
    }
    return null;
  }

  /** The longest place among the words in [from, to): starting at `from` only, or anywhere. */
  private scan(
    words: string[],
    from: number,
    to: number,
    anchored: boolean,
  ): { origin: Origin; strong: boolean; from: number; to: number } | null {
    for (let start = from; start < (anchored ? from + 1 : to); start++) {
      for (let end = Math.min(to, start + MAX_PLACE_WORDS); end > start; end--) {
        const origin = this.tryGeocode(words.slice(start, end).join(' '));
        if (origin && origin.kind !== 'coordinates')
          return { origin, strong: false, from: start, to: end };
      }
    }
    return null;
  }

  private tryGeocode(text: string): Origin | null {
    if (!this.geocoder) return null;
    try {
      return this.geocoder.geocode(text);
    } catch (err) {
      if (err instanceof GeocodeError) return null;
      throw err;
    }
  }

  private isWhere(word: string | undefined): boolean {
    return (
      !!word &&
      (this.phrases.get('where') as string[][]).some((p) => p.length === 1 && p[0] === word)
    );
  }

  /** The length of a "near" phrase that ends right before word i, or 0. */
  private nearBefore(words: string[], i: number): number {
    for (const p of this.phrases.get('near') as string[][])
      if (p.length <= i && p.every((w, k) => words[i - p.length + k] === w)) return p.length;
    return 0;
  }

  /** The length of the phrase of this kind starting at word i, or 0. */
  private phraseAt(words: string[], i: number, kind: Phrases): number {
    for (const p of this.phrases.get(kind) as string[][])
      if (p.every((w, k) => words[i + k] === w)) return p.length;
    return 0;
  }

  /** Marks every phrase of this kind for removal from the service text; true when there is one. */
  private mark(words: string[], kind: Phrases, drop: Set<number>): boolean {
    let any = false;
    for (let i = 0; i < words.length; i++) {
      const n = this.phraseAt(words, i, kind);
      if (!n) continue;
      any = true;
      for (let k = 0; k < n; k++) drop.add(i + k);
      i += n - 1;
    }
    return any;
  }
}
