import fs from 'node:fs';
import path from 'node:path';
import { createKnowledge, Knowledge } from '../../knowledge/answering';
import {
  CONFIDENCE,
  confidence,
  confidenceFeatures,
  isConfident,
  Signals,
} from '../../knowledge/nlu/recognizer';
import { loadConfig } from '../../lib/config';
import { openDatabase } from '../../lib/db';
import { PROJECT_ROOT } from '../../lib/paths';

interface Labelled {
  set: string;
  kind: string;
  signals: Signals;
  /** The first result is a right record (a catalogue question's, or one listed in `alsoRight`). */
  right: boolean;
}

/** The sets the confidence model is fitted on. The breadth set is never among them. */
export const CALIBRATION_SETS = ['nlu-dev', 'nlu-calibration'];
const CHECK_SETS = ['nlu-holdout', 'nlu-challenge'];

async function label(k: Knowledge, set: string): Promise<Labelled[]> {
  const questions = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', `${set}.json`), 'utf8'),
  ) as Array<{
    q: string;
    kind?: string;
    expected: string | null;
    alsoRight?: string[];
  }>;
  const out: Labelled[] = [];
  for (const q of questions) {
    const lang = k.recognizer.detectLanguage(q.q).language;
    const signals = await k.recognizer.signals(k.recognizer.prepare(q.q, lang), lang, q.q);
    const kind = q.kind ?? (q.expected === null ? 'out-of-scope' : 'catalogue');
    const top = signals.ranked[0]?.id;
    out.push({
      set,
      kind,
      signals,
      // A long-tail question is right on a record written since for exactly that service (`alsoRight`).
      right:
        !!top &&
        ((kind === 'catalogue' && q.expected === top) || (q.alsoRight ?? []).includes(top)),
    });
  }
  return out;
}

/** L2-regularized logistic regression on standardized features, both classes weighed equally. */
export function fitLogistic(
  rows: Array<{ x: number[]; y: number }>,
  epochs = 5000,
  rate = 0.1,
  l2 = 1e-3,
): { weights: number[]; bias: number } {
  const n = rows[0].x.length;
  const mean = Array.from(
    { length: n },
    (_, j) => rows.reduce((s, r) => s + r.x[j], 0) / rows.length,
  );
  const sd = Array.from(
    { length: n },
    (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r.x[j] - mean[j]) ** 2, 0) / rows.length) || 1,
  );
  const z = rows.map((r) => r.x.map((v, j) => (v - mean[j]) / sd[j]));
  const positive = rows.filter((r) => r.y === 1).length / rows.length;
  const weightOf = (y: number) => (y === 1 ? 0.5 / positive : 0.5 / (1 - positive));
  const w = new Array<number>(n).fill(0);
  let b = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Array<number>(n).fill(0);
    let gb = 0;
    rows.forEach((r, i) => {
      const p = 1 / (1 + Math.exp(-z[i].reduce((s, v, j) => s + v * w[j], b)));
      const g = (p - r.y) * weightOf(r.y);
      for (let j = 0; j < n; j++) grad[j] += g * z[i][j];
      gb += g;
    });
    for (let j = 0; j < n; j++) w[j] -= rate * (grad[j] / rows.length + l2 * w[j]);
    b -= (rate * gb) / rows.length;
  }
  // Back to raw features, so the model runs on the signals as they are.
  const weights = w.map((v, j) => v / sd[j]);
  return { weights, bias: b - w.reduce((s, v, j) => s + (v * mean[j]) / sd[j], 0) };
}

function table(rows: Labelled[], weights: Record<string, number>): string[] {
  const lines: string[] = [];
  for (const threshold of [0.2, 0.3, 0.4, 0.5, 0.6]) {
    const cells = [...CALIBRATION_SETS, ...CHECK_SETS].map((set) => {
      const of = rows.filter((r) => r.set === set);
      const answered = (r: Labelled) =>
        !r.signals.outsideTop && confidence(r.signals, weights) >= threshold;
      const catalogue = of.filter((r) => r.kind === 'catalogue');
      const inScope = of.filter((r) => r.kind !== 'out-of-scope');
      const right =
        catalogue.filter((r) => answered(r) && r.right).length / (catalogue.length || 1);
      const wrong = inScope.filter((r) => answered(r) && !r.right).length / (inScope.length || 1);
      return `${set.replace('nlu-', '')} right ${(right * 100).toFixed(1)}% wrong ${(wrong * 100).toFixed(1)}%`;
    });
    lines.push(`  threshold ${threshold.toFixed(1)}: ${cells.join(' | ')}`);
  }
  return lines;
}

/**
 * `npm run nlu:calibrate`: fits the confidence model (CONFIDENCE.weights in knowledge/nlu/recognizer.ts)
 * on the development and calibration sets, and prints the weights with, per threshold, the catalogue
 * questions answered right and the in-scope questions answered confidently wrong, on those sets and on
 * the hold-out and challenge sets (which it does not fit on).
 */
export async function main(): Promise<void> {
  const k = await createKnowledge(openDatabase(':memory:'), loadConfig({}).modelDir, 5);
  const rows: Labelled[] = [];
  for (const set of [...CALIBRATION_SETS, ...CHECK_SETS]) rows.push(...(await label(k, set)));
  const names = Object.keys(confidenceFeatures(rows[0].signals));
  const fit = fitLogistic(
    rows
      .filter((r) => CALIBRATION_SETS.includes(r.set))
      .map((r) => ({ x: Object.values(confidenceFeatures(r.signals)), y: r.right ? 1 : 0 })),
  );
  const fitted: Record<string, number> = { bias: Number(fit.bias.toFixed(3)) };
  names.forEach((name, j) => (fitted[name] = Number(fit.weights[j].toFixed(3))));
  const current = rows.filter((r) => isConfident(r.signals)).length;
  process.stdout.write(
    [
      `Fitted on ${CALIBRATION_SETS.join(' + ')} (${rows.filter((r) => CALIBRATION_SETS.includes(r.set)).length} questions):`,
      `  weights: ${JSON.stringify(fitted)}`,
      ...table(rows, fitted),
      `Current weights (threshold ${CONFIDENCE.threshold}): ${JSON.stringify(CONFIDENCE.weights)}; ${current} of ${rows.length} questions answered`,
      ...table(rows, CONFIDENCE.weights),
    ].join('\n') + '\n',
  );
}
