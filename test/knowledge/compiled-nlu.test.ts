import fs from 'node:fs';
import { loadKnowledge } from '../../knowledge/load';
import {
  IntentClassifier,
  loadOrTrainClassifier,
  modelPath,
  trainingDocuments,
} from '../../knowledge/nlu/classifier';
import { LANGUAGES } from '../../knowledge/schema';
import { loadQuestions, QUESTION_SETS } from '../bench/nlu-eval';
import { TEST_MODEL_DIR } from '../helpers/app';
import { shippedKnowledge } from '../helpers/knowledge';

/** Words NLP.js reads through its dictionaries' inherited properties, and its own feature name. */
const ODD = [
  'constructor',
  'nonefeature',
  'passport constructor',
  '',
  ' ',
  '2024 100003',
  "don't gonna",
];

describe('the compiled NLU models', () => {
  const kb = loadKnowledge();
  let compiled: IntentClassifier;
  let nlpjs: IntentClassifier;

  beforeAll(async () => {
    const { recognizer } = await shippedKnowledge();
    const prepare = (t: string, l: 'en' | 'fr') => recognizer.prepare(t, l);
    ({ classifier: compiled } = await loadOrTrainClassifier(kb, TEST_MODEL_DIR, prepare));
    const models = JSON.parse(fs.readFileSync(modelPath(TEST_MODEL_DIR, kb.version), 'utf8'));
    nlpjs = await IntentClassifier.fromModels(models, { compiled: false });
  }, 120_000);

  it('replace NLP.js for both models of both languages', () => {
    expect(compiled.compiledModels).toEqual(['en:intents', 'en:scope', 'fr:intents', 'fr:scope']);
    expect(nlpjs.compiledModels).toEqual([]);
  });

  it('give NLP.js’s intents and scores, to the last bit, on every evaluation question and a sample of training sentences', async () => {
    const { recognizer } = await shippedKnowledge();
    const questions = QUESTION_SETS.flatMap((set) => loadQuestions(set).map((q) => q.q));
    let compared = 0;
    const same = async (t: string, lang: 'en' | 'fr') => {
      expect(await compiled.classify(t, lang)).toEqual(await nlpjs.classify(t, lang));
      expect(await compiled.outOfScope(t, lang)).toBe(await nlpjs.outOfScope(t, lang));
      compared++;
    };
    for (const lang of LANGUAGES) {
      // What the recognizer passes (corrected, folded words), for every question and a sample of the
      // training sentences; raw text (accents, punctuation, contractions) for a quarter of them.
      const training = trainingDocuments(kb, lang)
        .filter((_, i) => i % 80 === 0)
        .map(([t]) => t);
      for (const t of [...questions, ...training]) await same(recognizer.prepare(t, lang), lang);
      // The odd texts last: by then NLP.js's own per-text cache has long existed, as in a running server.
      for (const t of [...questions.filter((_, i) => i % 4 === 0), ...ODD]) await same(t, lang);
    }
    expect(compared).toBeGreaterThan(5_000);
  }, 120_000);
});
