import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { KnowledgeBase } from '../../knowledge/load';
import { Recognizer } from '../../knowledge/nlu/recognizer';
import { lookup, LookupDeps } from '../../knowledge/lookup';
import { loadInventory } from '../../knowledge/inventory/load';
import { withoutAbbreviation } from '../../knowledge/agencies/directory';
import { loadBodies } from '../../knowledge/agencies/load';
import { Language, LANGUAGES } from '../../knowledge/schema';

export interface Question {
  q: string;
  lang: Language;
  expected: string | null;
  /**
   * Other records that answer the question as well: in the older sets, only where a record added since
   * now covers the question (student loan repayment, application processing times).
   */
  alsoRight?: string[];
}

export interface LanguageFigures {
  questions: number;
  top1: number;
  top3: number;
  jurisdiction: number;
}

export interface Figures {
  perLanguage: Record<Language, LanguageFigures>;
  jurisdiction: number;
  outOfScopeRecall: number;
  outOfScopeQuestions: number;
  falseOutOfScope: number;
  inScopeQuestions: number;
  languageDetection: number;
  /** Over the questions timed (all, or those not asked before). */
  latencyMs: { p50: number; p99: number; timed: number };
  misses: Array<{ q: string; lang: Language; expected: string | null; got: string | null }>;
}

/** Every question set, in the order bench:nlu prints them. */
export const QUESTION_SETS = [
  'nlu-dev',
  'nlu-holdout',
  'nlu-challenge',
  'nlu-calibration',
  'nlu-fresh',
  'nlu-breadth',
];

export function loadQuestions(name: string): Question[] {
  return JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', `${name}.json`), 'utf8'),
  ) as Question[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Scores the recognizer on a question set, as the acceptance checks do: the question is asked
 * without `lang` (so detection is part of the test), top-1/top-3 by id, jurisdiction of the top result.
 */
export async function evaluate(
  recognizer: Recognizer,
  kb: KnowledgeBase,
  questions: Question[],
  /** Texts asked before (for uncached timing): a text in it is scored but not timed, then added. */
  asked?: Set<string>,
): Promise<Figures> {
  const per = Object.fromEntries(
    LANGUAGES.map((l) => [l, { questions: 0, top1: 0, top3: 0, jurisdiction: 0 }]),
  ) as Record<Language, LanguageFigures>;
  let oos = 0;
  let oosHit = 0;
  let falseOos = 0;
  let langOk = 0;
  let jurOk = 0;
  let inScope = 0;
  const latencies: number[] = [];
  const misses: Figures['misses'] = [];
  for (const question of questions) {
    const t0 = process.hrtime.bigint();
    const r = await recognizer.recognize(question.q);
    const key = `recognize|${question.q}`;
    if (!asked?.has(key)) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    asked?.add(key);
    if (r.textLanguage === question.lang) langOk++;
    // As the API answers: a result the recognizer is not sure of is not given as the answer.
    const answered = !r.outOfScope && r.confident;
    const top = answered ? (r.results[0]?.id ?? null) : null;
    if (question.expected === null) {
      oos++;
      if (r.outOfScope) oosHit++;
      else misses.push({ q: question.q, lang: question.lang, expected: null, got: top });
      continue;
    }
    inScope++;
    const f = per[question.lang];
    f.questions++;
    if (r.outOfScope) falseOos++;
    const ids = answered ? r.results.slice(0, 3).map((x) => x.id) : [];
    const accepted = [question.expected, ...(question.alsoRight ?? [])];
    if (accepted.includes(ids[0])) f.top1++;
    else misses.push({ q: question.q, lang: question.lang, expected: question.expected, got: top });
    if (ids.some((id) => accepted.includes(id))) f.top3++;
    const want = kb.byId.get(question.expected)?.jurisdiction;
    if (top && kb.byId.get(top)?.jurisdiction === want) {
      f.jurisdiction++;
      jurOk++;
    }
  }
  for (const l of LANGUAGES) {
    const f = per[l];
    f.top1 /= f.questions || 1;
    f.top3 /= f.questions || 1;
    f.jurisdiction /= f.questions || 1;
  }
  latencies.sort((a, b) => a - b);
  return {
    perLanguage: per,
    jurisdiction: jurOk / (inScope || 1),
    outOfScopeRecall: oosHit / (oos || 1),
    outOfScopeQuestions: oos,
    falseOutOfScope: falseOos,
    inScopeQuestions: inScope,
    languageDetection: langOk / (questions.length || 1),
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      timed: latencies.length,
    },
    misses,
  };
}

