import { bootstrap } from './bootstrap';

/**
 * `npm run build` (and `npm ci`, through the prepare script), after transpiling: validates the
 * knowledge base and trains the NLU model into the model folder, so that `npm start` only loads it.
 * No data is touched: the database used here lives in memory.
 */
export async function main(): Promise<void> {
  const started = Date.now();
  const built = await bootstrap({ dataDir: ':memory:', knowledge: 'full' });
  const { kb, trained } = built.knowledge!;
  const modelDir = built.config.modelDir;
  await built.close();
  process.stdout.write(
    `Knowledge ${kb.version}: ${kb.records.length} records; NLU model ${trained ? 'trained' : 'already up to date'} in ${modelDir} (${Date.now() - started} ms)\n`,
  );
}
