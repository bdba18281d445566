/*
 * JavaScript/TypeScript benchmarks, not timed tests (see bench/README.md):
 *
 *   1. tsserver: semantic diagnostics of every file of a real TypeScript
 *      project, in a real tsserver without the plugin and with it (started
 *      alternately, several rounds), and the time to a file's first
 *      diagnostics (server start, program, first file); with the plugin's
 *      own analysis time, which it logs when ASYNC_LENS_TSSERVER_TIMING=1
 *      (src/hosts/tsserver/timing.ts);
 *   2. the CLI on the same project, typed (it finds the tsconfig.json) and
 *      syntax-only (a copy without it), next to `tsc --noEmit`.
 *
 * Wall clock and CPU time both (tsserver's from /proc, the commands' from
 * bash's `times`): on a shared machine the wall clock of two identical runs
 * differs by up to 2×, the CPU time by a few per cent.
 *
 *   npm run bench:js -- <project> [--rounds N] [--runs N] [--only tsserver|cli] [--plugin-config JSON]
 *   npx tsx bench/javascript.ts <project> [--rounds N] [--runs N] [--only tsserver|cli] [--plugin-config JSON]
 *
 * <project> is a directory with a tsconfig.json that covers the files under
 * it (the nearest tsconfig.json of each, as tsserver and the CLI find it).
 * How to get the two projects bench/README.md reports: `usage()` below.
 *
 * The plugin and the CLI are bundled by this script (minified, as shipped)
 * into a temporary folder laid out as the packaged extension, so a build of
 * dist/ by someone else meanwhile changes nothing here.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import * as ts from 'typescript';
import { checkPaths, type CheckCounters } from '../src/hosts/cli/check';
import { JS_RULES } from '../src/js/rules';
import { parseTimingLine, TIMING_VARIABLE } from '../src/hosts/tsserver/timing';
import { TsServer } from '../test/support/tsserver';

const ROOT = path.join(__dirname, '..');
const PLUGIN = 'async-lens-tsserver-plugin';
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Loading a large project, or checking its first file on a busy machine, can take a while. */
const LONG_REQUEST = 600_000;

function usage(): never {
  console.error(`Usage: npx tsx bench/javascript.ts <project> [--rounds N] [--runs N] [--only tsserver|cli] [--plugin-config JSON]

<project>: a directory whose tsconfig.json covers the TypeScript files under it.
--rounds:        tsserver rounds, each one server without the plugin and one with it (default 5)
--runs:          runs of each CLI / tsc command (default 5)
--only:          tsserver | cli, one part only
--plugin-config: the plugin's settings, as an editor sends them (e.g. '{"ignore":["AIT104"]}')

The projects in bench/README.md (never commit their files):

  date-fns (1,488 files): fetch github:date-fns/date-fns, then
    mkdir -p /tmp/date-fns && git -C /work/.mirror/date-fns+date-fns/repo archive HEAD src package.json | tar -x -C /tmp/date-fns
    sed -i '/"references"/,/\\],/d' /tmp/date-fns/src/tsconfig.json   # its submodules are not in the archive
    npx tsx bench/javascript.ts /tmp/date-fns/src

  rxjs (231 files): fetch github:ReactiveX/rxjs, then
    mkdir -p /tmp/rxjs && git -C /work/.mirror/ReactiveX+rxjs/repo archive HEAD packages/rxjs/src packages/rxjs/tsconfig.json packages/rxjs/package.json | tar -x -C /tmp/rxjs
    npx tsx bench/javascript.ts /tmp/rxjs/packages/rxjs`);
  process.exit(2);
}

interface Options {
  readonly project: string;
  readonly rounds: number;
  readonly runs: number;
  /** Only one of the two parts. */
  readonly only: 'tsserver' | 'cli' | undefined;
  /** Sent to the plugin with `configurePlugin` (e.g. `{"ignore":["AIT104"]}`, to see what one rule costs). */
  readonly pluginConfig: unknown;
}

