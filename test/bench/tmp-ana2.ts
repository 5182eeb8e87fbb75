import { loadKnowledge } from '../../knowledge/load';
import { openDatabase } from '../../lib/db';
import { KnowledgeRepository } from '../../knowledge/repository';
import { createRecognizer } from '../../knowledge/nlu/recognizer';
const TEST_MODEL_DIR = require('path').join(require('os').tmpdir(), 'ontario-assistant-models');
export async function main(args: string[]) {
  const kb = loadKnowledge();
  const repo = new KnowledgeRepository(openDatabase(':memory:'));
  repo.seed(kb);
  const { recognizer } = await createRecognizer(kb, repo, TEST_MODEL_DIR);
  for (const q of args) {
    const r = await recognizer.recognize(q);
    const d = recognizer.detectLanguage(q);
    console.log(JSON.stringify(q), r.language, d.confidence.toFixed(2), r.outOfScope, r.results.slice(0, 4).map((x) => `${x.id}:${x.score.toFixed(3)}`).join(' '));
  }
}
