import type { Db } from '../lib/db';
import { BodyDirectory } from './agencies/directory';
import { loadBodies } from './agencies/load';
import { loadInventory } from './inventory/load';
import { InventoryIndex } from './inventory/search';
import { NearestListing } from './inventory/nearest';
import { KnowledgeBase, loadKnowledge } from './load';
import type { LookupDeps } from './lookup';
import { loadMunicipalities } from './municipalities/directory';
import { createRecognizer, Recognizer } from './nlu/recognizer';
import { KnowledgeRepository } from './repository';
import { contentStems, foldedPhrase, keepingStems } from './nlu/text';
import { Language, LANGUAGES, OUTSIDE_INTENTS } from './schema';
import type { GovernmentBody } from './agencies/schema';
import type { ExtraExamples } from './nlu/neighbours';

/** Share of all example questions a stem must appear in to count as an everyday word. */
const EVERYDAY_SHARE = 0.01;

/** Stems found in at least 1% of the example questions of a language, whatever their record: everyday words. */
function everydayStems(kb: KnowledgeBase): Record<Language, Set<string>> {
  const out = {} as Record<Language, Set<string>>;
  for (const lang of LANGUAGES) {
    const df = new Map<string, number>();
    let n = 0;
    for (const utterances of kb.corpus[lang].values()) {
      for (const u of utterances) {
        n++;
        for (const stem of new Set(contentStems(u, lang))) df.set(stem, (df.get(stem) ?? 0) + 1);
      }
    }
    out[lang] = new Set([...df].filter(([, c]) => c >= n * EVERYDAY_SHARE).map(([stem]) => stem));
  }
  return out;
}

/**
 * The bodies' names and words as examples of their government's outside intent: a question like
 * them is about a body no record covers, and the nearest examples' vote says so. A phrase that is
 * also the name or a keyword of a record the body names in `records` is that record's, not outside.
 */
export function bodyExamples(
  kb: Pick<KnowledgeBase, 'byId'>,
  bodies: readonly GovernmentBody[],
): ExtraExamples[] {
  const phrases = (b: GovernmentBody, lang: Language) => {
    const taken = new Set(
      (b.records ?? [])
        .map((id) => kb.byId.get(id))
        .flatMap((r) => (r ? [r.name[lang], ...r.keywords[lang]] : []))
        .map(foldedPhrase),
    );
    return [b.name[lang], ...b.keywords[lang]].filter((p) => !taken.has(foldedPhrase(p)));
  };
  return bodies.map((b) => ({
    intent: OUTSIDE_INTENTS[b.jurisdiction],
    phrases: { en: phrases(b, 'en'), fr: phrases(b, 'fr') },
  }));
}

export interface Knowledge {
  kb: KnowledgeBase;
  repo: KnowledgeRepository;
  recognizer: Recognizer;
  /** Whether the NLU model was trained now (no saved model for this knowledge version). */
  trained: boolean;
  /** The stored records were replaced (a new knowledge version). */
  seeded: boolean;
  /** What lookup() answers with: records, recognizer, the federal inventory and the municipalities. */
  answering: LookupDeps;
}

/**
 * The knowledge the app, the worker, the benches and the tests answer from, built one way: records
 * validated and stored in `db` with their search index, the NLU model loaded (or trained into
 * `modelDir`), the federal service inventory indexed and the municipalities loaded.
 */
export function createKnowledge(db: Db, modelDir: string, maxResults: number): Promise<Knowledge> {
  return keepingStems(() => buildKnowledge(db, modelDir, maxResults));
}

async function buildKnowledge(db: Db, modelDir: string, maxResults: number): Promise<Knowledge> {
  const kb = loadKnowledge();
  const repo = new KnowledgeRepository(db);
  const seeded = repo.seed(kb);
  const bodies = loadBodies(undefined, kb.byId).bodies;
  const { recognizer, trained } = await createRecognizer(
    kb,
    repo,
    modelDir,
    bodyExamples(kb, bodies),
  );
  const inventoryFile = loadInventory();
  const everyday = everydayStems(kb);
  const inventory = new InventoryIndex(db, everyday);
  inventory.seed(inventoryFile);
  const answering: LookupDeps = {
    recognizer,
    repo,
    maxResults,
    inventory,
    inventoryAsOf: inventoryFile.asOf,
    nearestListing: new NearestListing(inventoryFile),
    bodies: new BodyDirectory(bodies, everyday),
    municipalities: loadMunicipalities(),
  };
  return { kb, repo, recognizer, trained, seeded, answering };
}