function parseArguments(argv: readonly string[]): Options {
  let project: string | undefined;
  let rounds = 5;
  let runs = 5;
  let pluginConfig: unknown;
  let only: Options['only'];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const count = () => {
      const value = Number(argv[++index]);
      if (!Number.isInteger(value) || value < 1) usage();
      return value;
    };
    if (argument === '--rounds') rounds = count();
    else if (argument === '--runs') runs = count();
    else if (argument === '--only') {
      const part = argv[++index];
      if (part !== 'tsserver' && part !== 'cli') usage();
      only = part;
    } else if (argument === '--plugin-config') {
      try {
        pluginConfig = JSON.parse(argv[++index] ?? '');
      } catch {
        usage();
      }
    }
    else if (!argument.startsWith('-') && project === undefined) project = path.resolve(argument);
    else usage();
  }
  if (!project || !fs.existsSync(path.join(project, 'tsconfig.json'))) usage();
  return { project, rounds, runs, only, pluginConfig };
}

// ---- statistics and output ----------------------------------------------------

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ms = (value: number, digits = 0) => `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
const ratio = (value: number) => value.toFixed(2);
const percent = (with_: number, without: number) => `${with_ >= without ? '+' : ''}${(((with_ - without) / without) * 100).toFixed(1)} %`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---- CPU time ------------------------------------------------------------------------
//
// The machine may be shared: other processes stretch wall-clock times a lot
// (2× between two identical runs was seen), CPU times far less. Both are
// reported; the CPU time is what the with/without ratio is judged on.

const CLOCK_TICKS = (() => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(result.stdout) > 0 ? Number(result.stdout) : 100;
})();

/** A live process's CPU time so far (user + system, every thread), from /proc; undefined where there is none. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime: fields 14 and 15 of stat(5), counted after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

const difference = (after: number | undefined, before: number | undefined) => (after === undefined || before === undefined ? undefined : after - before);

// ---- the project ----------------------------------------------------------------

interface Project {
  readonly directory: string;
  /** The tsconfig's own files (no declaration files), in its order. */
  readonly files: readonly string[];
  readonly lines: number;
}

function readProject(directory: string): Project {
  const configFile = path.join(directory, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  for (const error of parsed.errors) console.warn(`${configFile}: ${ts.flattenDiagnosticMessageText(error.messageText, ' ')}`);
  const files = parsed.fileNames.filter((file) => !/\.d\.[mc]?ts$/.test(file)).map((file) => path.resolve(file));
  const lines = files.reduce((sum, file) => sum + fs.readFileSync(file, 'utf8').split('\n').length, 0);
  return { directory, files, lines };
}

// ---- the bundles ----------------------------------------------------------------

/**
 * The plugin and the CLI, minified, laid out as in the packaged extension:
 * <folder>/dist/{cli,tsserver-plugin,typescript}.js and
 * <folder>/node_modules/async-lens-tsserver-plugin (the probe location).
 */
async function buildLayout(folder: string): Promise<{ cli: string; probeLocation: string }> {
  const { ENTRIES, buildOptions } = require(path.join(ROOT, 'esbuild.js')) as {
    ENTRIES: readonly { readonly name: string }[];
    buildOptions(entry: { readonly name: string }): esbuild.BuildOptions;
  };
  const dist = path.join(folder, 'dist');
  for (const [name, file] of [['cli', 'cli.js'], ['tsserver-plugin', 'tsserver-plugin.js']] as const) {
    const entry = ENTRIES.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`esbuild.js has no ${name} entry`);
    await esbuild.build({ ...buildOptions(entry), outfile: path.join(dist, file), minify: true, sourcemap: false, plugins: [], logLevel: 'error' });
  }
  // What the CLI loads from beside itself (esbuild.js's RUNTIME_FILES and RUNTIME_FOLDERS).
  const typescriptLib = path.join(ROOT, 'node_modules', 'typescript', 'lib');
  fs.copyFileSync(path.join(typescriptLib, 'typescript.js'), path.join(dist, 'typescript.js'));
  fs.mkdirSync(path.join(dist, 'typescript-lib'));
  for (const name of fs.readdirSync(typescriptLib).filter((candidate) => /^lib(\..+)?\.d\.ts$/.test(candidate))) {
    fs.copyFileSync(path.join(typescriptLib, name), path.join(dist, 'typescript-lib', name));
  }
  fs.copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(dist, 'web-tree-sitter.wasm'));
  fs.copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), path.join(dist, 'tree-sitter-python.wasm'));
  const plugin = path.join(folder, 'node_modules', PLUGIN);
  fs.mkdirSync(plugin, { recursive: true });
  for (const file of ['package.json', 'index.js']) fs.copyFileSync(path.join(ROOT, 'tsserver-plugin', file), path.join(plugin, file));
  // The rules' pages, which each diagnostic links to.
  fs.cpSync(path.join(ROOT, 'docs', 'rules'), path.join(folder, 'docs', 'rules'), { recursive: true });
  return { cli: path.join(dist, 'cli.js'), probeLocation: folder };
}

// ---- 1. tsserver ------------------------------------------------------------------

interface Session {
  readonly plugin: boolean;
  /** Start → every file open and the project loaded (`updateOpen`, then `projectInfo`). */
  readonly loadMs: number;
  /** tsserver's CPU time until then. */
  readonly loadCpuMs: number | undefined;
  /** `semanticDiagnosticsSync` of the first file: the checker, and that file. */
  readonly firstFileMs: number;
  /** `semanticDiagnosticsSync` of each file, the first included, wall clock. */
  readonly perFileMs: readonly number[];
  /** tsserver's CPU time over all of them. */
  readonly diagnosticsCpuMs: number | undefined;
  readonly diagnostics: number;
  readonly ours: number;
  /** From the plugin's timing lines (by the clock, on tsserver's thread): its own analysis of every file, the compiler diagnostics it asks for included. */
  readonly analysisMs?: number;
  readonly compilerDiagnosticsMs?: number;
  readonly analysedFiles?: number;
  readonly analysisByFile?: ReadonlyMap<string, number>;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const diagnosticsMs = (session: Session) => sum(session.perFileMs);

async function tsserverSession(project: Project, plugin: boolean, probeLocation: string, logFile: string, pluginConfig: unknown): Promise<Session> {
  const started = performance.now();
  const server = new TsServer({
    ...(plugin ? { globalPlugins: [PLUGIN] } : {}),
    probeLocations: [probeLocation],
    logFile,
    env: plugin ? { [TIMING_VARIABLE]: '1' } : {},
  });
  try {
    const [first] = project.files;
    // As an editor sends its settings: before the project exists, so the plugin starts with them.
    if (plugin && pluginConfig !== undefined) await server.request('configurePlugin', { pluginName: PLUGIN, configuration: pluginConfig });
    await server.request('updateOpen', { openFiles: project.files.map((file) => ({ file, projectRootPath: project.directory })) }, LONG_REQUEST);
    // The warm-up request: the project is loaded and up to date.
    await server.request('projectInfo', { file: first, needFileNameList: false }, LONG_REQUEST);
    const loadMs = performance.now() - started;
    const loadCpuMs = processCpuMs(server.pid);
    const perFileMs: number[] = [];
    let diagnostics = 0;
    let ours = 0;
    for (const file of project.files) {
      const before = performance.now();
      const result = await server.request<ts.server.protocol.Diagnostic[]>('semanticDiagnosticsSync', { file }, LONG_REQUEST);
      perFileMs.push(performance.now() - before);
      diagnostics += result.length;
      ours += result.filter((diagnostic) => diagnostic.source === 'Async Lens').length;
    }
    const diagnosticsCpuMs = difference(processCpuMs(server.pid), loadCpuMs);
    const common = { plugin, loadMs, loadCpuMs, firstFileMs: perFileMs[0]!, perFileMs, diagnosticsCpuMs, diagnostics, ours };
    if (!plugin) return common;
    if (!server.log().includes(`${PLUGIN} decorates`)) throw new Error(`the plugin did not load; see ${logFile}`);
    const analysisByFile = new Map<string, number>();
    let analysisMs = 0;
    let compilerDiagnosticsMs = 0;
    for (const line of server.log().split('\n')) {
      const timing = parseTimingLine(line);
      if (!timing) continue;
      analysisMs += timing.rules + timing.compiler;
      compilerDiagnosticsMs += timing.compiler;
      analysisByFile.set(timing.fileName, (analysisByFile.get(timing.fileName) ?? 0) + timing.rules + timing.compiler);
    }
    if (analysisByFile.size === 0) throw new Error(`the plugin logged no timing lines (${TIMING_VARIABLE}=1); see ${logFile}`);
    return { ...common, analysisMs, compilerDiagnosticsMs, analysedFiles: analysisByFile.size, analysisByFile };
  } finally {
    await server.close();
  }
}

/** A measure's median over the sessions that have it, or undefined. */
function medianOf(sessions: readonly Session[], measure: (session: Session) => number | undefined): number | undefined {
  const values = sessions.map(measure).filter((value): value is number => value !== undefined);
  return values.length > 0 ? median(values) : undefined;
}

async function benchTsserver(project: Project, probeLocation: string, folder: string, options: Options): Promise<void> {
  const { rounds, pluginConfig } = options;
  console.log(`\n1. tsserver ${ts.version}: semanticDiagnosticsSync on each of ${project.files.length} open files, ${rounds} rounds (one server without the plugin, one with it, alternately first)` +
    `${pluginConfig === undefined ? '' : `; the plugin configured with ${JSON.stringify(pluginConfig)}`}\n`);
  const sessions: Session[] = [];
  const roundRows: string[][] = [];
  const optional = (value: number | undefined, digits = 0) => (value === undefined ? 'n/a' : ms(value, digits));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [false, true] : [true, false];
    const pair: Partial<Record<'with' | 'without', Session>> = {};
    for (const plugin of order) {
      const session = await tsserverSession(project, plugin, probeLocation, path.join(folder, `tsserver-${round}-${plugin ? 'with' : 'without'}.log`), pluginConfig);
      sessions.push(session);
      pair[plugin ? 'with' : 'without'] = session;
    }
    const withPlugin = pair.with!;
    const without = pair.without!;
    const cpuAdded = withPlugin.diagnosticsCpuMs !== undefined && without.diagnosticsCpuMs !== undefined ? percent(withPlugin.diagnosticsCpuMs, without.diagnosticsCpuMs) : 'n/a';
    roundRows.push([
      `${round + 1} (${order[0] ? 'with' : 'without'} first)`,
      optional(without.diagnosticsCpuMs),
      optional(withPlugin.diagnosticsCpuMs),
      cpuAdded,
      ms(withPlugin.analysisMs!),
      ms(diagnosticsMs(without)),
      ms(diagnosticsMs(withPlugin)),
      percent(diagnosticsMs(withPlugin), diagnosticsMs(without)),
    ]);
    process.stdout.write(`  round ${round + 1}/${rounds} done\n`);
  }
  console.log('\nsemanticDiagnosticsSync over every file, per round (ms):\n');
  console.log(table(['round', 'CPU without', 'CPU with', 'CPU added', 'our analysis', 'wall without', 'wall with', 'wall added'], roundRows));

  const without = sessions.filter((session) => !session.plugin);
  const withSessions = sessions.filter((session) => session.plugin);
  const p95 = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * 0.95)]!;
  const measures: [string, (session: Session) => number | undefined, number][] = [
    ['all files: tsserver CPU time', (session) => session.diagnosticsCpuMs, 0],
    ['all files: wall clock', diagnosticsMs, 0],
    ['all files but the first: wall clock', (session) => sum(session.perFileMs.slice(1)), 0],
    ['per file, median (first file left out)', (session) => median(session.perFileMs.slice(1)), 2],
    ['per file, 95th percentile', (session) => p95(session.perFileMs.slice(1)), 2],
    ['start → project loaded: tsserver CPU time', (session) => session.loadCpuMs, 0],
    ['start → project loaded: wall clock', (session) => session.loadMs, 0],
    ['first file\'s diagnostics', (session) => session.firstFileMs, 0],
    ['time to first diagnostics (the two above)', (session) => session.loadMs + session.firstFileMs, 0],
  ];
  console.log(`\nMedians over ${rounds} rounds (ms):\n`);
  console.log(table(['', 'without plugin', 'with plugin', 'with / without'], measures.map(([label, measure, digits]) => {
    const before = medianOf(without, measure);
    const after = medianOf(withSessions, measure);
    return [label, optional(before, digits), optional(after, digits), before === undefined || after === undefined ? 'n/a' : `${ratio(after / before)} (${percent(after, before)})`];
  })));
  const analysed = medianOf(withSessions, (session) => session.analysedFiles);
  const analysis = medianOf(withSessions, (session) => session.analysisMs)!;
  const cpuWithout = medianOf(without, (session) => session.diagnosticsCpuMs);
  console.log(`\nThe plugin's own analysis (its timing lines, ${TIMING_VARIABLE}=1, by the clock): median ${ms(analysis)} ms over ${analysed} files` +
    `${cpuWithout === undefined ? '' : ` (${((analysis / cpuWithout) * 100).toFixed(1)} % of tsserver's CPU time without the plugin)`},` +
    ` of which ${ms(medianOf(withSessions, (session) => session.compilerDiagnosticsMs)!, 1)} ms asking the compiler's diagnostics (to leave out duplicates of its findings).`);
  console.log(`Diagnostics per session: ${without[0]!.diagnostics} without the plugin, ${withSessions[0]!.diagnostics} with it (${withSessions[0]!.ours} of them Async Lens's).`);
  // Where the plugin spends its time: the files its analysis took longest on (median over rounds).
  const byFile = new Map<string, number[]>();
  for (const session of withSessions) for (const [file, time] of session.analysisByFile!) byFile.set(file, [...(byFile.get(file) ?? []), time]);
  const slowest = [...byFile].map(([file, times]) => [file, median(times)] as const).sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`Its slowest files: ${slowest.map(([file, time]) => `${path.relative(project.directory, file)} ${ms(time, 1)} ms`).join(', ')}.`);
}

