/*
 * The ESLint plugin's cost, measured by ESLint itself (TIMING=all), next to
 * core `no-await-in-loop` and typescript-eslint's `await-thenable` in the
 * same run, on real projects: a benchmark, not a timed test (see
 * bench/README.md).
 *
 *   npm run bench:eslint -- [<project>…] [--runs N] [--each]
 *   npx tsx bench/eslint.ts [<project>…] [--runs N] [--each]
 *
 * Each project is copied to a temporary folder (nothing is written into
 * it) with a tsconfig.json at its root that includes every file, and linted
 * twice per run: typed (typescript-eslint's parser with `projectService`,
 * so `await-thenable` and our rules have a type checker) and untyped
 * (ESLint's default parser for JavaScript, typescript-eslint's without a
 * project for TypeScript; `await-thenable` needs types and is left out).
 * The projects' own `eslint-disable` comments are not applied
 * (`--no-inline-config`): every rule reports all it finds.
 *
 * Every Async Lens rule a file runs shares one analysis of it, made by the
 * first of them to reach the file: ESLint charges that analysis to the first
 * one (sync-iteration-over-async-iterable, first in the config), so its row
 * carries the cost of all of them, and the other rows only their own
 * reporting. The sum of our rows is what the plugin costs. `--each` adds,
 * per rule, runs with that rule alone (and no-await-in-loop, the unit): what
 * the rule costs someone who enables only it.
 *
 * The plugin is bundled from src/ (minified, as shipped) into
 * bench/results/eslint/, where `typescript` resolves to this repository's,
 * as it resolves to a user's own beside their ESLint.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { JS_RULES } from '../src/js/rules';

const ROOT = path.join(__dirname, '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const RESULTS = path.join(ROOT, 'bench', 'results', 'eslint');
const BUNDLE = path.join(RESULTS, 'eslint-plugin.js');

/** The corpus of the scorecard (docs/scorecards/AIT301-js.md), fetched and extracted there. */
const DEFAULT_PROJECTS = ['/tmp/corpus/sindresorhus+got', '/tmp/corpus/fastify+fastify', '/tmp/corpus/puppeteer/package/src'];

const CORE = 'no-await-in-loop';
const THENABLE = '@typescript-eslint/await-thenable';
const OURS = JS_RULES.map((rule) => `async-lens/${rule.meta.name}`);

type Mode = 'typed' | 'untyped';

interface Options {
  readonly projects: readonly string[];
  readonly runs: number;
  readonly each: boolean;
}

function usage(): never {
  console.error(`Usage: npx tsx bench/eslint.ts [<project>…] [--runs N] [--each]

<project>: a directory of JavaScript/TypeScript files (default: ${DEFAULT_PROJECTS.join(', ')},
           extracted from the snapshots of sindresorhus/got, fastify/fastify and puppeteer/puppeteer)
--runs:    ESLint runs per project and mode; each rule's median is reported (default 3)
--each:    also run each Async Lens rule alone (one run each), for its stand-alone cost`);
  process.exit(2);
}

function parseArguments(argv: readonly string[]): Options {
  const projects: string[] = [];
  let runs = 3;
  let each = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--runs') runs = Number(argv[++index]);
    else if (argument === '--each') each = true;
    else if (argument.startsWith('-')) usage();
    else projects.push(path.resolve(argument));
  }
  if (!Number.isInteger(runs) || runs < 1) usage();
  const chosen = projects.length > 0 ? projects : DEFAULT_PROJECTS;
  for (const project of chosen) {
    if (!fs.existsSync(project) || !fs.statSync(project).isDirectory()) {
      console.error(`${project} is not a directory`);
      usage();
    }
  }
  return { projects: chosen, runs, each };
}

