#!/usr/bin/env node
// The README's first command (`npm start`): build Async Lens, package it as a
// .vsix, install it into a real VS Code (the VS Code server from the
// code-server package, set up offline under .vscode-test/), serve that
// VS Code on 127.0.0.1 with examples/ open, print the URL, and run the CLI on
// examples/. Then it keeps serving until Ctrl-C. It never opens a browser.
//
//   node scripts/start.js              port 8484, or the first free one
//   node scripts/start.js --port 9000
//   node scripts/start.js --check      start everything, verify it answers and the
//                                      extension is installed, stop (also:
//                                      ASYNC_LENS_START_SMOKE=1)
//
// Its VS Code data (settings, installed extension, state) persists in
// .vscode-test/start/ (--check uses .vscode-test/start-check/, so it never
// disturbs a running `npm start`); the extension is reinstalled from the
// fresh .vsix each time.

'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { PATHS } = require('./vscode-server/paths');
const { packageVsix } = require('./package-vsix');
const { startServer, installExtension, listExtensions, httpGet, portInUse } = require('./vscode-server/server');

const ROOT = path.resolve(__dirname, '..');
const VSIX_NAME = 'async-lens.vsix';
const EXAMPLES = path.join(ROOT, 'examples');
const DEFAULT_PORT = 8484;

function usage() {
  return 'usage: node scripts/start.js [--port N] [--check]';
}

