import { openDatabase } from '../../lib/db';
import { createKnowledge, Knowledge } from '../../knowledge/answering';
import { TEST_MODEL_DIR } from './app';

let cached: Promise<Knowledge> | null = null;

/** The shipped knowledge in an in-memory SQLite database, with its recognizer, inventory and municipalities (built once per test file). */
export function shippedKnowledge(): Promise<Knowledge> {
  cached ??= createKnowledge(openDatabase(':memory:'), TEST_MODEL_DIR, 5);
  return cached;
}
