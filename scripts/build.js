'use strict';
// Transpiles the TypeScript sources to dist/ (CommonJS, Node 20) with esbuild: a second, not a
// minute, so `npm start` can rebuild whenever a source is newer than the last build. Type checking
// is `npm run typecheck` (run by `npm test`).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const SOURCE_DIRS = ['bot', 'dialogs', 'knowledge', 'campaigns', 'jobs', 'lib', 'test/bench'];
const STAMP = path.join(DIST, '.build-stamp');

function sources() {
  const out = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(ROOT, d));
  return out;
}

function isStale() {
  if (!fs.existsSync(STAMP)) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  const stamp = fs.readFileSync(STAMP, 'utf8');
  const files = sources();
  if (stamp !== String(files.length)) return true;
  return files.some((f) => fs.statSync(f).mtimeMs > built);
}

function build() {
  const esbuild = require('esbuild');
  const files = sources();
  fs.rmSync(DIST, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: files,
    outdir: DIST,
    outbase: ROOT,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  fs.writeFileSync(STAMP, String(files.length));
}

function ensureBuilt() {
  if (isStale()) build();
}

module.exports = { ensureBuilt, build, DIST };

if (require.main === module) build();