// ---- 2. the CLI and tsc -----------------------------------------------------------

interface Timing {
  readonly wallMs: number;
  /** The command's CPU time (user + system, its children included), from bash's `times`. */
  readonly cpuMs: number | undefined;
}

/** `0m1.234s 0m0.056s`, bash's `times` line for the shell's children. */
function parseTimes(line: string | undefined): number | undefined {
  const match = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(line?.trim() ?? '');
  if (!match) return undefined;
  return (Number(match[1]) * 60 + Number(match[2]) + Number(match[3]) * 60 + Number(match[4])) * 1000;
}

/** Runs `node <command…>` `runs` times (after one unmeasured run), with bash's `times` for its CPU time. */
function timeCommand(command: readonly string[], runs: number, okStatuses: readonly number[]): Timing[] {
  const script = '"$@" > /dev/null; status=$?; times >&2; exit $status';
  const run = (): Timing => {
    const started = performance.now();
    const result = spawnSync('bash', ['-c', script, 'bash', process.execPath, ...command], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const wallMs = performance.now() - started;
    if (result.status === null || !okStatuses.includes(result.status)) {
      throw new Error(`${command.join(' ')} exited with ${result.status ?? result.signal}: ${result.stderr.slice(0, 2000)}`);
    }
    // `times` prints the shell's own times, then its children's.
    return { wallMs, cpuMs: parseTimes(result.stderr.trimEnd().split('\n').at(-1)) };
  };
  run();
  return Array.from({ length: runs }, run);
}

/** A copy of the project's files with no tsconfig.json or jsconfig.json, so the CLI checks them from their syntax alone. */
function syntaxOnlyCopy(project: Project, folder: string): string {
  const copy = path.join(folder, 'syntax-only', path.basename(project.directory));
  for (const file of project.files) {
    const target = path.join(copy, path.relative(project.directory, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  for (let directory = copy; ; directory = path.dirname(directory)) {
    const config = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(directory, name)).find((file) => fs.existsSync(file));
    if (config) throw new Error(`${config} is above the syntax-only copy: the CLI would find it`);
    if (path.dirname(directory) === directory) break;
  }
  return copy;
}

async function counters(directory: string): Promise<CheckCounters> {
  const result = await checkPaths([directory]);
  for (const notice of result.notices) console.warn(`  checkPaths: ${notice.level}: ${notice.message}`);
  return result.counters;
}

async function benchCli(project: Project, cli: string, folder: string, runs: number): Promise<void> {
  console.log(`\n2. The CLI and tsc on the same ${project.files.length} files (${ms(project.lines)} lines), median of ${runs} runs after one unmeasured\n`);
  const copy = syntaxOnlyCopy(project, folder);
  // Exit 1 = findings (the CLI) or type errors (tsc): both fine here.
  const rows = [
    { label: `async-lens check, typed (finds ${path.basename(project.directory)}/tsconfig.json)`, timings: timeCommand([cli, 'check', project.directory, '--format', 'json'], runs, [0, 1]) },
    { label: 'async-lens check, syntax-only (a copy without tsconfig.json)', timings: timeCommand([cli, 'check', copy, '--format', 'json'], runs, [0, 1]) },
    // A whole check, as the CLI's is: a composite or incremental project's build info (written by the last tsc run) would skip it.
    { label: 'tsc --noEmit --incremental false --composite false -p <project>', timings: timeCommand([TSC, '--noEmit', '--incremental', 'false', '--composite', 'false', '-p', project.directory], runs, [0, 1, 2]) },
  ];
  const wall = (timings: readonly Timing[]) => median(timings.map((timing) => timing.wallMs));
  const cpu = (timings: readonly Timing[]) => (timings.every((timing) => timing.cpuMs !== undefined) ? median(timings.map((timing) => timing.cpuMs!)) : undefined);
  const tscWall = wall(rows[2]!.timings);
  const tscCpu = cpu(rows[2]!.timings);
  console.log(table(['', 'wall (ms)', 'min–max', 'files/s', 'lines/s', 'tsc / this', 'CPU (ms)', 'tsc / this, CPU'], rows.map(({ label, timings }) => {
    const time = wall(timings);
    const cpuTime = cpu(timings);
    const walls = timings.map((timing) => timing.wallMs);
    return [
      label,
      ms(time),
      `${ms(Math.min(...walls))}–${ms(Math.max(...walls))}`,
      ms((project.files.length / time) * 1000),
      ms((project.lines / time) * 1000),
      ratio(tscWall / time),
      cpuTime === undefined ? 'n/a' : ms(cpuTime),
      cpuTime === undefined || tscCpu === undefined ? 'n/a' : ratio(tscCpu / cpuTime),
    ];
  })));
  // What each CLI run did (in this process, from src/ through tsx).
  const typed = await counters(project.directory);
  const syntax = await counters(copy);
  console.log(`\nTyped: ${typed.filesSeen} files read, ${typed.filesTyped} with types, ${typed.filesParsed} analysed. ` +
    `Syntax-only: ${syntax.filesSeen} read, ${syntax.filesParsed} analysed (the others have none of the words the rules react to and are not parsed).`);
}

// ---- main ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const project = readProject(options.project);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-bench-js-'));
  try {
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(`JS/TS benchmarks: ${project.directory}, ${project.files.length} files, ${ms(project.lines)} lines`);
    console.log(`${cpu}, ${os.cpus().length} CPUs, Node ${process.version}, TypeScript ${ts.version}, ${new Date().toISOString().slice(0, 10)}; load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);
    console.log(`JS/TS rules: ${JS_RULES.map((rule) => rule.meta.code).join(' ')}`);
    const { cli, probeLocation } = await buildLayout(folder);
    if (options.only !== 'cli') await benchTsserver(project, probeLocation, folder, options);
    if (options.only !== 'tsserver') await benchCli(project, cli, folder, options.runs);
    console.log(`\nLoad average at the end: ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
