#!/usr/bin/env node
'use strict';
// The `mvg` command: the bundled CLI (dist/cli.js, built by `npm run build`).
const path = require('node:path');

let cli;
try {
  cli = require(path.join(__dirname, '..', 'dist', 'cli.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('cli.js')) {
    process.stderr.write("mvg: dist/cli.js is missing; run 'npm run build' in " + path.join(__dirname, '..') + '\n');
    process.exit(3);
  }
  throw e;
}
cli.main(process.argv);
