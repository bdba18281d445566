// Starts and stops the plain VS Code server (from the code-server package,
// run with Node 24; see setup.js), and installs .vsix files into it.
//
//   const { startServer } = require('./server');
//   const server = await startServer({ dataDir, folder, smokeTestDriver: true });
//   console.log(server.url);           // http://127.0.0.1:<port>/
//   await server.stop();               // kills the whole process tree
//
// Everything the server writes stays under `dataDir`:
//   dataDir/server/       --server-data-dir
//   dataDir/user/         --user-data-dir (User/settings.json is the user settings)
//   dataDir/extensions/   --extensions-dir (unless `extensionsDir` is given)
//   dataDir/home, tmp/    HOME, TMPDIR, XDG_* of the server and its extension hosts
//   dataDir/server.log    the server's output
//
// The server runs in its own process group led by guardian.js, so stop() (and
// Ctrl-C, via processes.js) reaches every process of its tree, and the tree
// dies with this process even when it is SIGKILLed.

'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { PATHS } = require('./paths');
const { onCleanup, onExit, killGroup, groupAlive, isolatedEnv, sleep } = require('./processes');

const HOST = '127.0.0.1';
const GUARDIAN = path.join(__dirname, 'guardian.js');

/** User settings that keep first-run noise (welcome page, AI, telemetry, updates, tips) away. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'npm.fetchOnlinePackageInfo': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** A free TCP port on 127.0.0.1 (preferring `preferred` when it is free). */
async function freePort(preferred) {
  const tryListen = (port) =>
    new Promise((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(undefined));
      probe.listen({ host: HOST, port, exclusive: true }, () => {
        const { port: bound } = probe.address();
        probe.close(() => resolve(bound));
      });
    });
  if (preferred !== undefined) {
    const port = await tryListen(preferred);
    if (port !== undefined) return port;
  }
  const port = await tryListen(0);
  if (port === undefined) throw new Error('could not find a free port on 127.0.0.1');
  return port;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** GET `url`; resolves with the status code and body (up to 64 KiB), rejects on connection errors. */