/** A question of the breadth set (test/fixtures/nlu-breadth.json), written before training on it. */
/**
 * The share of in-scope questions whose answer tells the right government: the confident record's,
 * or, when not sure, the government the answer names (`whoToAsk`: "this is a federal matter, call
 * 1 800 O-Canada"). Beside the strict jurisdiction accuracy, which counts a not-sure answer wrong.
 */
export async function governmentTold(
  deps: LookupDeps,
  kb: KnowledgeBase,
  questions: Question[],
): Promise<number> {
  let inScope = 0;
  let told = 0;
  for (const question of questions) {
    if (question.expected === null) continue;
    inScope++;
    const want = kb.byId.get(question.expected)?.jurisdiction;
    const a = await lookup(deps, question.q);
    const named = a.results[0]
      ? kb.byId.get(a.results[0].id)?.jurisdiction
      : a.outOfScope
        ? null
        : a.whoToAsk?.jurisdiction;
    if (named && named === want) told++;
  }
  return told / (inScope || 1);
}

export interface BreadthQuestion {
  q: string;
  lang: Language;
  kind: 'catalogue' | 'long-tail' | 'adjacent' | 'out-of-scope';
  expected: string | null;
  alsoRight?: string[];
  jurisdiction?: 'federal' | 'provincial' | 'municipal';
  department?: string;
}

export interface BreadthFigures {
  questions: number;
  byKind: Record<BreadthQuestion['kind'], number>;
  /**
   * In-scope questions (catalogue, long tail, adjacent) with a useful answer: the right record, or the
   * right government and program or department with its link.
   */
  useful: number;
  /** Catalogue questions answered with the right record. */
  catalogueRight: number;
  /** Long-tail questions answered with the right department (inventory or body), or a record written since for that service. */
  longTailRight: number;
  /** Adjacent questions answered "not sure" naming the right government. */
  adjacentRightGovernment: number;
  /**
   * Adjacent questions answered usefully: the right government and, for Ontario and federal matters,
   * a body or federal service of that government with its link (a municipal matter: the
   * municipality, or how to find it).
   */
  adjacentUseful: number;
  /** In-scope questions answered confidently with a wrong record. */
  confidentWrong: number;
  /**
   * In-scope questions answered "not sure" (no record given, not refused), and how many of those
   * name the question's government (a catalogue question: its record's) or another one.
   */
  unsure: { count: number; rightGovernment: number; wrongGovernment: number };
  /** Out-of-scope questions refused. */
  outOfScopeRecall: number;
  /** In-scope questions refused as out of scope. */
  refused: number;
  misses: Array<{ q: string; kind: string; expected: string; got: string }>;
}

/**
 * Scores the whole answer model (lookup(): records, confidence, the federal inventory, who to ask) on
 * the breadth set, asked without `lang` as a new user would.
 */
let departments: Map<string, string> | null = null;

/**
 * The English name of an inventory service's department: the sets name departments in English,
 * and an answer in French names them in French (comparing the shown names counted every French
 * question wrong).
 */
function departmentOf(id: string): string | undefined {
  departments ??= new Map(loadInventory().services.map((s) => [s.id, s.department.en]));
  return departments.get(id);
}

let bodyNames: Map<string, string> | null = null;

/** The English name of a government body of the directory, without its abbreviation. */
function bodyNameOf(id: string): string | undefined {
  bodyNames ??= new Map(loadBodies().bodies.map((b) => [b.id, withoutAbbreviation(b.name.en)]));
  return bodyNames.get(id);
}

