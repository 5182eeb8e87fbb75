const path = require('node:path');

/**
 * Three tiers of tests, by what a test touches. `npm test` runs all three; `npx jest
 * --selectProjects unit` (or integration, e2e) runs one.
 *
 * - unit: functions and dialogs in this process, over the shipped data and model, with state in
 *   `:memory:` SQLite at most. No port, no Redis, no data directory, no child process, no browser.
 * - integration: a real server on 127.0.0.1 (the app, or a local server playing a platform or a
 *   feed), Redis, PostgreSQL (a schema per run), SQLite in a data directory, a CLI run to its end.
 * - e2e: a real browser against the running app, and several processes: npm start's cluster,
 *   server and worker processes started, killed or stopped as in production.
 *
 * Paths under test/. A test file not listed as unit or e2e is integration.
 */
const UNIT = [
  'dialogs/**',
  'knowledge/**',
  'lib/**',
  'web/**',
  'bot/teams-package.test.ts',
  'campaigns/validation.test.ts',
];
/**
 * In a unit folder, but they run a CLI (population), use Redis and the app (rate-limit) or run the
 * stores on PostgreSQL as well as SQLite (usage, ranking with waits and outreach).
 */
const NOT_UNIT = [
  'knowledge/population.test.ts',
  'lib/rate-limit.test.ts',
  'knowledge/usage-store.test.ts',
  'knowledge/offices/ranking.test.ts',
  'lib/migrations.test.ts',
  'lib/secrets.test.ts',
  'knowledge/offices/shared-stores.test.ts',
];
const E2E = ['e2e/**', 'faults/**', 'bot/cluster.test.ts', 'jobs/worker-kill.test.ts'];

/** A folder (`name/**`) or file under test/ as a glob; `!` in front leaves it out. */
const files = (p) => path.join(__dirname, 'test', p.endsWith('.test.ts') ? p : `${p}/*.test.ts`);
const except = (p) => `!${files(p)}`;

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Type checking is `npm run typecheck` (part of `npm test`); ts-jest only transpiles each file on
  // its own (isolatedModules, set in tsconfig.json), which is fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: [...UNIT.map(files), ...NOT_UNIT.map(except)] },
    {
      ...common,
      displayName: 'integration',
      // Everything, less the other tiers; a later glob wins, which puts NOT_UNIT back.
      testMatch: [files('**'), ...[...UNIT, ...E2E].map(except), ...NOT_UNIT.map(files)],
    },
    { ...common, displayName: 'e2e', testMatch: E2E.map(files) },
  ],
  // Many integration tests start an app, which builds the knowledge in process: seconds on a quiet
  // machine, more than 30 s at times when both jest workers and a training test share the 2 cores.
  testTimeout: 60000,
  maxWorkers: 2,
};
