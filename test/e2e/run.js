#!/usr/bin/env node
// Runs the end-to-end suite (out/e2e/suite/*.test.js) inside a real VS Code
// extension host, offline: the VS Code server from the code-server package
// (Node 24) with the smoke-test driver, opened by headless Debian Chromium.
//
//   node test/e2e/run.js                      (npm run test:e2e)
//   ASYNC_LENS_E2E_GREP=diagnostics node test/e2e/run.js
//
// Steps: set up the server and browser (cached under .vscode-test/), build if
// needed, copy test/e2e/workspace/ into a fresh run folder, start the server,
// open the workbench with this project as the extension under development and
// out/e2e/suite/index.js as its tests, print the extension host's output as it
// comes, and exit with the suite's exit code. Browser and server are always
// stopped, and the run checks that none of their processes is left.
//
// Environment:
//   ASYNC_LENS_E2E_GREP      only tests whose full title matches (mocha grep)
//   ASYNC_LENS_E2E_TIMEOUT   overall limit in seconds (default 480)
//   ASYNC_LENS_E2E_KEEP=1    keep the run folder even when the suite passes
//   ASYNC_LENS_E2E_VERBOSE=1 also print the workbench's own log lines
//   ASYNC_LENS_HEADED=1      show the browser (needs a display)
// The extension host inherits the server's environment: the tests see
// ASYNC_LENS_E2E_WORKSPACE (the workspace copy) and ASYNC_LENS_E2E_GREP.
//
// Exit codes: the suite's (0 passed, 1 failed), 2 when the harness itself failed
// (setup, server, browser, timeout, stray processes).

'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const { PATHS } = require('../../scripts/vscode-server/paths');
const { startServer } = require('../../scripts/vscode-server/server');
const { launchBrowser } = require('../../scripts/vscode-server/browser');
const { interrupted, onCleanup, findMarked, sleep } = require('../../scripts/vscode-server/processes');

const TIMEOUT_S = Number(process.env.ASYNC_LENS_E2E_TIMEOUT || 480);
const KEEP = process.env.ASYNC_LENS_E2E_KEEP === '1';
const VERBOSE = process.env.ASYNC_LENS_E2E_VERBOSE === '1';
const KEEP_RUNS = 3;

const SUITE_DIR = path.join(ROOT, 'out', 'e2e', 'suite');
const SUITE_INDEX = path.join(SUITE_DIR, 'index.js');
const BUILT = [path.join(ROOT, 'dist', 'extension.js'), path.join(ROOT, 'dist', 'analysis-worker.js'), SUITE_INDEX];
const SOURCES = [path.join(ROOT, 'src'), path.join(ROOT, 'test', 'e2e'), path.join(ROOT, 'esbuild.js'), path.join(ROOT, 'package.json')];

const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (message) => console.log(`[e2e] ${message}`);

class HarnessError extends Error {}

function setup() {
  const t = Date.now();
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'vscode-server', 'setup.js')], { stdio: 'inherit' });
  if (result.status !== 0) throw new HarnessError(`setup failed (exit ${result.status ?? result.signal}); see its output above`);
  return Date.now() - t;
}

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    if (entry.isDirectory() || /\.(ts|js|json)$/.test(entry.name)) newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** Builds with esbuild when an output is missing or older than the sources. */
function buildIfNeeded() {
  const outputs = BUILT.map((file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0));
  const sources = Math.max(...SOURCES.map(newestMtime));
  if (Math.min(...outputs) >= sources) return 0;
  const t = Date.now();
  say(outputs.includes(0) ? 'building (dist/ or out/e2e/ is missing): node esbuild.js' : 'sources changed since the last build: node esbuild.js');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new HarnessError('the build failed; see its output above');
  for (const file of BUILT) if (!fs.existsSync(file)) throw new HarnessError(`the build did not produce ${path.relative(ROOT, file)}`);
  return Date.now() - t;
}