export async function evaluateBreadth(
  deps: LookupDeps,
  questions: BreadthQuestion[],
): Promise<BreadthFigures> {
  const byKind = { catalogue: 0, 'long-tail': 0, adjacent: 0, 'out-of-scope': 0 };
  let useful = 0,
    catalogueRight = 0,
    longTailRight = 0,
    adjacentRight = 0,
    adjacentUseful = 0,
    confidentWrong = 0,
    oosHit = 0,
    refused = 0;
  const unsure = { count: 0, rightGovernment: 0, wrongGovernment: 0 };
  const misses: BreadthFigures['misses'] = [];
  for (const question of questions) {
    byKind[question.kind]++;
    const a = await lookup(deps, question.q);
    const top = a.results[0];
    const got = a.outOfScope
      ? 'OUT'
      : top
        ? top.id
        : `unsure(${a.whoToAsk?.jurisdiction ?? '?'}${a.bodies.length ? `: ${a.bodies.map((b) => b.id).join(' / ')}` : ''}${a.federalServices.length ? `: ${a.federalServices.map((f) => f.department).join(' / ')}` : ''})`;
    if (question.kind === 'out-of-scope') {
      if (a.outOfScope) oosHit++;
      else misses.push({ q: question.q, kind: question.kind, expected: 'OUT', got });
      continue;
    }
    if (a.outOfScope) refused++;
    else if (!top) {
      const expected =
        question.kind === 'catalogue'
          ? deps.repo.get(question.expected ?? '')?.jurisdiction
          : question.kind === 'long-tail'
            ? 'federal'
            : question.jurisdiction;
      const named = a.whoToAsk?.jurisdiction;
      unsure.count++;
      if (named && named === expected) unsure.rightGovernment++;
      else if (named && expected && expected !== 'shared') unsure.wrongGovernment++;
    }
    let right = false;
    if (question.kind === 'catalogue') {
      right = !!top && [question.expected, ...(question.alsoRight ?? [])].includes(top.id);
      if (right) catalogueRight++;
    } else if (question.kind === 'long-tail') {
      // A record written since for exactly that service (listed in `alsoRight`) is right too.
      right =
        (!!top && (question.alsoRight ?? []).includes(top.id)) ||
        (!top &&
          (a.federalServices.some(
            (f) => departmentOf(f.id) === question.department && f.url !== null,
          ) ||
            a.bodies.some((b) => bodyNameOf(b.id) === question.department)));
      if (right) longTailRight++;
    } else if (top && (question.alsoRight ?? []).includes(top.id)) {
      // An adjacent matter a record was written for since (listed in `alsoRight`).
      right = true;
      adjacentRight++;
      adjacentUseful++;
    } else if (!top && a.whoToAsk?.jurisdiction === question.jurisdiction) {
      adjacentRight++;
      right =
        question.jurisdiction === 'municipal' ||
        a.bodies.some((b) => b.jurisdiction === question.jurisdiction) ||
        (question.jurisdiction === 'federal' && a.federalServices.some((f) => f.url !== null));
      if (right) adjacentUseful++;
    }
    if (right) useful++;
    if (top && !right) confidentWrong++;
    if (!right)
      misses.push({
        q: question.q,
        kind: question.kind,
        expected: question.expected ?? question.department ?? question.jurisdiction ?? '',
        got,
      });
  }
  const inScope = byKind.catalogue + byKind['long-tail'] + byKind.adjacent;
  return {
    questions: questions.length,
    byKind,
    useful: useful / (inScope || 1),
    catalogueRight: catalogueRight / (byKind.catalogue || 1),
    longTailRight: longTailRight / (byKind['long-tail'] || 1),
    adjacentRightGovernment: adjacentRight / (byKind.adjacent || 1),
    adjacentUseful: adjacentUseful / (byKind.adjacent || 1),
    confidentWrong: confidentWrong / (inScope || 1),
    unsure,
    outOfScopeRecall: oosHit / (byKind['out-of-scope'] || 1),
    refused: refused / (inScope || 1),
    misses,
  };
}
