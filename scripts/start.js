'use strict';
// `npm start`: rebuild dist/ if a source changed, then start (bot/start.ts main(): the cluster's
// primary, or the server).
const path = require('node:path');
const { ensureBuilt, DIST } = require('./build');

ensureBuilt();
require(path.join(DIST, 'bot', 'start.js'))
  .main()
  .catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
