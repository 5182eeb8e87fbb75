/**
 * NLP.js's classification of a trained model, computed without its pipeline: the same tokens, the
 * same arithmetic in the same order, the same sorts, so the same intents and scores to the last bit
 * (a test compares both on every training sentence and evaluation question). NLP.js spends most of
 * a classification on its pipeline (promises, settings merged per call, objects keyed by feature
 * numbers) and keeps every text it has seen for an hour in three caches; this keeps none.
 */

/** A text's stems as NLP.js prepares them: each stem once, with the value 1. */
export type Tokens = Record<string, number>;

export interface Classification {
  intent: string;
  score: number;
}

// NLP.js v4 ships untyped CommonJS; these are the parts of its objects this file reads.
interface Perceptron {
  name: string;
  weights: Float32Array;
  bias: number;
}
interface NeuralNetworkPart {
  perceptrons: Perceptron[];
  numPerceptrons: number;
  settings: { alpha: number };
  lookup: { inputLookup: { dict: Record<string, number> } };
}
interface NluPart {
  constructor: { name: string };
  settings: Record<string, unknown>;
  features: Record<string, number>;
  intentsArr: string[];
  intentFeatures: Record<string, Record<string, number>>;
  numIntents: number;
  numFeatures: number;
  nonefeatureValue?: unknown;
  neuralNetwork?: NeuralNetworkPart;
  pipelinePrepare?: unknown;
  pipelineProcess?: unknown;
  container: { get(name: string): unknown };
  applySettings(target: object, source: object): Record<string, unknown>;
}
interface DomainManagerPart {
  settings: Record<string, unknown>;
  domains: Record<string, NluPart>;
  stemDict: Record<string, { intent: string; domain: string }>;
  intentDict: Record<string, string>;
  pipelineProcess?: unknown;
  applySettings(target: object, source: object): Record<string, unknown>;
}
/** The engine as classifier.ts builds it (Nlp with one language). */
export interface EnginePart {
  nluManager: {
    settings: Record<string, unknown>;
    pipelineProcess?: unknown;
    domainManagers: Record<string, DomainManagerPart>;
  };
}
interface TextTools {
  normalizer: { normalize(text: string): string };
  tokenizer: { innerTokenize(text: string): string[] };
  stemmer: { stem(tokens: string[]): string[] };
}

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const className = (o: unknown) =>
  (o as { constructor?: { name?: string } } | undefined)?.constructor?.name;

export class CompiledNlu {
  private constructor(
    private readonly dm: DomainManagerPart,
    private readonly nlu: NluPart,
    private readonly net: NeuralNetworkPart,
    private readonly text: TextTools,
    private readonly settings: {
      useNoneFeature: boolean;
      filterZeros: boolean;
      nonedeltaMultiplier: number;
    },
  ) {
    const byName = new Map(net.perceptrons.map((p, i) => [p.name, i]));
    this.outputOf = Int32Array.from(nlu.intentsArr, (intent) => byName.get(intent) ?? -1);
    // The weights feature by feature: a text's few features each read one run of memory.
    const count = net.numPerceptrons;
    const inputs = net.perceptrons[0]?.weights.length ?? 0;
    this.weights = new Float32Array(inputs * count);
    for (let p = 0; p < count; p += 1) {
      const w = net.perceptrons[p].weights;
      for (let k = 0; k < inputs; k += 1) this.weights[k * count + p] = w[k];
    }
    this.biases = Float64Array.from(net.perceptrons, (p) => p.bias);
    this.outputs = new Float64Array(count);
  }

  /** For each of NLP.js's intents in its order, the perceptron that scores it (-1: none). */
  private readonly outputOf: Int32Array;
  /** Weight of feature k for perceptron p at k * perceptrons + p (NLP.js keeps one array per perceptron). */
  private readonly weights: Float32Array;
  private readonly biases: Float64Array;
  private readonly outputs: Float64Array;

  /**
   * Reads a trained engine of language `lang`; null when it uses anything this does not reproduce
   * (several domains, spell checking, allow lists, explanations, custom pipelines, other tokenizers
   * or stemmers, stop words removed): NLP.js classifies then.
   */
  static compile(engine: EnginePart, lang: string): CompiledNlu | null {
    const manager = engine.nluManager;
    const dm = manager.domainManagers[lang];
    const nlu = dm?.domains.master_domain;
    const net = nlu?.neuralNetwork;
    if (!dm || !nlu || !net || Object.keys(dm.domains).length !== 1) return null;
    if (className(nlu) !== 'NeuralNlu' || className(net) !== 'NeuralNetwork') return null;
    if (manager.pipelineProcess || dm.pipelineProcess || nlu.pipelineProcess || nlu.pipelinePrepare)
      return null;
    // The settings each stage reads, merged as NLP.js merges them on every call (without changing them).
    const dmSettings = dm.applySettings({ ...manager.settings }, dm.settings);
    const settings = nlu.applySettings({ ...manager.settings }, nlu.settings);
    if (!dmSettings.useStemDict || dmSettings.trainByDomain || manager.settings.trainByDomain)
      return null;
    if (settings.spellCheck || settings.allowList || settings.returnExplanation) return null;
    if (settings.nonedeltaValue !== undefined || settings.keepStopwords === false) return null;
    if (nlu.settings.locale !== lang) return null;
    const c = nlu.container;
    const expected: Array<[string, string]> = [
      ['normalize', 'Normalizer'],
      ['tokenize', 'Tokenizer'],
      ['removeStopwords', 'Stopwords'],
      ['stem', 'Stemmer'],
      ['arrToObj', 'ArrToObj'],
    ];
    if (expected.some(([name, cls]) => className(c.get(name)) !== cls)) return null;
    const suffix = lang.charAt(0).toUpperCase() + lang.slice(1);
    const text = {
      normalizer: c.get(`normalizer-${lang}`),
      tokenizer: c.get(`tokenizer-${lang}`),
      stemmer: c.get(`stemmer-${lang}`),
    } as TextTools;
    if (
      className(text.normalizer) !== `Normalizer${suffix}` ||
      className(text.tokenizer) !== `Tokenizer${suffix}` ||
      className(text.stemmer) !== `Stemmer${suffix}` ||
      c.get('tokenizer-bert') ||
      c.get('stemmer-bert')
    )
      return null;
    return new CompiledNlu(dm, nlu, net, text, {
      useNoneFeature: !!settings.useNoneFeature,
      filterZeros: !!settings.filterZeros,
      nonedeltaMultiplier: nlu.settings.nonedeltaMultiplier as number,
    });
  }

