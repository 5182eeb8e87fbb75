import cluster from 'node:cluster';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { runPrimary } from './cluster';

/**
 * `npm start`: with WEB_CONCURRENCY > 1 (one per core by default) the cluster's primary, which
 * loads none of the app (bot/cluster.ts); otherwise, and in each server process, the app
 * (bot/index.ts), loaded only then.
 */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) return runPrimary(config, logger);
  // Loaded here, not imported above: the primary never needs it. (A dynamic import() would resolve as
  // an ES module from the CommonJS build, without file extensions.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when serving, typed by the cast
  const { serve } = require('./index') as typeof import('./index');
  return serve(config, logger);
}
