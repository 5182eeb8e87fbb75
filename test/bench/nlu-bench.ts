import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../lib/db';
import { loadKnowledge } from '../../knowledge/load';
import { createRecognizer } from '../../knowledge/nlu/recognizer';
import { KnowledgeRepository } from '../../knowledge/repository';
import { evaluate, Figures, loadQuestions, percentile } from './nlu-eval';
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
    `  lookup latency          p50 ${f.latencyMs.p50.toFixed(2)} ms  p99 ${f.latencyMs.p99.toFixed(2)} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (showMisses) for (const m of f.misses) process.stdout.write(`    miss [${m.lang}] ${m.expected ?? 'OUT'} <- ${m.got ?? 'OUT'}: ${m.q}\n`);
}

/**
 * `npm run bench:nlu [-- --set nlu-dev|nlu-holdout|all] [--misses] [--quick]`: accuracy and latency
 * of understanding on the development question set (test/fixtures/nlu-dev.json) and the hold-out
 * set, then (unless --quick) lookup latency over HTTP and start-up times.
 */
export async function main(argv: string[] = []): Promise<void> {
  const setArg = argv.includes('--set') ? argv[argv.indexOf('--set') + 1] : 'all';
  const sets = setArg === 'all' ? ['nlu-dev', 'nlu-holdout', 'nlu-challenge'] : [setArg];
  const kb = loadKnowledge();
  const repo = new KnowledgeRepository(openDatabase(':memory:'));
  repo.seed(kb);
  const t0 = Date.now();
  const { recognizer, trained } = await createRecognizer(kb, repo, loadConfig({}).modelDir);
  process.stdout.write(`NLU model ${trained ? 'trained' : 'loaded'} in ${Date.now() - t0} ms (knowledge ${kb.version}, ${kb.records.length} records)\n`);
  for (const name of sets) {
    const questions = loadQuestions(name);
    // Warm-up pass so latency reflects a running server, then the measured pass.
    await evaluate(recognizer, kb, questions.slice(0, 20));
    print(name, questions.length, await evaluate(recognizer, kb, questions), argv.includes('--misses'));
  }
  if (argv.includes('--quick')) return;
  await httpLatency(sets.flatMap((s) => loadQuestions(s)).map((q) => q.q));
  const { firstMs, untrainedMs, laterMs } = await measureStartup();
  process.stdout.write(
    `Start to ready (npm start until /readyz 200): first start after npm ci ${(firstMs / 1000).toFixed(1)} s, ` +
      `first start without a built model ${(untrainedMs / 1000).toFixed(1)} s, later start ${(laterMs / 1000).toFixed(1)} s\n`,
  );
}

/** GET /api/lookup through a running server on loopback, one request at a time, every question 3 times. */
async function httpLatency(questions: string[]): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nlu-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const app = await createApp(config, createLogger('silent'), { redis: false });
  const { port } = await app.listen();
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) {
      const t0 = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${port}/api/lookup?q=${encodeURIComponent(q)}`);
      await res.text();
      if (round > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  process.stdout.write(`GET /api/lookup over HTTP (${times.length} requests): p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms\n`);
}