function httpGet(url, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      const chunks = [];
      let size = 0;
      response.on('data', (chunk) => {
        if (size < 65536) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/** Keeps the last `limit` characters of a stream's output (for error messages). */
class Tail {
  constructor(limit = 4000) {
    this.limit = limit;
    this.text = '';
  }
  push(chunk) {
    this.text = (this.text + chunk).slice(-this.limit);
  }
  toString() {
    return this.text.trimEnd();
  }
}

function writeSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let existing = {};
  try {
    existing = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // Missing or not plain JSON (hand-edited with comments): start over.
  }
  fs.writeFileSync(file, `${JSON.stringify({ ...existing, ...settings }, null, 2)}\n`);
}

function checkInstalled() {
  for (const [what, file] of [['Node 24', PATHS.node24], ['the VS Code server', PATHS.codeServerMain]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} is not installed (${file}); run: node scripts/vscode-server/setup.js`);
  }
}

function directories(dataDir, extensionsDir) {
  return {
    serverDataDir: path.join(dataDir, 'server'),
    userDataDir: path.join(dataDir, 'user'),
    extensionsDir: extensionsDir ?? path.join(dataDir, 'extensions'),
  };
}

/**
 * Starts the VS Code server and resolves once it answers HTTP.
 *
 * @param {object} options
 * @param {string} options.dataDir where everything the server writes goes (created)
 * @param {string} [options.folder] opened when the URL has no `?folder=` (`--default-folder`)
 * @param {number} [options.port] fixed port; default: `preferredPort` if free, else any free port
 * @param {number} [options.preferredPort]
 * @param {string} [options.extensionsDir] default `dataDir/extensions`
 * @param {boolean} [options.smokeTestDriver] `--enable-smoke-test-driver` (extension tests via URL payload; hides toasts)
 * @param {Record<string, string>} [options.env] extra environment (the extension hosts inherit it)
 * @param {Record<string, unknown>} [options.settings] user settings, merged over the quiet defaults
 * @param {string[]} [options.args] extra server arguments
 * @param {number} [options.readyTimeoutMs] default 60 s
 * @param {(line: string) => void} [options.onOutput] each line the server prints
 */
async function startServer(options) {
  checkInstalled();
  const started = Date.now();
  const dataDir = path.resolve(options.dataDir);
  const dirs = directories(dataDir, options.extensionsDir);
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  writeSettings(dirs.userDataDir, { ...QUIET_SETTINGS, ...options.settings });

  let port = options.port;
  if (port === undefined) {
    port = await freePort(options.preferredPort);
  } else if (await portInUse(port)) {
    throw new Error(`port ${port} on ${HOST} is already in use`);
  }

  const args = [
    PATHS.codeServerMain,
    '--host', HOST,
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--server-data-dir', dirs.serverDataDir,
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    '--disable-telemetry',
    '--disable-workspace-trust',
    ...(options.smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
    ...(options.folder ? ['--default-folder', path.resolve(options.folder)] : []),
    ...(options.args ?? []),
  ];
  const env = { ...isolatedEnv(dataDir), ...options.env };
  const logFile = path.join(dataDir, 'server.log');
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  log.write(`\n# ${new Date().toISOString()} ${PATHS.node24} ${args.join(' ')}\n`);

  // Its own process group, so stop() reaches the extension hosts, pty host and watchers too.
  // The guardian leads the group and kills it if this process dies without stopping it
  // (SIGKILL, a crash): it watches the stdin pipe we hold open.
  const child = spawn(process.execPath, [GUARDIAN, PATHS.node24, ...args], { cwd: dataDir, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const pgid = child.pid;
  child.stdin.on('error', () => {});
  const tail = new Tail();
  let exit;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      child.stdin.destroy();
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', (error) => {
      exit = { code: null, signal: null, error };
      resolve(exit);
    });
  });
  let partial = '';
  const onData = (chunk) => {
    const text = chunk.toString('utf8');
    tail.push(text);
    log.write(text);
    if (!options.onOutput) return;
    partial += text;
    const lines = partial.split(/\r?\n/);
    partial = lines.pop();
    for (const line of lines) options.onOutput(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (pgid !== undefined) await killGroup(pgid);
      await exited;
      unregisterCleanup();
      unregisterExit();
      await new Promise((resolve) => log.end(resolve));
    })();
    return stopping;
  };
  const unregisterCleanup = onCleanup(stop);
  const unregisterExit = onExit(() => {
    if (pgid !== undefined && groupAlive(pgid)) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
  });

  const url = `http://${HOST}:${port}/`;
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt yet';
  for (;;) {
    if (exit) {
      await stop();
      const how = exit.error ? exit.error.message : exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
      throw new Error(`the VS Code server exited (${how}) before answering on ${url}. Its last output (${logFile}):\n${tail}`);
    }
    try {
      const { status } = await httpGet(url, 2000);
      if (status !== undefined && status < 500) break;
      lastError = `HTTP ${status}`;
    } catch (error) {
      lastError = error.message;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the VS Code server did not answer on ${url} within ${timeoutMs / 1000} s (last: ${lastError}). Its last output (${logFile}):\n${tail}`);
    }
    await sleep(100);
  }

  return {
    url,
    port,
    host: HOST,
    pid: pgid,
    dataDir,
    ...dirs,
    logFile,
    env,
    readyMilliseconds: Date.now() - started,
    /** The server's recent output. */
    output: () => tail.toString(),
    /** Resolves with { code, signal } when the server process ends. */
    exited,
    /** True while any process of the server's tree is alive. */
    alive: () => pgid !== undefined && groupAlive(pgid),
    /** Kills the whole process group (SIGTERM, SIGKILL after 2 s); safe to call twice. */
    stop,
    /** True once stop() was called (by the caller or by the Ctrl-C cleanup). */
    get stopRequested() {
      return stopping !== undefined;
    },
    /** A `vscode-remote://` URI for an absolute path on this server (for extension test payloads). */
    remoteUri: (file) => `vscode-remote://${HOST}:${port}${path.resolve(file).split(path.sep).map(encodeURIComponent).join('/')}`,
  };
}

/** Runs the server's command line (`--install-extension`, `--list-extensions`…) synchronously. */
function serverCli(cliArgs, { dataDir, extensionsDir, timeoutMs = 120_000 }) {
  checkInstalled();
  const dirs = directories(path.resolve(dataDir), extensionsDir);
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const args = [
    PATHS.codeServerMain,
    '--accept-server-license-terms',
    '--server-data-dir', dirs.serverDataDir,
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    ...cliArgs,
  ];
  const result = spawnSync(PATHS.node24, args, {
    cwd: dataDir,
    env: isolatedEnv(path.resolve(dataDir)),
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.error) throw new Error(`VS Code server ${cliArgs[0]}: ${result.error.message}\n${output}`);
  if (result.status !== 0) throw new Error(`VS Code server ${cliArgs.join(' ')} exited with ${result.status}:\n${output}`);
  return output;
}

/** Installs (or reinstalls, `--force`) a .vsix into the server's extensions dir. */
function installExtension(vsixPath, { dataDir, extensionsDir }) {
  const vsix = path.resolve(vsixPath);
  if (!fs.existsSync(vsix)) throw new Error(`no such .vsix: ${vsix}`);
  const output = serverCli(['--install-extension', vsix, '--force'], { dataDir, extensionsDir });
  if (/failed|error/i.test(output) && !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} failed:\n${output}`);
  }
  return output;
}

/** The installed extensions, as `publisher.name@version` strings. */
function listExtensions({ dataDir, extensionsDir }) {
  const output = serverCli(['--list-extensions', '--show-versions'], { dataDir, extensionsDir });
  return output.split('\n').map((line) => line.trim()).filter((line) => /^[\w-]+\.[\w.-]+@/.test(line));
}

module.exports = { startServer, installExtension, listExtensions, serverCli, freePort, portInUse, httpGet, QUIET_SETTINGS, HOST };
