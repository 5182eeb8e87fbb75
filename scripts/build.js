'use strict';
// Transpiles the TypeScript sources to dist/ (CommonJS, Node 20) with esbuild: a second, not a
// minute, so `npm start` can rebuild whenever a source is newer than the last build. Type checking
// is `npm run typecheck` (run by `npm test`).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
// Benchmarks run from dist too, with the browser helper they share with the end-to-end tests.
const SOURCE_DIRS = ['bot', 'dialogs', 'knowledge', 'campaigns', 'jobs', 'lib', 'test/bench', 'test/e2e'];
const STAMP = path.join(DIST, '.build-stamp');

/** Files below `dir` whose name matches `pattern`. */
function walk(dir, pattern, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, pattern, out);
    else if (pattern.test(entry.name)) out.push(p);
  }
  return out;
}

function sources() {
  return SOURCE_DIRS.flatMap((d) => walk(path.join(ROOT, d), /^(?!.*\.(d|test)\.ts$).*\.ts$/));
}

const WEB = path.join(ROOT, 'web');

/** Front-end sources and styles (bundled per page), and the locale files pages embed. */
function webInputs() {
  return walk(WEB, /\.(ts|css|svg)$/);
}

function isStale() {
  if (!fs.existsSync(STAMP)) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  const stamp = fs.readFileSync(STAMP, 'utf8');
  const files = [...sources(), ...webInputs()];
  if (stamp !== String(files.length)) return true;
  return files.some((f) => fs.statSync(f).mtimeMs > built);
}

/** One minified bundle per page (web/pages/*.ts -> dist/web/pages/*.js), plus the stylesheet. */
function buildWeb(esbuild) {
  const pagesDir = path.join(WEB, 'pages');
  if (!fs.existsSync(pagesDir)) return;
  const pages = fs.readdirSync(pagesDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(pagesDir, f));
  esbuild.buildSync({
    entryPoints: pages,
    outdir: path.join(DIST, 'web', 'pages'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(WEB, 'styles', 'site.css'), path.join(DIST, 'web', 'site.css'));
  fs.copyFileSync(path.join(WEB, 'styles', 'favicon.svg'), path.join(DIST, 'web', 'favicon.svg'));
  // Microsoft's Web Chat, as its own prebuilt bundle (React and Adaptive Cards included).
  fs.mkdirSync(path.join(DIST, 'web', 'vendor'), { recursive: true });
  // The package's exports map hides dist/, so the file is taken from its folder.
  const webchat = path.join(ROOT, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');
  fs.copyFileSync(webchat, path.join(DIST, 'web', 'vendor', 'webchat.js'));
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
  buildWeb(esbuild);
  fs.writeFileSync(STAMP, String(files.length + webInputs().length));
}

function ensureBuilt() {
  if (isStale()) build();
}

module.exports = { ensureBuilt, build, DIST };

if (require.main === module) build();
