import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${start}`);
    dir = up;
  }
  return dir;
}

/** The project folder, whether code runs from sources (tests) or from dist/ (npm start). */
export const PROJECT_ROOT = findRoot(__dirname);
