// Process bookkeeping shared by the VS Code server harness:
//
//   - `onCleanup(fn)`: run `fn` (async allowed) before this process ends, on
//     a normal exit of the caller's flow, on SIGINT/SIGTERM/SIGHUP (then exit
//     with 128 + signal number), once each. Synchronous `onExit` hooks also
//     run from `process.on('exit')`, the last chance to SIGKILL children.
//   - `killGroup(pid)`: SIGTERM a process group, SIGKILL it after a grace
//     period, resolve when the group is empty.
//   - `findMarked(marker)`: processes (other than ours) whose environment
//     carries `ASYNC_LENS_RUN_DIR=<marker>`: every process a run starts gets
//     it, so this finds strays even if they left the process group.

'use strict';

const fs = require('node:fs');
const path = require('node:path');

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
const cleanups = new Set();
const exitHooks = new Set();
let installed = false;
let shuttingDown = false;

/** The signal being handled, once SIGINT/SIGTERM/SIGHUP arrived; else undefined. */
let interruptedBy;
const interrupted = () => interruptedBy;

function install() {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const hook of exitHooks) {
      try {
        hook();
      } catch {
        // Best effort: the process is ending.
      }
    }
  });
  for (const [signal, number] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      if (shuttingDown) {
        // A second Ctrl-C: stop waiting for graceful shutdown.
        process.exit(128 + number);
      }
      shuttingDown = true;
      interruptedBy = signal;
      process.stderr.write(`\n[vscode-server] ${signal}: stopping…\n`);
      runCleanups().finally(() => process.exit(128 + number));
    });
  }
}

/** Registers an async cleanup; returns a function that unregisters it. */
function onCleanup(fn) {
  install();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Registers a synchronous hook for `process.on('exit')`; returns its remover. */
function onExit(fn) {
  install();
  exitHooks.add(fn);
  return () => exitHooks.delete(fn);
}

/** Runs (and forgets) every registered cleanup, newest first, each at most 10 s. */
async function runCleanups() {
  const pending = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of pending) {
    try {
      await withTimeout(Promise.resolve().then(fn), 10_000, 'cleanup');
    } catch (error) {
      process.stderr.write(`[vscode-server] cleanup failed: ${error instanceof Error ? error.message : error}\n`);
    }
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Live (not zombie) processes in process group `pgid`, read from /proc; undefined where there is no /proc. */
function groupMembers(pgid) {
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return undefined;
  }
  const members = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(entry));
  }
  return members;
}

/**
 * True while a live process is in process group `pgid`. Zombies do not count:
 * when the server exits first, its children's zombies wait for PID 1 to reap
 * them, which in some containers takes seconds.
 */
function groupAlive(pgid) {
  const members = groupMembers(pgid);
  if (members) return members.length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the group is empty (or after 10 s more). */
async function killGroup(pgid, graceMs = 2000) {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGKILL');
  const hardDeadline = Date.now() + 10_000;
  while (groupAlive(pgid) && Date.now() < hardDeadline) await sleep(50);
}

/** Linux only: processes whose environment has ASYNC_LENS_RUN_DIR=marker. */
function findMarked(marker) {
  const needle = Buffer.from(`\0ASYNC_LENS_RUN_DIR=${marker}\0`);
  const found = [];
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${entry}/environ`)]);
      if (!environ.includes(needle)) continue;
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), command: command.slice(0, 200) });
    } catch {
      // Gone meanwhile, or not ours.
    }
  }
  return found;
}

/** The environment for every process a run starts: its own HOME, TMPDIR and XDG dirs inside `dir`. */
/**
 * Unix sockets (VS Code's IPC, Chromium's singleton socket) live in TMPDIR
 * and their paths may not exceed 107 bytes, which a run folder deep in a CI
 * checkout easily does. A long folder is reached through a short symlink in
 * the system's temporary folder (removed when this process exits), so every
 * file still lands inside the run folder.
 */
function shortPath(folder) {
  fs.mkdirSync(folder, { recursive: true });
  if (folder.length <= 40) return folder;
  const link = path.join('/tmp', `async-lens-${require('node:crypto').createHash('sha1').update(folder).digest('hex').slice(0, 10)}`);
  try {
    if (fs.readlinkSync(link) === folder) return link;
    fs.rmSync(link, { force: true });
  } catch {
    // No link yet.
  }
  try {
    fs.symlinkSync(folder, link);
  } catch {
    return folder;
  }
  onExit(() => fs.rmSync(link, { force: true }));
  return link;
}

function isolatedEnv(dir, base = process.env) {
  const env = {};
  for (const [key, value] of Object.entries(base)) {
    // Variables from an enclosing VS Code terminal or a Node loader would leak into the server.
    if (key.startsWith('VSCODE_') || key.startsWith('ELECTRON_') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  const home = path.join(dir, 'home');
  const tmp = shortPath(path.join(dir, 'tmp'));
  Object.assign(env, {
    HOME: home,
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_RUNTIME_DIR: path.join(tmp, 'runtime'),
    ASYNC_LENS_RUN_DIR: dir,
  });
  for (const folder of [env.XDG_CONFIG_HOME, env.XDG_CACHE_HOME, env.XDG_DATA_HOME, env.XDG_STATE_HOME]) {
    fs.mkdirSync(folder, { recursive: true });
  }
  fs.mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  return env;
}

module.exports = { interrupted, onCleanup, onExit, runCleanups, killGroup, groupAlive, groupMembers, findMarked, isolatedEnv, withTimeout, sleep };
