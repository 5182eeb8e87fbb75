import { loadConfig } from '../lib/config';
import { openDatabase } from '../lib/db';
import { loadKnowledge } from './load';
import { createRecognizer } from './nlu/recognizer';
import { KnowledgeRepository } from './repository';

/**
 * `npm run build` (after transpiling): validates the knowledge base, seeds the database and trains
 * the NLU model into DATA_DIR, so that `npm start` only loads it.
 */
export async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const kb = loadKnowledge();
  const db = openDatabase(config.dataDir);
  const repo = new KnowledgeRepository(db);
  repo.seed(kb);
  const { trained } = await createRecognizer(kb, repo, config.modelDir);
  db.close();
  process.stdout.write(
    `Knowledge ${kb.version}: ${kb.records.length} records; NLU model ${trained ? 'trained' : 'already up to date'} in ${config.modelDir} (${Date.now() - started} ms)\n`,
  );
}
