/**
 * The architecture rules of ../shared/STYLE.md, checked by `npm run lint` (dependency-cruiser).
 * Imports point down: bot/ (the composition root) → dialogs/ → dialogs/cards/ → knowledge/,
 * campaigns/ → lib/. The Bot Framework SDK stays in bot/ and dialogs/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-imports-nothing-of-the-project',
      comment:
        'lib/ is the shared vocabulary and cross-cutting pieces: it imports only itself and packages.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(bot|dialogs|knowledge|campaigns|jobs|web|scripts)/' },
    },
    {
      name: 'botbuilder-only-in-bot-and-dialogs',
      comment:
        'The Bot Framework SDK is out of support: keep it where a move to the Agents SDK stays small.',
      severity: 'error',
      from: { path: '^(?!bot/|dialogs/|test/)' },
      // The SDK's packages; Web Chat (botframework-webchat) is the browser client, not the SDK.
      to: { path: 'node_modules/(botbuilder[^/]*|botframework-(?!webchat)[^/]*)/' },
    },
    {
      name: 'nothing-imports-the-composition-root',
      comment: 'No folder imports from bot/ (types included); bot/ wires everything else.',
      severity: 'error',
      from: { path: '^(dialogs|knowledge|campaigns|jobs|lib|web)/' },
      to: { path: '^bot/' },
    },
    {
      name: 'dialogs-only-above-bot',
      comment: 'The knowledge, campaigns and pages never reach up into the dialogs.',
      severity: 'error',
      from: { path: '^(knowledge|campaigns|jobs|lib|web)/' },
      to: { path: '^dialogs/' },
    },
    {
      name: 'cards-below-dialogs',
      comment: 'Renderers sit below the dialogs that use them.',
      severity: 'error',
      from: { path: '^dialogs/cards/' },
      to: { path: '^dialogs/(?!cards/)' },
    },
    {
      name: 'sqlite-only-in-the-database-module',
      comment: 'Stores get a Db from lib/db; nothing else opens SQLite itself.',
      severity: 'error',
      from: { path: '^(?!lib/db\\.ts$|test/)' },
      to: { path: 'node_modules/better-sqlite3/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'postgres-only-in-the-database-module',
      comment:
        'Repositories get a Database (Kysely) from lib/database; nothing else opens PostgreSQL itself.',
      severity: 'error',
      from: { path: '^(?!lib/database\\.ts$|test/)' },
      to: { path: 'node_modules/pg/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(bot|dialogs|knowledge|campaigns|jobs|lib)/' },
      to: { circular: true },
    },
    {
      name: 'tests-are-not-imported',
      severity: 'error',
      from: { path: '^(bot|dialogs|knowledge|campaigns|jobs|lib|web)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|test-artifacts)/' },
  },
};
