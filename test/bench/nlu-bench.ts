import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BreadthQuestion,
  evaluate,
  evaluateBreadth,
  Figures,
  loadQuestions,
  percentile,
} from './nlu-eval';
import { createKnowledge } from '../../knowledge/answering';
import { openDatabase } from '../../lib/db';
import { lookup, LookupDeps } from '../../knowledge/lookup';
import { LANGUAGES } from '../../knowledge/schema';
import { PROJECT_ROOT } from '../../lib/paths';
import { measureStartup } from './startup';
import { createApp } from '../../bot/index';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function print(name: string, count: number, f: Figures, showMisses: boolean): void {
  const lines = [
    `Question set: ${name} (${count} questions: ${f.inScopeQuestions} in scope, ${f.outOfScopeQuestions} out of scope)`,
    `  top-1   en ${pct(f.perLanguage.en.top1)}  fr ${pct(f.perLanguage.fr.top1)}`,
    `  top-3   en ${pct(f.perLanguage.en.top3)}  fr ${pct(f.perLanguage.fr.top3)}`,
    `  jurisdiction accuracy   ${pct(f.jurisdiction)}`,
    `  out-of-scope recall     ${pct(f.outOfScopeRecall)}`,
    `  false out-of-scope      ${f.falseOutOfScope} of ${f.inScopeQuestions} (${pct(f.falseOutOfScope / (f.inScopeQuestions || 1))})`,
    `  language detection      ${pct(f.languageDetection)}`,
    `  understanding, uncached p50 ${f.latencyMs.p50.toFixed(2)} ms  p99 ${f.latencyMs.p99.toFixed(2)} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (showMisses)
    for (const m of f.misses)
      process.stdout.write(
        `    miss [${m.lang}] ${m.expected ?? 'OUT'} <- ${m.got ?? 'OUT'}: ${m.q}\n`,
      );
}

/**
 * `npm run bench:nlu [-- --set nlu-dev|nlu-holdout|nlu-challenge|nlu-breadth|all] [--misses] [--quick]`:
 * accuracy of understanding on the question sets (none of their questions is a training string: a
 * test checks it), the whole answer model on the breadth set, in-process latency with every question
 * a new text (uncached) beside the same questions again (cached), then (unless --quick) lookup
 * latency over HTTP and start-up times.
 */
export async function main(argv: string[] = []): Promise<void> {
  const setArg = argv.includes('--set') ? argv[argv.indexOf('--set') + 1] : 'all';
  const sets =
    setArg === 'all'
      ? ['nlu-dev', 'nlu-holdout', 'nlu-challenge', 'nlu-calibration', 'nlu-breadth']
      : [setArg];
  const t0 = Date.now();
  const { kb, recognizer, answering, trained } = await createKnowledge(
    openDatabase(':memory:'),
    loadConfig({}).modelDir,
    5,
  );
  process.stdout.write(
    `NLU model ${trained ? 'trained' : 'loaded'} in ${Date.now() - t0} ms (knowledge ${kb.version}, ${kb.records.length} records)\n`,
  );
  // Warm-up on texts of no set (record names in a sentence), so the measured questions are all uncached.
  for (const r of kb.records)
    for (const l of LANGUAGES)
      await lookup(answering, `${l === 'en' ? 'question about' : 'question sur'} ${r.name[l]} ?`);
  for (const name of sets) {
    if (BREADTH_SETS.includes(name)) {
      await breadth(answering, name, argv.includes('--misses'));
      continue;
    }
    const questions = loadQuestions(name);
    const uncached = await evaluate(recognizer, kb, questions);
    const cached = await evaluate(recognizer, kb, questions);
    print(name, questions.length, uncached, argv.includes('--misses'));
    process.stdout.write(
      `  understanding, cached  p50 ${cached.latencyMs.p50.toFixed(2)} ms  p99 ${cached.latencyMs.p99.toFixed(2)} ms\n`,
    );
  }
  if (argv.includes('--quick')) return;
  await httpLatency(sets.flatMap((s) => loadQuestions(s)).map((q) => q.q));
  const { firstMs, untrainedMs, laterMs } = await measureStartup();
  process.stdout.write(
    `Start to ready (npm start until /readyz 200): first start after npm ci ${(firstMs / 1000).toFixed(1)} s, ` +
      `first start without a built model ${(untrainedMs / 1000).toFixed(1)} s, later start ${(laterMs / 1000).toFixed(1)} s\n`,
  );
}

/**
 * Sets scored through the whole answer model: the calibration set (thresholds are tuned on it) and the
 * breadth set (written before training and never tuned on: the figures to report).
 */
const BREADTH_SETS = ['nlu-calibration', 'nlu-breadth'];

/** A breadth-style set through the whole answer model, timed uncached (first pass) and cached (second). */
async function breadth(answering: LookupDeps, name: string, showMisses: boolean): Promise<void> {
  const questions = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', `${name}.json`), 'utf8'),
  ) as BreadthQuestion[];
  const timed = async () => {
    const times: number[] = [];
    for (const q of questions) {
      const t = process.hrtime.bigint();
      await lookup(answering, q.q);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return times.sort((a, b) => a - b);
  };
  const uncached = await timed();
  const cached = await timed();
  const f = await evaluateBreadth(answering, questions);
  const k = f.byKind;
  const lines = [
    `Question set: ${name} (${f.questions} questions: ${k.catalogue} catalogue, ${k['long-tail']} federal long tail, ${k.adjacent} adjacent, ${k['out-of-scope']} out of scope)`,
    `  useful answer (in scope)        ${pct(f.useful)}   (catalogue right ${pct(f.catalogueRight)}, long tail right department ${pct(f.longTailRight)})`,
    `  adjacent: not sure, right government ${pct(f.adjacentRightGovernment)}`,
    `  confident wrong answer          ${pct(f.confidentWrong)}`,
    `  out-of-scope recall             ${pct(f.outOfScopeRecall)}`,
    `  real questions refused          ${pct(f.refused)}`,
    `  answer latency, uncached        p50 ${percentile(uncached, 50).toFixed(2)} ms  p99 ${percentile(uncached, 99).toFixed(2)} ms`,
    `  answer latency, cached          p50 ${percentile(cached, 50).toFixed(2)} ms  p99 ${percentile(cached, 99).toFixed(2)} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (showMisses)
    for (const m of f.misses)
      process.stdout.write(`    miss [${m.kind}] ${m.expected} <- ${m.got}: ${m.q}\n`);
}

/**
 * GET /api/lookup through a running server on loopback, one request at a time: every question once
 * (each a new text: uncached), then twice more (cached).
 */
async function httpLatency(questions: string[]): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nlu-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, createLogger('silent'), { redis: false });
  const { port } = await app.listen();
  const uncached: number[] = [];
  const cached: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) {
      const t0 = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${port}/api/lookup?q=${encodeURIComponent(q)}`);
      await res.text();
      (round === 0 ? uncached : cached).push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  for (const times of [uncached, cached]) times.sort((x, y) => x - y);
  process.stdout.write(
    `GET /api/lookup over HTTP: uncached (${uncached.length} new questions) p50 ${percentile(uncached, 50).toFixed(2)} ms  p99 ${percentile(uncached, 99).toFixed(2)} ms; ` +
      `cached (${cached.length}) p50 ${percentile(cached, 50).toFixed(2)} ms  p99 ${percentile(cached, 99).toFixed(2)} ms\n`,
  );
}
