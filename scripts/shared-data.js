'use strict';
// The shared reference data, for the generators only (never loaded at run time): where it is, and a
// small CSV reader (quoted cells, doubled quotes).
const fs = require('node:fs');
const path = require('node:path');

/** The shared folder: the first argument, SHARED_DIR, beside the project, or /work/shared. */
function sharedDir(argument = process.argv[2]) {
  const root = path.resolve(__dirname, '..');
  const found = [argument, process.env.SHARED_DIR, path.join(root, '..', 'shared'), '/work/shared']
    .filter(Boolean)
    .find((d) => fs.existsSync(path.join(d, 'data', 'SOURCES.md')));
  if (!found) throw new Error('shared folder not found: pass it as the first argument');
  return found;
}

/** The rows of a CSV file in the shared data folder, as objects keyed by the header. */
function readCsv(shared, file) {
  const text = fs
    .readFileSync(path.join(shared, 'data', file), 'utf8')
    .replace(/\r/g, '')
    .trim();
  const rows = [];
  for (const line of text.split('\n')) {
    const cells = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '"') {
        if (quoted && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = !quoted;
      } else if (ch === ',' && !quoted) {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, (r[i] ?? '').trim()])));
}

module.exports = { readCsv, sharedDir };
