import { NearestExamples } from '../nlu/neighbours';
import { Language, LANGUAGES } from '../schema';
import type { Inventory } from './load';
import type { InventoryMatch } from './search';
import type { InventoryService } from './schema';

/**
 * The inventory's listing nearest to a question (TF-IDF cosine over its name and the words people
 * use for it): the fallback when the precise matching (search.ts) finds none and the question is
 * taken to be federal.
 */
export class NearestListing {
  private readonly near: NearestExamples;
  private readonly byId: Map<string, InventoryService>;

  constructor(inventory: Inventory) {
    this.byId = new Map(inventory.services.map((s) => [s.id, s]));
    const of = (lang: Language) =>
      inventory.services.flatMap((s) =>
        [s.name[lang], ...(inventory.keywords[s.id]?.[lang] ?? [])].map((text) => ({
          intent: s.id,
          text,
        })),
      );
    this.near = new NearestExamples(
      Object.fromEntries(LANGUAGES.map((l) => [l, of(l)])) as Record<
        Language,
        ReturnType<typeof of>
      >,
      1,
    );
  }

  /** The nearest listing when at least `minSimilarity` near, else null. */
  find(question: string, lang: Language, minSimilarity: number): InventoryMatch | null {
    const vote = this.near.vote(question, lang);
    const [id] = [...vote.shares.keys()];
    const s = id === undefined ? undefined : this.byId.get(id);
    if (!s || vote.best < minSimilarity) return null;
    return {
      id: s.id,
      name: s.name[lang],
      department: s.department[lang],
      url: s.url?.[lang] ?? null,
      coverage: vote.best,
      nameHits: 0,
    };
  }
}
