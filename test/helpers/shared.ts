import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';

/**
 * The read-only shared material (API contract, catalogue, reference data). It sits beside the
 * project (../shared); SHARED_DIR overrides, and /work/shared is where CI clones find it.
 */
export function sharedDir(): string {
  const candidates = [
    process.env.SHARED_DIR,
    path.join(PROJECT_ROOT, '..', 'shared'),
    '/work/shared',
  ].filter(Boolean) as string[];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'kb-catalogue.md')));
  if (!found)
    throw new Error(
      `The shared folder was not found (looked in ${candidates.join(', ')}); set SHARED_DIR.`,
    );
  return found;
}
