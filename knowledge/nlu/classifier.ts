import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { KnowledgeBase } from '../load';
import { Language, LANGUAGES, OUT_OF_SCOPE_INTENT } from '../schema';
import { CompiledNlu, EnginePart, Tokens } from './compiled-nlu';
import { FAST_PERCEPTRON_SOURCE } from './perceptron-training';

interface NlpEngine {
  import(data: string): void;
  nluManager: {
    process(
      locale: string,
      utterance: string,
    ): Promise<{ classifications: { intent: string; score: number }[] }>;
  };
}

export interface IntentScore {
  intent: string;
  score: number;
}

/**
 * Neural network settings. NLP.js stops when the loss changes by less than deltaErrorThresh
 * between epochs; its default (1e-6, ~100 epochs) over-fits the corpus: on the development set 1e-5
 * (~40 epochs) ranks as well or better and trains in a third of the time.
 */
export const TRAINING = { errorThresh: 0.00005, deltaErrorThresh: 0.000003, useNoneFeature: true };
/**
 * The scope model (government question or not) is a two-class model trained to NLP.js's default
 * convergence: out-of-scope questions are varied, and its words (lure, printer, Pokémon) need the
 * extra epochs to outweigh the domain words they come with (fishing, driver, card).
 */
export const SCOPE_TRAINING = {
  errorThresh: 0.00005,
  deltaErrorThresh: 0.000001,
  useNoneFeature: false,
};
export const IN_SCOPE = 'in-scope';
/** Bump when the way documents are prepared changes, so saved models are retrained. */
const MODEL_FORMAT = 5;