  /** NLP.js's prepare: normalized, tokenized, stemmed, each stem once (what its per-text cache would hold). */
  tokens(utterance: string): Tokens {
    const { normalizer, tokenizer, stemmer } = this.text;
    const words = tokenizer.innerTokenize(normalizer.normalize(utterance)).filter((x) => x);
    const out: Tokens = {};
    for (const stem of stemmer.stem(words)) out[stem] = 1;
    return out;
  }

  /**
   * The intents and scores NLP.js's nluManager.process gives for text with these tokens, best first;
   * undefined when a token is also a property every object inherits ("constructor"): NLP.js reads
   * those through its dictionaries, so only NLP.js can say.
   */
  classify(tokens: Tokens): Classification[] | undefined {
    const keys = Object.keys(tokens);
    const { stemDict, intentDict } = this.dm;
    const { features, intentFeatures, intentsArr } = this.nlu;
    const dict = this.net.lookup.inputLookup.dict;
    for (const k of keys) if (k in features && !has(features, k)) return undefined;
    if (keys.some((k) => (k in dict && !has(dict, k)) || k === 'nonefeature')) return undefined;
    // A text whose stems are exactly a training sentence's is that sentence's intent (stem dictionary).
    const stemKey = keys.slice().sort().join();
    if (stemKey in stemDict) {
      if (!has(stemDict, stemKey)) return undefined;
      const resolved = stemDict[stemKey];
      const out = [{ intent: resolved.intent, score: 1 }];
      for (const intent of Object.keys(intentDict))
        if (intent !== resolved.intent) out.push({ intent, score: 0 });
      return out.sort((a, b) => b.score - a.score);
    }
    // textToFeatures: known stems are features; unknown ones add up to the "none" feature.
    const present: Tokens = {};
    let unknown = 0;
    for (const k of keys) {
      if (!features[k]) unknown += 1;
      else present[k] = tokens[k];
    }
    let nonedelta = this.nlu.numIntents / this.nlu.numFeatures;
    let nonevalue = 0;
    for (let i = 0; i < unknown; i += 1) {
      nonevalue += nonedelta;
      nonedelta *= this.settings.nonedeltaMultiplier;
    }
    if (this.settings.useNoneFeature && nonevalue) present.nonefeature = nonevalue;
    // The network: inputs in the order NLP.js's lookup lists them, each perceptron summed from its bias.
    const index: number[] = [];
    const value: number[] = [];
    for (const k of Object.keys(present)) {
      if (dict[k] === undefined) continue;
      index.push(dict[k]);
      value.push(present[k]);
    }
    // Each perceptron's sum from its bias, feature by feature in NLP.js's order (the same additions).
    const { outputs, outputOf, weights, biases } = this;
    const count = this.net.numPerceptrons;
    outputs.set(biases);
    for (let j = 0; j < index.length; j += 1) {
      const v = value[j];
      const row = index[j] * count;
      for (let p = 0; p < count; p += 1) outputs[p] = outputs[p] + v * weights[row + p];
    }
    const { alpha } = this.net.settings;
    for (let p = 0; p < count; p += 1) outputs[p] = outputs[p] <= 0 ? 0 : alpha * outputs[p];
    // convertToArray, filterNonActivated, normalizeClassifications, then the manager's sort.
    let result: Classification[] = [];
    for (let i = 0; i < intentsArr.length; i += 1) {
      if (outputOf[i] < 0) continue;
      const score = outputs[outputOf[i]];
      if (score > 0 || !this.settings.filterZeros) result.push({ intent: intentsArr[i], score });
    }
    if (!result.length) result.push({ intent: 'None', score: 1 });
    result = result.sort((a, b) => b.score - a.score);
    const featureKeys = Object.keys(present);
    let modified = false;
    for (const c of result) {
      if (c.intent === 'None') continue;
      const own = intentFeatures[c.intent];
      if (!own || !featureKeys.some((k) => own[k])) {
        c.score = 0;
        modified = true;
      }
    }
    if (modified) result.sort((a, b) => b.score - a.score);
    let total = 0;
    for (const c of result) {
      c.score **= 2;
      total += c.score;
    }
    if (total > 0) for (const c of result) c.score /= total;
    return result.sort((a, b) => b.score - a.score);
  }
}