async function bundlePlugin(): Promise<void> {
  // esbuild.js is CommonJS; its entries are the shipped ones.
  const { ENTRIES, buildOptions } = require('../esbuild.js') as { ENTRIES: { name: string }[]; buildOptions(entry: unknown): esbuild.BuildOptions };
  const entry = ENTRIES.find((candidate) => candidate.name === 'eslint-plugin');
  if (!entry) throw new Error('esbuild.js has no eslint-plugin entry');
  fs.mkdirSync(RESULTS, { recursive: true });
  await esbuild.build({ ...buildOptions(entry), minify: true, sourcemap: false, outfile: BUNDLE, logLevel: 'error' });
}

const SOURCE = /\.(?:[cm]?[jt]s)$/;

/** The project's JavaScript/TypeScript files (no declarations, no node_modules), copied under `into`; how many and how many lines. */
function copyProject(project: string, into: string): { files: number; lines: number } {
  let files = 0;
  let lines = 0;
  const walk = (from: string, to: string) => {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      // The project's own ESLint configuration would load plugins it has not installed here.
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name.startsWith('eslint.config.')) continue;
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) walk(source, target);
      else if (entry.isFile() && SOURCE.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
        fs.mkdirSync(to, { recursive: true });
        const text = fs.readFileSync(source, 'utf8');
        fs.writeFileSync(target, text);
        files++;
        lines += text.split('\n').length;
      }
    }
  };
  walk(project, into);
  fs.writeFileSync(path.join(into, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      allowJs: true,
      checkJs: false,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    },
    include: ['**/*'],
  }, null, 2));
  return { files, lines };
}

function configText(mode: Mode, ours: readonly string[]): string {
  const rules = Object.fromEntries([[CORE, 'warn'], ...(mode === 'typed' ? [[THENABLE, 'warn']] : []), ...ours.map((rule) => [rule, 'warn'])]);
  const typeScriptFiles = mode === 'typed' ? '**/*.{js,mjs,cjs,ts,mts,cts}' : '**/*.{ts,mts,cts}';
  const parserOptions = mode === 'typed' ? '{ projectService: true, tsconfigRootDir: import.meta.dirname }' : '{}';
  return `import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});
const tseslint = require('typescript-eslint');
const asyncLens = require(${JSON.stringify(BUNDLE)});

export default [
  { ignores: ['eslint.config.mjs'] },
  { files: [${JSON.stringify(typeScriptFiles)}], languageOptions: { parser: tseslint.parser, parserOptions: ${parserOptions} } },
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'async-lens': asyncLens },
    rules: ${JSON.stringify(rules)},
  },
];
`;
}

interface RunResult {
  /** Milliseconds per rule, from ESLint's TIMING table. */
  readonly times: ReadonlyMap<string, number>;
  /** Reports per rule. */
  readonly reports: ReadonlyMap<string, number>;
  /** Parsing, summed over files (ESLint's --stats): with types, typescript-eslint builds the program here. */
  readonly parse: number;
  readonly wall: number;
}

