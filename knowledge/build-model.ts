import { loadConfig } from '../lib/config';
import { openDatabase } from '../lib/db';
import { loadKnowledge } from './load';
import { createRecognizer } from './nlu/recognizer';
import { KnowledgeRepository } from './repository';

/**
 * `npm run build` (and `npm ci`, through the prepare script), after transpiling: validates the
 * knowledge base and trains the NLU model into the model folder, so that `npm start` only loads it.
 * No data is touched: the search index used here lives in memory.
 */
export async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const kb = loadKnowledge();
  const db = openDatabase(':memory:');
  const repo = new KnowledgeRepository(db);
  repo.seed(kb);
  const { trained } = await createRecognizer(kb, repo, config.modelDir);
  db.close();
  process.stdout.write(
    `Knowledge ${kb.version}: ${kb.records.length} records; NLU model ${trained ? 'trained' : 'already up to date'} in ${config.modelDir} (${Date.now() - started} ms)\n`,
  );
}
