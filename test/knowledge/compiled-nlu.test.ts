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
    const texts: string[] = [...ODD];
    for (const set of QUESTION_SETS) for (const q of loadQuestions(set)) texts.push(q.q);
    let compared = 0;
    for (const lang of LANGUAGES) {
      const training = trainingDocuments(kb, lang).filter((_, i) => i % 40 === 0);
      for (const text of [...texts, ...training.map(([t]) => t)])
        for (const t of [text, recognizer.prepare(text, lang)]) {
          expect(await compiled.classify(t, lang)).toEqual(await nlpjs.classify(t, lang));
          expect(await compiled.outOfScope(t, lang)).toBe(await nlpjs.outOfScope(t, lang));
          compared++;
        }
    }
    expect(compared).toBeGreaterThan(8_000);
  }, 120_000);
});
