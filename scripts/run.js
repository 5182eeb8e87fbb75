'use strict';
// Runs a TypeScript entry point from dist/ (rebuilt first when a source changed):
//   node scripts/run.js bot/token-cli.ts [args…]
// The module's exported main(argv) is called with the remaining arguments.
const path = require('node:path');
const { ensureBuilt, DIST } = require('./build');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run.js path/to/entry.ts [args…]\n');
  process.exit(2);
}
ensureBuilt();
const mod = require(path.join(DIST, entry.replace(/\.ts$/, '.js')));
Promise.resolve(mod.main(args)).catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