function runEslint(directory: string, mode: Mode, ours: readonly string[]): RunResult {
  fs.writeFileSync(path.join(directory, 'eslint.config.mjs'), configText(mode, ours));
  const output = path.join(directory, '..', `${path.basename(directory)}-${mode}.json`);
  const started = performance.now();
  const result = spawnSync(process.execPath, [ESLINT, '--config', 'eslint.config.mjs', '--stats', '--no-inline-config', '--format', 'json', '--output-file', output, '.'], {
    cwd: directory,
    encoding: 'utf8',
    env: { ...process.env, TIMING: 'all' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 1) throw new Error(`eslint exited with ${result.status} in ${directory}:\n${result.stderr}`);
  const times = new Map<string, number>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(\S+)\s*\|\s*([\d.]+)\s*\|/.exec(line);
    if (match && match[1] !== 'Rule') times.set(match[1]!, Number(match[2]));
  }
  const reports = new Map<string, number>();
  let parse = 0;
  const files = JSON.parse(fs.readFileSync(output, 'utf8')) as { messages: { ruleId: string | null; fatal?: boolean }[]; stats?: { times: { passes: { parse: { total: number } }[] } } }[];
  for (const file of files) {
    for (const message of file.messages) reports.set(message.ruleId ?? 'parsing error', (reports.get(message.ruleId ?? 'parsing error') ?? 0) + 1);
    for (const pass of file.stats?.times.passes ?? []) parse += pass.parse.total;
  }
  return { times, reports, parse, wall };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const ms = (value: number | undefined) => (value === undefined ? '–' : `${value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 1 : 0 })} ms`);
const ratio = (value: number | undefined, unit: number | undefined) => (value === undefined || !unit ? '–' : `${(value / unit).toFixed(2)}×`);

function report(name: string, size: { files: number; lines: number }, mode: Mode, runs: readonly RunResult[], alone: ReadonlyMap<string, number>): void {
  const time = (rule: string) => {
    const values = runs.map((run) => run.times.get(rule)).filter((value): value is number => value !== undefined);
    return values.length > 0 ? median(values) : undefined;
  };
  const core = time(CORE);
  const thenable = mode === 'typed' ? time(THENABLE) : undefined;
  const reports = (rule: string) => runs[0]!.reports.get(rule) ?? 0;
  const ourSum = median(runs.map((run) => OURS.reduce((sum, rule) => sum + (run.times.get(rule) ?? 0), 0)));
  console.log(`\n### ${name}, ${mode}: ${size.files.toLocaleString('en-US')} files, ${size.lines.toLocaleString('en-US')} lines (median of ${runs.length} run${runs.length > 1 ? 's' : ''})\n`);
  console.log(`| rule | time | × ${CORE} |${mode === 'typed' ? ' × await-thenable |' : ''}${alone.size > 0 ? ' alone | alone × no-await-in-loop |' : ''} reports |`);
  console.log(`|---|---:|---:|${mode === 'typed' ? '---:|' : ''}${alone.size > 0 ? '---:|---:|' : ''}---:|`);
  const row = (label: string, value: number | undefined, count: string, aloneValue?: number) => {
    const cells = [label, ms(value), ratio(value, core), ...(mode === 'typed' ? [ratio(value, thenable)] : []), ...(alone.size > 0 ? [ms(aloneValue), ratio(aloneValue, core)] : []), count];
    console.log(`| ${cells.join(' | ')} |`);
  };
  row(`\`${CORE}\``, core, String(reports(CORE)));
  if (mode === 'typed') row(`\`${THENABLE}\``, thenable, String(reports(THENABLE)));
  OURS.forEach((rule, index) => row(`\`${rule}\`${index === 0 ? ' (carries the shared analysis)' : ''}`, time(rule), String(reports(rule)), alone.get(rule)));
  row('**Async Lens, all rules**', ourSum, String(OURS.reduce((sum, rule) => sum + reports(rule), 0)));
  const wall = median(runs.map((run) => run.wall));
  console.log(`\nParsing${mode === 'typed' ? ' (with the program built by typescript-eslint)' : ''}: ${ms(median(runs.map((run) => run.parse)))}; ESLint's wall clock: ${ms(wall)}, of which Async Lens ${((100 * ourSum) / wall).toFixed(1)} %.`);
  const errors = runs[0]!.reports.get('parsing error');
  if (errors) console.log(`${errors} file(s) ESLint could not parse (no rule ran on them).`);
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  await bundlePlugin();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-eslint-bench-'));
  console.log(`Node ${process.version}, ESLint ${require('eslint/package.json').version}, typescript-eslint ${require('typescript-eslint/package.json').version}, TypeScript ${require('typescript/package.json').version}, ${os.cpus().length} cores, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  try {
    for (const project of options.projects) {
      const name = path.relative('/tmp/corpus', project).startsWith('..') ? project : path.relative('/tmp/corpus', project);
      const directory = path.join(work, name.replace(/[/+]/g, '_'));
      const size = copyProject(project, directory);
      for (const mode of ['typed', 'untyped'] as const) {
        const runs = Array.from({ length: options.runs }, () => runEslint(directory, mode, OURS));
        const alone = new Map<string, number>();
        if (options.each) for (const rule of OURS) alone.set(rule, runEslint(directory, mode, [rule]).times.get(rule) ?? 0);
        report(name, size, mode, runs, alone);
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
