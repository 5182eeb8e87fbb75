import { createLogger } from '../lib/logger';
import { bootstrap } from './bootstrap';

/**
 * `npm run db:migrate`: brings the shared database (PostgreSQL with DATABASE_URL, else the embedded
 * file) to this code's schema and exits, for deployments that migrate ahead of a rollout. The
 * servers and workers run the same migrations at start (under the same lock), so it is optional.
 */
export async function main(): Promise<void> {
  try {
    const foundation = await bootstrap({ logger: createLogger('silent') });
    const engine = foundation.database.engine;
    await foundation.close();
    process.stdout.write(
      `The ${engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} database is up to date.\n`,
    );
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
