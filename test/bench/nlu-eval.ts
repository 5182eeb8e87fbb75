import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { KnowledgeBase } from '../../knowledge/load';
import { Recognizer } from '../../knowledge/nlu/recognizer';
import { Language, LANGUAGES } from '../../knowledge/schema';

export interface Question {
  q: string;
  lang: Language;
  expected: string | null;
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
  latencyMs: { p50: number; p99: number };
  misses: Array<{ q: string; lang: Language; expected: string | null; got: string | null }>;
}

export function loadQuestions(name: string): Question[] {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', `${name}.json`), 'utf8')) as Question[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Scores the recognizer on a question set, as the acceptance checks do: the question is asked
 * without `lang` (so detection is part of the test), top-1/top-3 by id, jurisdiction of the top result.
 */
export async function evaluate(recognizer: Recognizer, kb: KnowledgeBase, questions: Question[]): Promise<Figures> {
  const per = Object.fromEntries(LANGUAGES.map((l) => [l, { questions: 0, top1: 0, top3: 0, jurisdiction: 0 }])) as Record<Language, LanguageFigures>;
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
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.textLanguage === question.lang) langOk++;
    const top = r.outOfScope ? null : r.results[0]?.id ?? null;
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
    const ids = r.outOfScope ? [] : r.results.slice(0, 3).map((x) => x.id);
    if (ids[0] === question.expected) f.top1++;
    else misses.push({ q: question.q, lang: question.lang, expected: question.expected, got: top });
    if (ids.includes(question.expected)) f.top3++;
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
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    misses,
  };
}