// Builds an NLP.js engine for the given locales. Plain JavaScript (no TypeScript), because it also
// runs as the body of the training worker threads. NLP.js v4 ships untyped CommonJS.
const ENGINE_SOURCE = `
async function newEngine(locales, training) {
  const { containerBootstrap } = require('@nlpjs/core');
  const { Nlp } = require('@nlpjs/nlp');
  const { LangEn } = require('@nlpjs/lang-en');
  const { LangFr } = require('@nlpjs/lang-fr');
  const container = await containerBootstrap();
  container.registerConfiguration('nlu-??', Object.assign({ keepStopwords: true, nonefeatureValue: 1,
    nonedeltaMultiplier: 1.2, spellCheck: false, spellCheckDistance: 1, filterZeros: true, log: false }, training), true);
  container.use(Nlp); container.use(LangEn); container.use(LangFr);
  const nlp = container.get('nlp');
  Object.assign(nlp.settings, { autoSave: false, autoLoad: false, calculateSentiment: false });
  nlp.nluManager.settings.useNoneFeature = training.useNoneFeature;
  nlp.addLanguage(locales);
  return nlp;
}`;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
${ENGINE_SOURCE}
${FAST_PERCEPTRON_SOURCE}
if (workerData.fast) installFastPerceptron(require('@nlpjs/neural').NeuralNetwork);
async function train(docs, training) {
  const nlp = await newEngine([workerData.lang], training);
  for (const [text, intent] of docs) nlp.addDocument(workerData.lang, text, intent);
  await nlp.train();
  return nlp.export(true);
}
(async () => {
  const intents = await train(workerData.docs, workerData.training);
  const scope = await train(workerData.docs.map(([t, i]) => [t, i === workerData.outOfScope ? i : workerData.inScope]), workerData.scopeTraining);
  parentPort.postMessage({ intents, scope });
})().catch((err) => { throw err; });
`;

// The engine factory is shared with the worker source above (built from one string, so both run the same code).
const newEngine = new Function('require', `${ENGINE_SOURCE}; return newEngine;`)(require) as (
  locales: string[],
  training: object,
) => Promise<NlpEngine>;

/** Training sentences for one language: the corpus, plus each record's name and keywords. */
export function trainingDocuments(kb: KnowledgeBase, lang: Language): Array<[string, string]> {
  const docs: Array<[string, string]> = [];
  for (const [intent, utterances] of kb.corpus[lang])
    for (const u of utterances) docs.push([u, intent]);
  for (const r of kb.records) {
    docs.push([r.name[lang], r.id]);
    for (const k of r.keywords[lang]) docs.push([k, r.id]);
  }
  return docs;
}

export interface LanguageModels {
  intents: string;
  scope: string;
}

/**
 * Trains one language's intent and scope models in a worker thread. `fast: false` keeps NLP.js's
 * own epoch (the test that checks the fast one gives the same model).
 */
export function trainInWorker(
  lang: Language,
  docs: Array<[string, string]>,
  { fast = true } = {},
): Promise<LanguageModels> {
  return new Promise((resolve, reject) => {
    const workerData = {
      lang,
      docs,
      fast,
      training: TRAINING,
      scopeTraining: SCOPE_TRAINING,
      outOfScope: OUT_OF_SCOPE_INTENT,
      inScope: IN_SCOPE,
    };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.once('message', (models: LanguageModels) => resolve(models));
    worker.once('error', reject);
    worker.once(
      'exit',
      (code) =>
        code !== 0 && reject(new Error(`NLU training for ${lang} stopped with code ${code}`)),
    );
  });
}

type Models = Record<Language, LanguageModels>;
interface Engines {
  intents: NlpEngine;
  scope: NlpEngine;
}
/** The same models computed without NLP.js's pipeline (null: NLP.js computes them). */
interface Compiled {
  intents: CompiledNlu | null;
  scope: CompiledNlu | null;
}

/**
 * The NLP.js intent classifier: one neural model per language, trained from the knowledge base
 * (both languages at once, in worker threads). Saved under the model folder keyed by the
 * knowledge version, and loaded on later starts.
 */
export class IntentClassifier {
  private constructor(
    private readonly engines: Record<Language, Engines>,
    private readonly models: Models,
    compile: boolean,
  ) {
    const compiled = (engine: NlpEngine, lang: Language) =>
      compile ? CompiledNlu.compile(engine as unknown as EnginePart, lang) : null;
    for (const lang of LANGUAGES)
      this.compiled[lang] = {
        intents: compiled(engines[lang].intents, lang),
        scope: compiled(engines[lang].scope, lang),
      };
  }

  /** The models computed without NLP.js's pipeline ("en:intents"…); the others go through NLP.js. */
  get compiledModels(): string[] {
    return LANGUAGES.flatMap((l) =>
      (['intents', 'scope'] as const).filter((m) => this.compiled[l][m]).map((m) => `${l}:${m}`),
    );
  }

  private readonly compiled = {} as Record<Language, Compiled>;
  /** The last text's tokens: both models of a language read the same text one after the other. */
  private last: { text: string; lang: Language; tokens: Tokens } | null = null;

  private tokens(nlu: CompiledNlu, text: string, lang: Language): Tokens {
    if (this.last?.text !== text || this.last.lang !== lang)
      this.last = { text, lang, tokens: nlu.tokens(text) };
    return this.last.tokens;
  }

  /** A model's classifications: compiled when it can, else NLP.js's own. */
  private async process(model: keyof Engines, text: string, lang: Language) {
    const fast = this.compiled[lang][model];
    const scores = fast?.classify(this.tokens(fast, text, lang));
    if (scores) return scores;
    const out = await this.engines[lang][model].nluManager.process(lang, text);
    return out.classifications ?? [];
  }

  static async train(
    kb: KnowledgeBase,
    prepare: (text: string, lang: Language) => string,
  ): Promise<IntentClassifier> {
    const jsons = await Promise.all(
      LANGUAGES.map((lang) =>
        trainInWorker(
          lang,
          trainingDocuments(kb, lang).map(([t, i]) => [prepare(t, lang), i]),
        ),
      ),
    );
    return IntentClassifier.fromModels(
      Object.fromEntries(LANGUAGES.map((l, i) => [l, jsons[i]])) as Models,
    );
  }

  /** `compiled: false` keeps NLP.js's own pipeline for every model (the test that compares both). */
  static async fromModels(models: Models, { compiled = true } = {}): Promise<IntentClassifier> {
    const engines = {} as Record<Language, Engines>;
    for (const lang of LANGUAGES) {
      const m = models[lang];
      if (typeof m?.intents !== 'string' || typeof m?.scope !== 'string')
        throw new Error(`the saved model has no ${lang} part`);
      engines[lang] = {
        intents: await newEngine([lang], TRAINING),
        scope: await newEngine([lang], SCOPE_TRAINING),
      };
      engines[lang].intents.import(m.intents);
      engines[lang].scope.import(m.scope);
      // NLP.js creates its per-text cache at its first classification, and answers differently once it
      // exists (a text that is an inherited property's name, "constructor", reads the cache's
      // prototype): one classification now, so every later one is NLP.js's usual answer.
      for (const engine of Object.values(engines[lang])) await engine.nluManager.process(lang, '');
    }
    return new IntentClassifier(engines, models, compiled);
  }

  toJson(): string {
    return JSON.stringify(this.models);
  }

  /** Intent probabilities (the out-of-scope intent included), best first. */
  async classify(text: string, lang: Language): Promise<IntentScore[]> {
    return this.process('intents', text, lang);
  }

  /**
   * Probability that the text is not a government-services question; 0.5 (no opinion) when
   * neither class fires, which happens with long sentences of mostly neutral words.
   */
  async outOfScope(text: string, lang: Language): Promise<number> {
    const classes = await this.process('scope', text, lang);
    if (classes[0]?.intent === 'None') return 0.5;
    return classes.find((c) => c.intent === OUT_OF_SCOPE_INTENT)?.score ?? 0;
  }
}

/** The saved model's file: keyed by the knowledge version, the training settings and the format. */
export function modelPath(dir: string, kbVersion: string): string {
  const key = crypto
    .createHash('sha256')
    .update(`${kbVersion}|${JSON.stringify([TRAINING, SCOPE_TRAINING])}|${MODEL_FORMAT}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(dir, `nlu-model-${key}.json`);
}

/**
 * Loads the model for this knowledge version from `dir`, or trains and saves it (atomically, so
 * a crash never leaves half a model). Older model files are removed so the folder does not fill up.
 */
export async function loadOrTrainClassifier(
  kb: KnowledgeBase,
  dir: string,
  prepare: (text: string, lang: Language) => string,
): Promise<{ classifier: IntentClassifier; trained: boolean }> {
  const file = modelPath(dir, kb.version);
  if (fs.existsSync(file)) {
    try {
      return {
        classifier: await IntentClassifier.fromModels(
          JSON.parse(fs.readFileSync(file, 'utf8')) as Models,
        ),
        trained: false,
      };
    } catch {
      // A damaged model file is rebuilt below rather than trusted.
    }
  }
  const classifier = await IntentClassifier.train(kb, prepare);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, classifier.toJson());
  fs.renameSync(tmp, file);
  for (const f of fs.readdirSync(dir)) {
    const stale = /^nlu-model-[0-9a-f]+\.json$/.test(f) && path.join(dir, f) !== file;
    const age = stale ? Date.now() - fs.statSync(path.join(dir, f)).mtimeMs : 0;
    // Another process (a test run of another version) may be using a recent one.
    if (stale && age > 3_600_000) fs.rmSync(path.join(dir, f), { force: true });
  }
  return { classifier, trained: true };
}