/** True when the run that made folder `name` (e2e-<stamp>-<pid>) may still be going. */
function runInProgress(name) {
  const pid = Number(/-(\d+)$/.exec(name)?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** A fresh run folder with a copy of the test workspace; finished runs beyond the last few are removed. */
function makeRunFolder(kind = 'e2e') {
  fs.mkdirSync(PATHS.runs, { recursive: true });
  const finished = fs.readdirSync(PATHS.runs).filter((name) => name.startsWith(`${kind}-`) && !runInProgress(name)).sort();
  for (const name of finished.slice(0, Math.max(0, finished.length - (KEEP_RUNS - 1)))) {
    fs.rmSync(path.join(PATHS.runs, name), { recursive: true, force: true });
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const runDir = path.join(PATHS.runs, `${kind}-${stamp}-${process.pid}`);
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(runDir, { recursive: true });
  fs.cpSync(path.join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  return { runDir, workspace };
}

/** Marks what the suite's console printed (see test/e2e/suite/index.ts), to tell it from the workbench's own log. */
const OUTPUT_PREFIX = '\u2063e2e\u2063 ';

/** The workbench's log: the suite's output is printed, the rest kept in a file (printed when verbose). */
class WorkbenchLog {
  constructor(file) {
    this.stream = fs.createWriteStream(file);
    this.errors = [];
    this.suiteLines = 0;
  }
  add(level, message) {
    const text = String(message);
    if (text.startsWith(OUTPUT_PREFIX)) {
      const body = text.slice(OUTPUT_PREFIX.length);
      this.suiteLines += 1;
      this.stream.write(`${level}\t[suite] ${body}\n`);
      (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${body}\n`);
      return;
    }
    this.stream.write(`${level}\t${text}\n`);
    if (level === 'error') this.errors.push(text);
    if (VERBOSE) process.stderr.write(`[workbench ${level}] ${text}\n`);
  }
  /** The workbench's errors, first lines only (for when the suite failed without saying why). */
  summary(limit = 15) {
    const firstLines = [...new Set(this.errors.map((text) => text.split('\n')[0].slice(0, 300)))];
    return firstLines.slice(-limit).map((line) => `  ${line}`).join('\n');
  }
  close() {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

async function runSuite(timings) {
  const { runDir, workspace } = makeRunFolder();
  say(`run folder ${path.relative(ROOT, runDir)}`);
  let server;
  let browser;
  let passed = false;
  const killStrays = () => {
    for (const { pid } of findMarked(runDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
  };
  const unregisterStrays = onCleanup(killStrays);
  try {
    let t = Date.now();
    // An installed extension with TypeScript 7's identity, for the tests of VS Code on TypeScript 7
    // (see its package.json; the server takes one extensionDevelopmentPath only). The server lists
    // the folders of a new extensions directory on its first start.
    fs.cpSync(path.join(ROOT, 'test', 'e2e', 'typescript-7'), path.join(runDir, 'extensions', 'typescriptteam.native-preview-0.0.0'), { recursive: true });
    server = await startServer({
      dataDir: runDir,
      smokeTestDriver: true,
      // Extension hosts outlive a closed page for this long; we stop the server anyway.
      args: ['--reconnection-grace-time', '30'],
      settings: { 'git.enabled': false },
      env: {
        ASYNC_LENS_E2E: '1',
        ASYNC_LENS_E2E_WORKSPACE: workspace,
        ASYNC_LENS_E2E_OUTPUT_PREFIX: OUTPUT_PREFIX,
        ...(process.env.ASYNC_LENS_E2E_GREP ? { ASYNC_LENS_E2E_GREP: process.env.ASYNC_LENS_E2E_GREP } : {}),
      },
    });
    timings.server = Date.now() - t;
    say(`VS Code server ready at ${server.url} in ${seconds(timings.server)} (pid ${server.pid})`);

    t = Date.now();
    browser = await launchBrowser({ dir: runDir });
    timings.browser = Date.now() - t;

    const { page } = browser;
    const workbenchLog = new WorkbenchLog(path.join(runDir, 'workbench.log'));
    const consoleLog = fs.createWriteStream(path.join(runDir, 'browser-console.log'));
    page.on('console', (message) => consoleLog.write(`${message.type()}\t${message.text()}\n`));
    page.on('pageerror', (error) => consoleLog.write(`pageerror\t${error.stack ?? error.message}\n`));

    let finish;
    const outcome = new Promise((resolve) => {
      finish = (result) => resolve(interrupted() ? { error: `interrupted (${interrupted()})`, interrupted: true } : result);
    });
    await page.exposeFunction('codeAutomationLog', (level, message) => workbenchLog.add(level, message));
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      // `logs`: the workbench's log files ({ relativePath, contents }), kept for diagnosis.
      for (const { relativePath, contents } of Array.isArray(logs) ? logs : []) {
        const file = path.join(runDir, 'logs', relativePath);
        if (!file.startsWith(path.join(runDir, 'logs'))) continue;
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, contents);
      }
      finish({ code: Number(code) });
    });
    page.on('crash', () => finish({ error: 'the browser page crashed' }));
    page.on('close', () => finish({ error: 'the browser page closed before the tests finished' }));
    server.exited.then(({ code, signal }) => finish({ error: `the VS Code server exited early (${signal ?? `code ${code}`}); its output is in ${server.logFile}` }));

    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(ROOT)],
      ['extensionTestsPath', server.remoteUri(SUITE_INDEX)],
    ];
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    t = Date.now();
    say('opening the workbench; the extension host runs the suite');
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const remaining = TIMEOUT_S * 1000 - (Date.now() - started);
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ error: `timed out: the suite did not finish within ${TIMEOUT_S} s (ASYNC_LENS_E2E_TIMEOUT). The workbench log is in ${path.join(runDir, 'workbench.log')}` }), Math.max(remaining, 1000));
    });
    const result = await Promise.race([outcome, timedOut]);
    clearTimeout(timer);
    timings.tests = Date.now() - t;
    await workbenchLog.close();
    await new Promise((resolve) => consoleLog.end(resolve));
    if (!result.interrupted && (result.error || (result.code !== 0 && workbenchLog.suiteLines === 0)) && workbenchLog.errors.length > 0) {
      // Say why when the extension host failed before or outside the tests (a missing build, an activation error…).
      console.error(`[e2e] the workbench logged these errors (all of it is in ${path.join(runDir, 'workbench.log')}):\n${workbenchLog.summary()}`);
    }
    if (result.error) throw new HarnessError(result.error);
    passed = result.code === 0;
    return { code: result.code, runDir };
  } finally {
    const t = Date.now();
    if (browser) await browser.close();
    if (server) await server.stop();
    // Anything still carrying this run's marker escaped the process groups.
    let strays = findMarked(runDir);
    for (let i = 0; strays.length > 0 && i < 20; i += 1) {
      await sleep(100);
      strays = findMarked(runDir);
    }
    killStrays();
    unregisterStrays();
    timings.stop = Date.now() - t;
    if (strays.length > 0) {
      throw new HarnessError(`processes of the run were still alive after stopping (now killed):\n${strays.map((s) => `  ${s.pid} ${s.command}`).join('\n')}`);
    }
    if (passed && !KEEP) fs.rmSync(runDir, { recursive: true, force: true });
    else say(`kept the run folder for inspection: ${runDir} (server.log, workbench.log, browser-console.log, logs/)`);
  }
}

async function main() {
  const timings = {};
  let code = 2;
  try {
    timings.setup = setup();
    timings.build = buildIfNeeded();
    ({ code } = await runSuite(timings));
    say(code === 0 ? 'the suite passed' : `the suite failed (exit code ${code})`);
  } catch (error) {
    code = 2;
    console.error(`[e2e] ${error instanceof HarnessError ? '' : 'harness error: '}${error instanceof HarnessError ? error.message : error?.stack ?? error}`);
  }
  const parts = Object.entries(timings).map(([name, ms]) => `${name} ${seconds(ms)}`);
  say(`total ${seconds(Date.now() - started)} (${parts.join(', ')})`);
  process.exitCode = code;
}

if (require.main === module) main();

module.exports = { buildIfNeeded, makeRunFolder, HarnessError, ROOT, SUITE_INDEX };
