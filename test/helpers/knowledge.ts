import { openDatabase } from '../../lib/db';
import { KnowledgeBase, loadKnowledge } from '../../knowledge/load';
import { createRecognizer, Recognizer } from '../../knowledge/nlu/recognizer';
import { KnowledgeRepository } from '../../knowledge/repository';
import { TEST_MODEL_DIR } from './app';

let cached: Promise<{ kb: KnowledgeBase; repo: KnowledgeRepository; recognizer: Recognizer }> | null = null;

/** The shipped knowledge base in an in-memory SQLite database, with its recognizer (built once per test file). */
export function shippedKnowledge() {
  cached ??= (async () => {
    const kb = loadKnowledge();
    const repo = new KnowledgeRepository(openDatabase(':memory:'));
    repo.seed(kb);
    const { recognizer } = await createRecognizer(kb, repo, TEST_MODEL_DIR);
    return { kb, repo, recognizer };
  })();
  return cached;
}
