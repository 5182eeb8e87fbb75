import { loadKnowledge } from '../../knowledge/load';
import { trainingDocuments, trainInWorker } from '../../knowledge/nlu/classifier';
import { LANGUAGES, OUT_OF_SCOPE_INTENT } from '../../knowledge/schema';
import { shippedKnowledge } from '../helpers/knowledge';

describe('the fast training epoch', () => {
  it.each(LANGUAGES)(
    'trains the very model NLP.js trains, weights and biases to the last bit (%s)',
    async (lang) => {
      const { recognizer } = await shippedKnowledge();
      const kb = loadKnowledge();
      // A slice of the real corpus, out-of-scope sentences included (the scope model's second class),
      // small enough for NLP.js's own epoch to finish in a few seconds.
      const intents = new Set([OUT_OF_SCOPE_INTENT, ...kb.records.slice(0, 12).map((r) => r.id)]);
      const docs = trainingDocuments(kb, lang)
        .filter(([, intent]) => intents.has(intent))
        .filter((_, i) => i % 2 === 0)
        .map(([t, i]): [string, string] => [recognizer.prepare(t, lang), i]);
      expect(docs.length).toBeGreaterThan(300);
      const [fast, nlpjs] = await Promise.all([
        trainInWorker(lang, docs),
        trainInWorker(lang, docs, { fast: false }),
      ]);
      expect(fast.intents).toBe(nlpjs.intents);
      expect(fast.scope).toBe(nlpjs.scope);
      // The models are real: a perceptron per intent (and NLP.js's None), each with weights that moved.
      const network = (
        JSON.parse(fast.intents) as {
          nluManager: {
            domainManagers: Record<
              string,
              { domains: { master_domain: { neuralNetwork: { perceptrons: number[][] } } } }
            >;
          };
        }
      ).nluManager.domainManagers[lang].domains.master_domain.neuralNetwork;
      expect(network.perceptrons.length).toBeGreaterThanOrEqual(intents.size);
      for (const weights of network.perceptrons) expect(weights.some((w) => w !== 0)).toBe(true);
    },
    120_000,
  );
});
