import { createHash } from 'node:crypto';
import { Language } from '../schema';

// NLP.js ships its stemmers as untyped CommonJS classes.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS, typed by the cast
const { StemmerEn } = require('@nlpjs/lang-en') as {
  StemmerEn: new () => { stem(w: string): string };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS, typed by the cast
const { StemmerFr } = require('@nlpjs/lang-fr') as {
  StemmerFr: new () => { stem(w: string): string };
};

const stemmers: Record<Language, { stem(w: string): string }> = {
  en: new StemmerEn(),
  fr: new StemmerFr(),
};

/** Lower case, accents removed, typographic quotes straightened. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .toLowerCase();
}

const ELISION = /^(?:l|d|j|m|t|s|n|c|qu|jusqu|lorsqu|puisqu)'/;

/**
 * A "+" or "plus" that names a different program keeps it in the word: OHIP+ (the drug plan) is
 * not OHIP (the health card), nor Assurance-santé Plus l'Assurance-santé.
 */
const PLUS = /([a-z0-9])\+|\b(ohip|sante) plus\b/g;

/**
 * The last texts read, exactly as given: one answer reads its question, the question without
 * greetings and its corrected form several times each (language, scope, search, coverage, the
 * inventory, the directory). A few dozen is plenty; no new text ever finds another's words here.
 */
const RECENT = 64;
const recentTokens = new Map<string, readonly string[]>();
const recentStems: Record<Language, Map<string, readonly string[]>> = {
  en: new Map(),
  fr: new Map(),
};

/**
 * Every text's tokens and stems, kept while the knowledge is being built: the scope models, the
 * nearest examples, the everyday words and the vocabularies each read the whole corpus (34,000
 * sentences), and reading it once instead of four times is seconds off every start.
 */
let building: {
  depth: number;
  tokens: Map<string, readonly string[]>;
  stems: Record<Language, Map<string, readonly string[]>>;
} | null = null;

function remembered(
  memo: Map<string, readonly string[]>,
  text: string,
  read: (text: string) => string[],
): string[] {
  let words = memo.get(text);
  if (!words) {
    words = read(text);
    if (memo.size >= RECENT) memo.delete(memo.keys().next().value as string);
    memo.set(text, words);
  }
  // A copy: callers may change what they get.
  return words.slice();
}

/** A text as its folded tokens joined by spaces: how names, keywords and examples are compared. */
export function foldedPhrase(text: string): string {
  return tokenize(text).join(' ');
}

/** Folded word tokens; French elisions (l', d', j', qu'…) are dropped from the word they join. */
export function tokenize(text: string): string[] {
  const kept = building?.tokens;
  if (kept) {
    let tokens = kept.get(text);
    if (!tokens) kept.set(text, (tokens = readTokens(text)));
    return tokens.slice();
  }
  return remembered(recentTokens, text, readTokens);
}

function readTokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of fold(text)
    .replace(
      PLUS,
      (_m, glued: string | undefined, named: string | undefined) => `${glued ?? named}plus`,
    )
    .split(/[^a-z0-9']+/)) {
    const word = raw
      .replace(ELISION, '')
      .replace(/^'+|'+$/g, '')
      .replace(/'s$/, '');
    if (!word) continue;
    for (const part of word.split("'")) if (part) out.push(part);
  }
  return out;
}

const STOP = {
  en: `a about above after again all am an and any are as at be because been before being below between both but by
    can could did do does doing down during each few for from further had has have having he her here hers him his how
    i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you your yours
    im ive id dont cant wont hi hello please thanks thank need want get got know like tell help hey ok okay also still
    would could should shall may might must one much many us let lets today tomorrow tonight yesterday just
    had has having go going went gone come coming came got gotten getting`,
  fr: `a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs lui ma mais me
    meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
    votre vous c d j l m n s t y ete etre avoir ai as avons avez ont est sont suis es sommes etes etait etaient
    fait faire comment quoi quel quelle quels quelles ca cela ceci est-ce estce bonjour salut merci svp stp besoin veux
    voudrais aimerais peux puis peut pouvez dois doit devons devez faut il-faut aussi encore tres plus moins si donc
    alors tout tous toute toutes ici la-bas chez vers sans sous entre aujourd'hui aujourd hui demain hier
    viens vient venons venez viennent venir venu venue vais vas va allons allez vont aller alle allee eu eue
    fais faisons faites font veut voulons voulez veulent voulu doit devons doivent pouvons peuvent pu juste`,
};
const STOPWORDS: Record<Language, Set<string>> = {
  en: new Set(STOP.en.split(/\s+/).filter(Boolean)),
  fr: new Set(STOP.fr.split(/\s+/).filter(Boolean)),
};

/**
 * Changes when the stop words change: the search indexes (records, inventory), built from stems
 * without stop words, are rebuilt for it.
 */
export const TEXT_VERSION = createHash('sha256')
  .update(STOP.en)
  .update(STOP.fr)
  .digest('hex')
  .slice(0, 8);

export function isStopword(word: string, lang: Language): boolean {
  return STOPWORDS[lang].has(word);
}

/** Stems a folded token with the NLP.js stemmer of the language (results cached: the vocabulary is small). */
const stemCache: Record<Language, Map<string, string>> = { en: new Map(), fr: new Map() };
export function stem(word: string, lang: Language): string {
  const cache = stemCache[lang];
  let s = cache.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : stemmers[lang].stem(word);
    if (cache.size < 50_000) cache.set(word, s);
  }
  return s;
}

/** Runs `build` with every text's tokens and stems kept until it ends (only speed changes: both are pure). */
export async function keepingStems<T>(build: () => Promise<T>): Promise<T> {
  building ??= { depth: 0, tokens: new Map(), stems: { en: new Map(), fr: new Map() } };
  building.depth++;
  try {
    return await build();
  } finally {
    if (--building.depth === 0) building = null;
  }
}

/** How many texts a build in progress keeps (0 outside a build): the memory it holds. */
export function keptTexts(): number {
  return building ? building.tokens.size : 0;
}

/** Content-word stems of a text: what search indexes and queries. */
export function contentStems(text: string, lang: Language): string[] {
  const kept = building?.stems[lang];
  if (kept) {
    let stems = kept.get(text);
    if (!stems) kept.set(text, (stems = readStems(text, lang)));
    return stems.slice();
  }
  return remembered(recentStems[lang], text, (t) => readStems(t, lang));
}

function readStems(text: string, lang: Language): string[] {
  return tokenize(text)
    .filter((w) => !isStopword(w, lang))
    .map((w) => stem(w, lang));
}
