'use strict';
// Transpiles the TypeScript sources to dist/ (CommonJS, Node 20) with esbuild: a second, not a
// minute, so `npm start` can rebuild whenever a source is newer than the last build. Type checking
// is `npm run typecheck` (run by `npm test`).
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
// Benchmarks run from dist too, with the browser helper they share with the end-to-end tests and
// the fake platforms of test/helpers.
const SOURCE_DIRS = [
  'bot',
  'dialogs',
  'knowledge',
  'campaigns',
  'jobs',
  'lib',
  'test/bench',
  'test/helpers',
  'test/e2e',
];
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
  return walk(WEB, /\.(ts|mjs|js|css|svg)$/);
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
  const pages = fs
    .readdirSync(pagesDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(pagesDir, f));
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
  // Microsoft's Web Chat from its ES modules, with React 18 and Adaptive Cards but without the speech
  // SDKs: a third smaller than the package's prebuilt webchat.js, and as much faster to start.
  const vendor = path.join(WEB, 'vendor');
  const noSpeech = path.join(vendor, 'no-speech.js');
  esbuild.buildSync({
    entryPoints: [path.join(vendor, 'webchat.mjs')],
    outfile: path.join(DIST, 'web', 'vendor', 'webchat.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    alias: {
      // These packages' ES5 builds ship without the files their exports name; the originals are installed.
      'p-defer-es5': 'p-defer',
      'markdown-it-attrs-es5': 'markdown-it-attrs',
      'abort-controller-es5': 'abort-controller',
      punycode: path.join(vendor, 'punycode.js'),
      'microsoft-cognitiveservices-speech-sdk': noSpeech,
      'web-speech-cognitive-services': noSpeech,
      'botframework-directlinespeech-sdk': noSpeech,
      'botframework-streaming': noSpeech,
    },
  });
  // Compressed once here, so the server's first visitor does not wait a second for Web Chat's gzip.
  for (const file of fs.readdirSync(path.join(DIST, 'web'), { recursive: true })) {
    const full = path.join(DIST, 'web', String(file));
    if (/\.(js|css|svg)$/.test(full) && fs.statSync(full).isFile())
      fs.writeFileSync(`${full}.gz`, zlib.gzipSync(fs.readFileSync(full), { level: 9 }));
  }
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

const LOCK = path.join(ROOT, '.build-lock');
const LOCK_STALE_MS = 120_000;
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Rebuilds when a source changed. Processes that start together (test files run in parallel, several
 * workers) build one at a time: the others wait, then find the build fresh, so none of them deletes
 * dist/ while another serves from it.
 */
function ensureBuilt() {
  if (!isStale()) return;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(LOCK, 'wx'));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > LOCK_STALE_MS)
          fs.rmSync(LOCK, { force: true });
      } catch {
        // released meanwhile
      }
      sleep(100);
    }
  }
  try {
    if (isStale()) build();
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

module.exports = { ensureBuilt, build, DIST };

if (require.main === module) build();