function parseArgs(argv) {
  const options = { port: undefined, check: process.env.ASYNC_LENS_START_SMOKE === '1' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--check') options.check = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[(i += 1)] : arg.slice('--port='.length);
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port needs a port number, got ${JSON.stringify(value)}`);
      options.port = port;
    } else if (arg === '--help' || arg === '-h') {
      console.log(usage());
      process.exit(0);
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  return options;
}

class UsageError extends Error {}
class StartError extends Error {}

const say = (message) => console.log(`[start] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function step(name, fn) {
  const t = Date.now();
  const result = fn();
  say(`${name} (${seconds(Date.now() - t)})`);
  return result;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', encoding: 'utf8' });
  if (result.error) throw new StartError(`${path.basename(args[0] ?? command)}: ${result.error.message}`);
  return result;
}

function build() {
  const result = run(process.execPath, [path.join(ROOT, 'esbuild.js'), '--production']);
  if (result.status !== 0) throw new StartError('the build failed (node esbuild.js --production); see above');
}

/** Packages the extension; returns the .vsix path, or undefined (with a warning) when it cannot. */
function packageVsixOrWarn(vsixPath) {
  try {
    packageVsix(vsixPath);
    return vsixPath;
  } catch (error) {
    say(`warning: packaging the extension failed; VS Code will start without it:\n${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function setup() {
  // No browser needed here: the user brings their own.
  const result = run(process.execPath, [path.join(__dirname, 'vscode-server', 'setup.js'), '--no-browser']);
  if (result.status !== 0) throw new StartError('setting up the VS Code server failed; see above');
}

function runCliOnExamples() {
  console.log(`\n$ node dist/cli.js check examples/`);
  const result = run(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', 'examples/']);
  // 0: no findings, 1: findings (expected: the examples have bugs on purpose).
  if (result.status !== 0 && result.status !== 1) say(`warning: the CLI exited with ${result.status ?? result.signal}`);
  console.log('');
}

function banner(url, port, installed) {
  const lines = [
    'Async Lens in VS Code',
    '',
    `  open ${url}`,
    '',
    installed ? '  examples/ is open; the Python files show squiggles, Ctrl+. offers the fixes.' : '  (the extension could not be packaged; see the warning above)',
    `  From another machine: ssh -L ${port}:127.0.0.1:${port} <this host>, then open the URL there.`,
    '  Stop with Ctrl-C.',
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 2;
  const rule = `+${'-'.repeat(width + 2)}+`;
  return ['', rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule, ''].join('\n');
}

/** One `npm start` per data dir: a second one would reinstall the extension under the first one's server. */
function claimDataDir(dataDir) {
  fs.mkdirSync(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, 'start.pid');
  try {
    const [pid, url] = fs.readFileSync(pidFile, 'utf8').trim().split(' ');
    if (Number(pid) !== process.pid) {
      process.kill(Number(pid), 0);
      throw new StartError(`already running (pid ${pid}) at ${url}; stop it first (Ctrl-C there, or kill ${pid})`);
    }
  } catch (error) {
    if (error instanceof StartError) throw error;
    // No pid file, or its process is gone.
  }
  fs.writeFileSync(pidFile, `${process.pid} starting\n`);
  const release = () => {
    try {
      if (fs.readFileSync(pidFile, 'utf8').startsWith(`${process.pid} `)) fs.rmSync(pidFile);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return (url) => fs.writeFileSync(pidFile, `${process.pid} ${url}\n`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const DATA_DIR = path.join(PATHS.root, options.check ? 'start-check' : 'start');
  const announce = claimDataDir(DATA_DIR);
  if (options.port !== undefined && (await portInUse(options.port))) throw new StartError(`port ${options.port} on 127.0.0.1 is already in use`);

  step('built dist/ (node esbuild.js --production)', build);
  const vsix = step('packaged the extension', () => packageVsixOrWarn(path.join(DATA_DIR, VSIX_NAME)));
  step('VS Code server set up (cached in .vscode-test/)', setup);

  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  const id = 'async-lens.async-lens';
  if (vsix) step(`installed ${path.relative(ROOT, vsix)} into ${path.relative(ROOT, DATA_DIR)}/`, () => installExtension(vsix, { dataDir: DATA_DIR }));

  const server = await startServer({
    dataDir: DATA_DIR,
    folder: EXAMPLES,
    ...(options.port !== undefined ? { port: options.port } : { preferredPort: DEFAULT_PORT }),
    // Show the extension's walkthrough entry, but no other first-run pages.
    settings: { 'workbench.startupEditor': 'none' },
  });
  if (options.port === undefined && server.port !== DEFAULT_PORT) say(`port ${DEFAULT_PORT} is busy; using ${server.port}`);
  const url = `${server.url}?folder=${encodeURI(EXAMPLES)}`;
  announce(url);
  say(`VS Code server ready in ${seconds(server.readyMilliseconds)} (log: ${path.relative(ROOT, server.logFile)})`);

  if (options.check) {
    try {
      const { status, body } = await httpGet(url);
      if (status !== 200 || !/workbench/i.test(body)) throw new StartError(`GET ${url} answered ${status}, not the VS Code workbench`);
      say(`GET ${url}: HTTP ${status}`);
      const installed = listExtensions({ dataDir: DATA_DIR });
      const expected = `${id}@${version}`;
      if (!installed.includes(expected)) throw new StartError(`${expected} is not installed (installed: ${installed.join(', ') || 'nothing'})`);
      say(`installed extensions: ${installed.join(', ')}`);
      runCliOnExamples();
    } finally {
      await server.stop();
    }
    if (server.alive()) throw new StartError('the VS Code server is still running after stop()');
    say(`check passed in ${seconds(Date.now() - started)}; the server is stopped`);
    return 0;
  }

  runCliOnExamples();
  console.log(banner(url, server.port, Boolean(vsix)).trim());
  say(`ready in ${seconds(Date.now() - started)}; serving until Ctrl-C`);

  // Ctrl-C / SIGTERM: processes.js stops the server (its cleanup) and exits.
  const { code, signal } = await server.exited;
  if (server.stopRequested) return 0;
  throw new StartError(`the VS Code server stopped unexpectedly (${signal ?? `exit code ${code}`}); its log: ${server.logFile}\n${server.output()}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof UsageError) {
      console.error(`[start] ${error.message}\n${usage()}`);
      process.exitCode = 64;
      return;
    }
    console.error(`[start] ${error instanceof Error ? error.message : error}`);
    if (!(error instanceof StartError) && process.env.ASYNC_LENS_DEBUG) console.error(error);
    process.exitCode = 1;
  },
);
