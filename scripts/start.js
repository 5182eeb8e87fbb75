'use strict';
// `npm start`: rebuild dist/ if a source changed, then start the server (bot/index.ts main()).
const path = require('node:path');
const { ensureBuilt, DIST } = require('./build');

ensureBuilt();
require(path.join(DIST, 'bot', 'index.js'))
  .main()
  .catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
