/*
 * The real-code scorecard of the JavaScript/TypeScript protocol rules
 * (issue 12: "precision on real JS/TS code that nobody here wrote").
 * `npm run scorecard:js`:
 *
 *  1. takes every JavaScript/TypeScript source under this repository's
 *     node_modules (declaration files aside), each file owned by its package
 *     (`npm:undici@7.16.0`), and extracts each pinned project from its local
 *     git snapshot (/work/.mirror/<owner>+<name>/repo, or $ASYNC_LENS_MIRROR)
 *     at its commit into a temporary directory;
 *  2. runs every JS rule (src/js/rules/index.ts) on every file, the way
 *     `async-lens check` does (src/hosts/cli/javascript.ts): with types when the
 *     file's nearest tsconfig.json / jsconfig.json includes it, from its syntax
 *     alone otherwise. Typed files are analysed a second time without types
 *     (what the editor does with no program). Unlike the CLI, no file is left
 *     out: neither by the trigger-word prefilter (a finding in a file the
 *     prefilter would skip is reported as a problem) nor by the size limit;
 *     node_modules is checked from syntax only (packages ship built code, and
 *     their tsconfigs are not shipped);
 *  3. checks the hand verdicts (docs/scorecards/js-verdicts.json) against the
 *     findings both ways: a finding without a verdict, or a verdict that
 *     matches no finding of a measured corpus, fails the run; so does a rule
 *     that throws (each is a bug: its stack is printed) and an error-level
 *     finding judged a false alarm (the target is none);
 *  4. writes docs/scorecards/js-protocol.md.
 *
 * A finding's id is stable across unrelated edits: the corpus at its version
 * (`undici@7eb7c8ec8f23`, `npm:undici@7.16.0`), the path, the code and the
 * text of the finding's line (`#2`, `#3` for repeats in one file).
 *
 * `--dump` prints every finding with the lines around it (for judging) and
 * writes nothing; `--only <name>[,<name>]` measures only those corpora (the
 * project's short name, or `node_modules`) and writes nothing. A missing
 * snapshot is reported and skipped, and the scorecard is then left as it is
 * unless `--partial` is given. Nothing here downloads anything.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as ts from 'typescript';
import type { AnalysisResult, Finding, Severity } from '../src/engine/types';
import { JsChecker } from '../src/hosts/cli/javascript';
import { analyzeJs, isJsFile, parseJs } from '../src/js/analyze';
import type { JsRule } from '../src/js/rule';
import { JS_RULES } from '../src/js/rules';
import { jsTriggerPattern } from '../src/js/triggers';
import { layerSettings } from '../src/project/settings';
import { shortName, snapshotGitDir, snapshotKey } from './snapshots';

type Verdict = 'true' | 'intentional' | 'false-alarm';
type Mode = 'typed' | 'inferred' | 'syntax';

interface Project {
  /** owner/name on GitHub. */
  readonly repo: string;
  readonly commit: string;
  /** Why it is in the corpus. */
  readonly why: string;
}

const PROJECTS: readonly Project[] = [
  { repo: 'nodejs/undici', commit: '7eb7c8ec8f23acd9c3da93a286162f8c1dc68326', why: 'fetch bodies, WebSocket streams and the body mixin as async iterables (JS, no tsconfig)' },
  { repo: 'mongodb/node-mongodb-native', commit: 'bb35ded18aa1031d8e4be88cad4fc1cc1225b00e', why: 'cursors and change streams with hand-written `[Symbol.asyncIterator]` (TS)' },
  { repo: 'brianc/node-postgres', commit: 'c9e57617bc92c2ded23a75345f50eadc527bd131', why: 'pg-cursor and pg-query-stream (JS and TS)' },
  { repo: 'redis/node-redis', commit: '2a92b2e51aea18b31776ede15e022217e7ea9b37', why: '`scanIterator` and friends as async generators (TS monorepo)' },
  { repo: 'sindresorhus/got', commit: 'd00d845a0b435365ec73ea5a1fca6e17ee677184', why: 'pagination as an async iterator (TS)' },
  { repo: 'sindresorhus/p-map', commit: 'bc26cf03f81292325236a1188063dac8e7a4de0f', why: '`pMapIterable`: a hand-written async iterator over an async iterable (JS)' },
  { repo: 'mafintosh/streamx', commit: '77053f55b0f90112026454b52c89e2bc3ba0f689', why: 'a stream implementation with its own `[Symbol.asyncIterator]` (JS)' },
  { repo: 'nodejs/readable-stream', commit: '88df21041dc26c210fab3e074ab6bb681a604b8e', why: "Node's lib/internal/streams as a package: async iterators of streams, `Readable.from`, `compose` (JS)" },
  { repo: 'grpc/grpc-node', commit: '2670b37a25dcd1e7b655609b0dc041060b1d8921', why: 'streaming calls as async iterables (TS monorepo)' },
  { repo: 'ReactiveX/IxJS', commit: '4a1d9c8131eb9ce6049fc72538f742812aff9888', why: 'Interactive Extensions: hundreds of hand-written async iterables and iterators (TS)' },
  { repo: 'repeaterjs/repeater', commit: 'cb4f6d381f3120cd0a70339ca7bfb13327148af0', why: 'a hand-written async iterator with `next`/`return`/`throw` (TS)' },
  { repo: 'graphql/graphql-js', commit: 'a7db60beb22b0e417f9ed12215945c7fcb43246e', why: 'subscriptions: `mapAsyncIterator` and hand-written async iterators in tests (TS)' },
  { repo: 'sindresorhus/emittery', commit: 'e2d879073c59ec2a375abbf7deb681e25960dc5e', why: 'events as a hand-written async iterator with `return()` releasing its listener (JS)' },
  { repo: 'achingbrain/it', commit: '602de90f93a67c682434d6f83147fef994566eb1', why: 'a monorepo of async-iterable utilities (`it-map`, `it-merge`, `it-pushable`, …) (TS)' },
  { repo: 'denoland/std', commit: 'ca58f9427152c946ce1c1bc287d290efde1fbab7', why: "Deno's standard library: streams, async helpers, many async iterators (TS, deno.json: no tsconfig)" },
];

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'scorecards');
const VERDICTS = path.join(OUT, 'js-verdicts.json');
const REPORT = path.join(OUT, 'js-protocol.md');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const SETTINGS = layerSettings();
const TRIGGER = jsTriggerPattern(SETTINGS);
const CODES = JS_RULES.map((rule) => rule.meta.code);
const SKIPPED_DIRECTORIES = new Set(['.git']);

/** One corpus as measured: a project at a commit, or this repository's node_modules. */
interface Corpus {
  readonly label: string;
  /** `undici@7eb7c8ec8f23`, or `node_modules` (its files are keyed by package). */
  readonly key: string;
  readonly version: string;
  readonly link?: string;
  readonly why: string;
  readonly root: string;
  /** Whether files are typed through their tsconfig (projects) or syntax-only (node_modules). */
  readonly typedWhenConfigured: boolean;
  /** Sources the snapshot lacks (not measured). */
  readonly absent?: readonly string[];
}

interface FindingRow {
  readonly id: string;
  /** The package or project the file belongs to (`npm:undici@7.16.0`, `undici@7eb7c8ec8f23`). */
  readonly owner: string;
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly source: string;
  readonly modes: Set<Mode>;
  /** The lines around it, for --dump. */
  readonly context: string;
}

interface Crash {
  readonly file: string;
  readonly code: string;
  readonly mode: Mode;
  readonly stack: string;
}

/** What the rules look at, counted in each corpus: a silent rule was given something to say about. */
const SHAPES = ['for await', 'for…of', 'async generators', '[Symbol.asyncIterator]()', '[Symbol.iterator]()', 'next() methods', '.next() calls'] as const;
type Shape = (typeof SHAPES)[number];

interface Measured {
  readonly corpus: Corpus;
  readonly shapes: Map<Shape, number>;
  files: number;
  lines: number;
  /** Files analysed with their tsconfig's program. */
  typedFiles: number;
  /** Files no tsconfig includes, analysed with the program tsserver would infer for them. */
  inferredFiles: number;
  /** Files the CLI's prefilter would not parse (no program, no trigger word). */
  prefiltered: number;
  milliseconds: number;
  /** The slowest files: with types (the first analysis builds the program) and from syntax. */
  readonly slowest: { file: string; typed: number; syntax: number }[];
  /** Time to build each inferred program (not counted in its files' time). */
  readonly programs: { root: string; files: number; milliseconds: number }[];
  readonly findings: Map<string, FindingRow>;
  readonly syntaxErrors: { file: string; line: number; message: string }[];
  readonly crashes: Crash[];
  readonly problems: string[];
  /** Per package, for node_modules: files and findings. */
  readonly owners: Map<string, { files: number; lines: number }>;
}

interface VerdictEntry {
  readonly verdict: Verdict;
  readonly reason: string;
}

// ---- the rules, instrumented --------------------------------------------------

/** The stack of each rule that threw during the current analysis (the engine keeps only its first frame). */
let stacks = new Map<string, string>();

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

const RULES: readonly JsRule[] = JS_RULES.map((rule) => ({
  ...rule,
  create(context) {
    let handlers;
    try {
      handlers = rule.create(context);
    } catch (error) {
      stacks.set(rule.meta.code, describeError(error));
      throw error;
    }
    const wrapped: typeof handlers = {};
    for (const [kind, handle] of Object.entries(handlers)) {
      if (!handle) continue;
      wrapped[kind] = (node) => {
        try {
          handle(node);
        } catch (error) {
          if (!stacks.has(rule.meta.code)) stacks.set(rule.meta.code, describeError(error));
          throw error;
        }
      };
    }
    return wrapped;
  },
}));

// ---- the corpora --------------------------------------------------------------

function extractProject(project: Project, into: string): Corpus | string {
  const snapshot = snapshotGitDir(project.repo, project.commit);
  if ('problem' in snapshot) return snapshot.problem;
  const { gitDir } = snapshot;
  const root = path.join(into, shortName(project.repo));
  fs.mkdirSync(root);
  const { paths: wanted, missing } = wantedPaths(gitDir, project.commit);
  const tar = path.join(into, `${shortName(project.repo)}.tar`);
  for (let at = 0; at < wanted.length; at += 500) {
    execFileSync('git', ['--literal-pathspecs', '-C', gitDir, 'archive', '--format=tar', '-o', tar, project.commit, '--', ...wanted.slice(at, at + 500)], { stdio: 'pipe' });
    execFileSync('tar', ['-x', '-f', tar, '-C', root]);
  }
  fs.rmSync(tar, { force: true });
  return {
    label: project.repo,
    key: snapshotKey(project.repo, project.commit),
    version: project.commit,
    link: `https://github.com/${project.repo}/tree/${project.commit}`,
    why: project.why,
    root,
    typedWhenConfigured: true,
    absent: missing,
  };
}

/**
 * The files of a commit the scorecard reads: JS/TS sources, declaration
 * files and JSON (tsconfig.json and what it extends, package.json's `type`).
 * Only those: a snapshot may lack its largest blobs (images, archives).
 */
function wantedPaths(gitDir: string, commit: string): { paths: string[]; missing: string[] } {
  const listing = execFileSync('git', ['-C', gitDir, 'ls-tree', '-r', '-z', commit], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const candidates: { oid: string; file: string }[] = [];
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match || match[1] === '120000') continue;
    const file = match[3]!;
    if (isJsFile(file) || /\.d\.[mc]?ts$/i.test(file) || file.endsWith('.json')) candidates.push({ oid: match[2]!, file });
  }
  const present = execFileSync('git', ['-C', gitDir, 'cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    input: candidates.map((candidate) => candidate.oid).join('\n'), encoding: 'utf8', maxBuffer: 1 << 28,
  }).split('\n');
  const paths: string[] = [];
  const missing: string[] = [];
  candidates.forEach((candidate, index) => {
    if (present[index]?.endsWith(' blob')) paths.push(candidate.file);
    else if (isJsFile(candidate.file)) missing.push(candidate.file);
  });
  return { paths, missing };
}

function nodeModules(): Corpus | string {
  if (!fs.existsSync(NODE_MODULES)) return 'node_modules: not installed (run `npm ci`)';
  const lock = path.join(ROOT, 'package-lock.json');
  const version = fs.existsSync(lock) ? `package-lock.json ${crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex').slice(0, 12)}` : 'no package-lock.json';
  return {
    label: "this repository's node_modules",
    key: 'node_modules',
    version,
    why: "TypeScript's own lib, mocha, esbuild, playwright-core, @vscode/vsce, pyodide, undici, lodash, … as installed by `npm ci`: built code nobody here wrote",
    root: NODE_MODULES,
    typedWhenConfigured: false,
  };
}

/** Every JS/TS file under `root` (declaration files aside), sorted, nested node_modules included. */
function listFiles(root: string): string[] {
  const files: string[] = [];
  const visit = (directory: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(absolute);
      } else if (entry.isFile() && isJsFile(entry.name)) {
        files.push(absolute);
      }
    }
  };
  visit(root);
  return files;
}

const packageOwners = new Map<string, { name: string; root: string } | null>();

/** The npm package a file under node_modules belongs to: its nearest package.json with a name and a version. */
function packageOf(file: string): { name: string; root: string } {
  const visit = (directory: string): { name: string; root: string } | null => {
    if (!directory.startsWith(NODE_MODULES + path.sep)) return null;
    const known = packageOwners.get(directory);
    if (known !== undefined) return known;
    let owner: { name: string; root: string } | null = null;
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof manifest.name === 'string' && typeof manifest.version === 'string') owner = { name: `npm:${manifest.name}@${manifest.version}`, root: directory };
    } catch {
      // No manifest here (or not one of a package): look further up.
    }
    owner ??= visit(path.dirname(directory));
    packageOwners.set(directory, owner);
    return owner;
  };
  return visit(path.dirname(file)) ?? { name: 'npm:(no package)', root: NODE_MODULES };
}

// ---- measuring ----------------------------------------------------------------

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The text a finding is keyed by: its line, trimmed; in a long (minified) line, the 100 characters from the finding on. */
function keyText(text: string, starts: readonly number[], line: number, offset: number): string {
  const end = line + 1 < starts.length ? starts[line + 1]! : text.length;
  const whole = text.slice(starts[line]!, end).replace(/\r?\n$/, '').trim();
  if (whole.length <= 160) return whole;
  return text.slice(offset, offset + 100).replace(/\s+/g, ' ').trim();
}

function contextOf(text: string, starts: readonly number[], line: number): string {
  const out: string[] = [];
  for (let at = Math.max(0, line - 4); at <= Math.min(starts.length - 1, line + 4); at++) {
    const end = at + 1 < starts.length ? starts[at + 1]! : text.length;
    const body = text.slice(starts[at]!, end).replace(/\r?\n$/, '');
    out.push(`${at === line ? '>' : ' '}${String(at + 1).padStart(6)}  ${body.length > 200 ? `${body.slice(0, 200)}…` : body}`);
  }
  return out.join('\n');
}

function record(m: Measured, owner: string, file: string, text: string, findings: readonly Finding[], mode: Mode): void {
  const starts = lineStarts(text);
  const repeats = new Map<string, number>();
  for (const finding of findings) {
    const line = lineOf(starts, finding.range.start);
    const source = keyText(text, starts, line, finding.range.start);
    const base = `${owner}:${file}:${finding.code}:${source}`;
    const count = (repeats.get(base) ?? 0) + 1;
    repeats.set(base, count);
    const id = count === 1 ? base : `${base}#${count}`;
    const existing = m.findings.get(id);
    if (existing) {
      existing.modes.add(mode);
      continue;
    }
    m.findings.set(id, {
      id, owner, file, line: line + 1, code: finding.code, severity: finding.severity, message: finding.message, source,
      modes: new Set([mode]), context: contextOf(text, starts, line),
    });
  }
}

function collectErrors(m: Measured, file: string, result: AnalysisResult, mode: Mode): void {
  for (const error of result.errors) m.crashes.push({ file, code: error.code, mode, stack: stacks.get(error.code) ?? error.message });
}

function memberName(typescript: typeof ts, name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (typescript.isIdentifier(name) || typescript.isStringLiteral(name)) return name.text;
  if (typescript.isComputedPropertyName(name) && typescript.isPropertyAccessExpression(name.expression) && typescript.isIdentifier(name.expression.expression) && name.expression.expression.text === 'Symbol') {
    return `[Symbol.${name.expression.name.text}]`;
  }
  return undefined;
}

function countShapes(typescript: typeof ts, sourceFile: ts.SourceFile, shapes: Map<Shape, number>): void {
  const add = (shape: Shape) => shapes.set(shape, shapes.get(shape)! + 1);
  const { SyntaxKind } = typescript;
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typescript.isForOfStatement(node)) add(node.awaitModifier ? 'for await' : 'for…of');
    else if (typescript.isFunctionLike(node) && 'asteriskToken' in node && node.asteriskToken && node.modifiers?.some((modifier) => modifier.kind === SyntaxKind.AsyncKeyword)) add('async generators');
    else if (typescript.isCallExpression(node) && typescript.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'next') add('.next() calls');
    if ((typescript.isMethodDeclaration(node) || typescript.isPropertyAssignment(node) || typescript.isPropertyDeclaration(node)) && node.parent && !typescript.isSourceFile(node.parent)) {
      const name = memberName(typescript, node.name);
      if (name === '[Symbol.asyncIterator]') add('[Symbol.asyncIterator]()');
      else if (name === '[Symbol.iterator]') add('[Symbol.iterator]()');
      else if (name === 'next' && (typescript.isMethodDeclaration(node) || (node.initializer && (typescript.isFunctionExpression(node.initializer) || typescript.isArrowFunction(node.initializer))))) add('next() methods');
    }
    typescript.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
}

/**
 * The options of the program tsserver makes for files no tsconfig.json or
 * jsconfig.json includes (its "inferred project", with VS Code's
 * `js/ts.implicitProjectConfig` defaults): plain JavaScript has a type
 * checker in the editor even without `checkJs`. Other packages' JavaScript is
 * not loaded (tsserver's `maxNodeModuleJsDepth` is 2): types come from the
 * files themselves, their relative imports, and declaration files.
 */
function inferredOptions(typescript: typeof ts): ts.CompilerOptions {
  return {
    allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true, allowNonTsExtensions: true,
    target: typescript.ScriptTarget.ES2022, module: typescript.ModuleKind.ESNext, moduleResolution: typescript.ModuleResolutionKind.Bundler,
    jsx: typescript.JsxEmit.Preserve, allowImportingTsExtensions: true, strictNullChecks: true, strictFunctionTypes: true,
    maxNodeModuleJsDepth: 0,
  };
}

function measure(corpus: Corpus, typescript: typeof ts): Measured {
  const m: Measured = {
    corpus, shapes: new Map(SHAPES.map((shape) => [shape, 0])), files: 0, lines: 0, typedFiles: 0, inferredFiles: 0, prefiltered: 0, milliseconds: 0, slowest: [], programs: [],
    findings: new Map(), syntaxErrors: [], crashes: [], problems: [], owners: new Map(),
  };
  const absolutes = listFiles(corpus.root);
  for (const file of corpus.absent ?? []) m.problems.push(`${file}: not in the snapshot, not measured`);
  const checked = new Set(absolutes);
  const textOf = (file: string): string => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const checker = corpus.typedWhenConfigured
    ? new JsChecker({
      onProblem: ({ level, file, problem }) => {
        // Paths inside the temporary copy are said relative to the project, so the scorecard reads the same on every run.
        const message = `${level}: ${path.relative(corpus.root, file)}: ${problem.split(corpus.root + path.sep).join('')}`;
        if (!m.problems.includes(message)) m.problems.push(message);
      },
      textOf: (file) => (checked.has(file) ? textOf(file) : undefined),
      rules: RULES,
    })
    : undefined;
  const ownerOf = (absolute: string) => (corpus.key === 'node_modules' ? packageOf(absolute) : { name: corpus.key, root: corpus.root });
  const shown = (owner: { name: string }, file: string) => (owner.name === corpus.key ? file : `${owner.name}/${file}`);

  /** Analyses one file without types, and with the types given; counts it. */
  const analyseFile = (absolute: string, typed: ((text: string) => AnalysisResult | undefined) | undefined, mode: Mode) => {
    const text = textOf(absolute);
    const owner = ownerOf(absolute);
    const file = path.relative(owner.root, absolute).split(path.sep).join('/');
    const lines = lineStarts(text).length - (text.endsWith('\n') ? 1 : 0);
    m.files++;
    m.lines += lines;
    const perOwner = m.owners.get(owner.name) ?? { files: 0, lines: 0 };
    perOwner.files++;
    perOwner.lines += lines;
    m.owners.set(owner.name, perOwner);

    let started = performance.now();
    let typedTime = 0;
    let withTypes: AnalysisResult | undefined;
    try {
      stacks = new Map();
      withTypes = typed?.(text);
      if (withTypes) {
        if (mode === 'typed') m.typedFiles++;
        else m.inferredFiles++;
        record(m, owner.name, file, text, withTypes.findings, mode);
        collectErrors(m, file, withTypes, mode);
      }
    } catch (error) {
      m.crashes.push({ file, code: '(analysis)', mode, stack: describeError(error) });
    }
    typedTime = performance.now() - started;
    started = performance.now();
    try {
      if (mode !== 'typed' && !TRIGGER.test(text)) m.prefiltered++;
      stacks = new Map();
      const sourceFile = parseJs(typescript, absolute, text);
      countShapes(typescript, sourceFile, m.shapes);
      const syntax = analyzeJs({ ts: typescript, sourceFile, settings: SETTINGS, rules: RULES });
      record(m, owner.name, file, text, syntax.findings, 'syntax');
      collectErrors(m, file, syntax, 'syntax');
      if (syntax.syntaxError) m.syntaxErrors.push({ file: shown(owner, file), line: syntax.syntaxError.line, message: syntax.syntaxError.message });
      if (syntax.findings.length > 0 && mode !== 'typed' && !TRIGGER.test(text)) {
        m.problems.push(`${file}: ${syntax.findings.length} syntax-only findings in a file the CLI's prefilter skips (src/js/triggers.ts)`);
      }
    } catch (error) {
      m.crashes.push({ file, code: '(analysis)', mode: 'syntax', stack: describeError(error) });
    }
    const syntaxTime = performance.now() - started;
    m.milliseconds += typedTime + syntaxTime;
    m.slowest.push({ file: shown(owner, file), typed: typedTime, syntax: syntaxTime });
    m.slowest.sort((a, b) => b.typed + b.syntax - (a.typed + a.syntax));
    if (m.slowest.length > SLOWEST_SHOWN) m.slowest.pop();
  };

  // Files a tsconfig.json / jsconfig.json includes, with its program, as the CLI checks them.
  const unconfigured = new Map<string, { label: string; files: string[] }>();
  for (const absolute of checker ? checker.plan(absolutes) : absolutes) {
    const analyzer = checker?.analyzerFor(absolute, textOf(absolute), SETTINGS);
    if (analyzer?.typed) {
      analyseFile(absolute, (text) => analyzer.analyze(text), 'typed');
      checker!.done(absolute);
      continue;
    }
    checker?.done(absolute);
    const owner = ownerOf(absolute);
    let group = unconfigured.get(owner.root);
    if (!group) unconfigured.set(owner.root, (group = { label: corpus.key === 'node_modules' ? owner.name.slice(4) : '(the project)', files: [] }));
    group.files.push(absolute);
  }

  // The others, with the program tsserver would infer for them (one per package or project), as the editor checks them.
  const options = inferredOptions(typescript);
  for (const { label, files: group } of unconfigured.values()) {
    const started = performance.now();
    let program: ts.Program | undefined;
    let typeChecker: ts.TypeChecker | undefined;
    try {
      program = typescript.createProgram({ rootNames: group, options });
      typeChecker = program.getTypeChecker();
    } catch (error) {
      m.problems.push(`error: cannot build the inferred program of ${label}: ${describeError(error).split('\n')[0]}`);
    }
    const built = performance.now() - started;
    m.milliseconds += built;
    m.programs.push({ root: label, files: group.length, milliseconds: built });
    for (const absolute of group) {
      const typed = program && typeChecker
        ? (text: string) => {
          const sourceFile = program.getSourceFile(absolute);
          if (!sourceFile || sourceFile.text !== text) return undefined;
          return analyzeJs({ ts: typescript, sourceFile, checker: typeChecker, settings: SETTINGS, rules: RULES });
        }
        : undefined;
      analyseFile(absolute, typed, 'inferred');
    }
  }
  return m;
}

/**
 * The harness itself, checked on the rules' own fixtures (syntax-only): each
 * fixture marking a finding in syntax mode must get one here, or a silent
 * scorecard would prove nothing.
 */
function control(typescript: typeof ts): string[] {
  const root = path.join(ROOT, 'test', 'fixtures', 'js');
  const m = measure({ label: 'control', key: 'control', version: '', why: '', root, typedWhenConfigured: false }, typescript);
  const problems: string[] = [];
  let expecting = 0;
  for (const absolute of listFiles(root)) {
    const text = fs.readFileSync(absolute, 'utf8');
    const file = path.relative(root, absolute).split(path.sep).join('/');
    // `expect:` holds in both of the fixtures' modes (typed with @types/node, which the inferred program finds here too).
    const modes: Mode[] = [...(/\/\/ expect:/.test(text) ? ['inferred', 'syntax'] as const : []), ...(/\/\/ expect-syntax:/.test(text) ? ['syntax'] as const : [])];
    if (modes.length > 0) expecting++;
    for (const mode of modes) {
      if (![...m.findings.values()].some((finding) => finding.file === file && finding.modes.has(mode))) problems.push(`the harness found nothing ${mode === 'syntax' ? 'from syntax' : 'with an inferred program'} in the fixture ${file}, which expects findings: is it broken?`);
    }
  }
  if (expecting === 0) problems.push(`no fixture under ${root} expects a finding: the harness is unchecked`);
  for (const crash of m.crashes) problems.push(`${crash.code} threw on the fixture ${crash.file}: ${crash.stack.split('\n')[0]}`);
  console.log(`control: ${m.files} fixtures, ${expecting} expecting syntax-mode findings, ${m.findings.size} findings`);
  return problems;
}

// ---- the hand verdicts --------------------------------------------------------

function readVerdicts(): Record<string, VerdictEntry> {
  if (!fs.existsSync(VERDICTS)) return {};
  return JSON.parse(fs.readFileSync(VERDICTS, 'utf8')) as Record<string, VerdictEntry>;
}

/** The corpus an id belongs to: a project key, or node_modules for `npm:` ids. */
function corpusOfId(id: string): string {
  return id.startsWith('npm:') ? 'node_modules' : id.split(':')[0]!;
}

function knownCorpusKeys(): Set<string> {
  return new Set(['node_modules', ...PROJECTS.map((project) => snapshotKey(project.repo, project.commit))]);
}

function checkHandWork(measured: readonly Measured[], verdicts: Record<string, VerdictEntry>, notMeasured: string[]): string[] {
  const problems: string[] = [];
  const falseAlarms = new Map<string, string[]>();
  const keys = new Set(measured.map((m) => m.corpus.key));
  const known = knownCorpusKeys();
  const findingIds = new Set(measured.flatMap((m) => [...m.findings.keys()]));
  // A node_modules verdict for a package version no longer installed is not a mismatch: npm ci may have moved on.
  const installed = new Set(measured.filter((m) => m.corpus.key === 'node_modules').flatMap((m) => [...m.owners.keys()]));
  for (const m of measured) {
    for (const finding of m.findings.values()) {
      const entry = verdicts[finding.id];
      if (!entry) problems.push(`no verdict for ${finding.id} (${finding.severity}: ${finding.message})`);
      else if (entry.verdict === 'false-alarm' && finding.severity === 'error') falseAlarms.set(finding.code, [...(falseAlarms.get(finding.code) ?? []), finding.id]);
    }
  }
  for (const [code, ids] of falseAlarms) {
    problems.push(`${code}: ${ids.length} error-level false alarm${ids.length === 1 ? '' : 's'} (the target is none: fix the rule), e.g. ${ids.slice(0, 3).join(', ')}`);
  }
  for (const [id, entry] of Object.entries(verdicts)) {
    const corpus = corpusOfId(id);
    const owner = id.slice(0, id.indexOf(':', 4));
    if (!known.has(corpus)) problems.push(`the verdict ${id} is for no pinned project (another commit?)`);
    else if (!keys.has(corpus) || (corpus === 'node_modules' && !installed.has(owner))) notMeasured.push(id);
    else if (!findingIds.has(id)) problems.push(`the verdict ${id} matches no finding (fixed, moved, or the rule changed: review and remove it)`);
    if (!['true', 'intentional', 'false-alarm'].includes(entry.verdict) || !entry.reason?.trim()) problems.push(`${id}: a verdict is "true", "intentional" or "false-alarm" with a reason`);
  }
  for (const m of measured) {
    for (const crash of m.crashes) problems.push(`${crash.code} threw on ${m.corpus.label}: ${crash.file} (${crash.mode}):\n${crash.stack.split('\n').slice(0, 8).map((line) => `      ${line}`).join('\n')}`);
    for (const problem of m.problems) if (problem.includes('prefilter')) problems.push(`${m.corpus.label}: ${problem}`);
  }
  return problems;
}

// ---- the report ---------------------------------------------------------------

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  const clean = text.replace(/\|/g, '\\|');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

const SUBSTANTIAL_PACKAGE_FILES = 40;
const SLOWEST_SHOWN = 3;
const SLOW_PROGRAM_MS = 5000;

function render(measured: readonly Measured[], missing: readonly string[], verdicts: Record<string, VerdictEntry>): string {
  const out: string[] = [];
  const severities = new Map(JS_RULES.map((rule) => [rule.meta.code, `${rule.meta.name} (${rule.meta.defaultSeverity})`]));
  out.push('# Scorecard: the JavaScript/TypeScript protocol rules on real code', '');
  out.push('Generated by `npm run scorecard:js` (scripts/js-scorecard.ts); do not edit by hand. The hand verdicts are in',
    '[js-verdicts.json](js-verdicts.json); the script fails when a finding has no verdict, a verdict matches nothing,',
    'an error-level finding is judged a false alarm, or a rule throws.', '');
  out.push(`Rules run: ${CODES.map((each) => `${each} ${severities.get(each)}`).join(', ')}.`, '');
  out.push('- Every JS/TS file of each corpus is analysed (declaration files aside, tests and examples included, nothing',
    "  skipped by size or by the CLI's trigger-word prefilter), in two modes. **With types**: a project's file with the",
    '  program of its nearest tsconfig.json / jsconfig.json when that includes it, as `async-lens check` does (*tsconfig*);',
    "  any other file, and all of node_modules, with the program tsserver infers for a file no configuration includes",
    '  (`allowJs`, no `checkJs`: the editor has a type checker for plain JavaScript too), one per package or project',
    '  (*inferred*). And **from its syntax alone**, as the editor does when it serves JS/TS without a program. The projects',
    "  are checked as fetched, with no `npm install`: their dependencies' types are missing, and the rules must stay",
    '  silent there, not guess. A finding lists the modes that report it.',
    '- Verdicts: *true* (a real bug), *intentional* (the misuse is deliberate: a test of the error it causes),',
    '  *false alarm* (correct code).', '');

  out.push(`| corpus | version | files | lines | typed: tsconfig | typed: inferred | parse errors | rule crashes | time | ${CODES.join(' | ')} | true | intentional | false alarm |`);
  out.push(`|---|---|--:|--:|--:|--:|--:|--:|--:|${CODES.map(() => '--:').join('|')}|--:|--:|--:|`);
  const totals = { files: 0, lines: 0, typed: 0, inferred: 0, parse: 0, crashes: 0, ms: 0, perCode: new Map<string, number>(), true: 0, intentional: 0, 'false-alarm': 0 };
  for (const m of measured) {
    const perCode = CODES.map((each) => [...m.findings.values()].filter((f) => f.code === each).length);
    const counts = { true: 0, intentional: 0, 'false-alarm': 0 };
    for (const f of m.findings.values()) {
      const verdict = verdicts[f.id]?.verdict;
      if (verdict) counts[verdict]++;
    }
    const version = m.corpus.link ? `[${m.corpus.version.slice(0, 12)}](${m.corpus.link})` : m.corpus.version;
    out.push(`| ${m.corpus.label} | ${version} | ${m.files} | ${m.lines} | ${m.typedFiles} | ${m.inferredFiles} | ${m.syntaxErrors.length} | ${m.crashes.length} | ${seconds(m.milliseconds)} | ${perCode.join(' | ')} | ${counts.true} | ${counts.intentional} | ${counts['false-alarm']} |`);
    totals.files += m.files;
    totals.lines += m.lines;
    totals.typed += m.typedFiles;
    totals.inferred += m.inferredFiles;
    totals.parse += m.syntaxErrors.length;
    totals.crashes += m.crashes.length;
    totals.ms += m.milliseconds;
    CODES.forEach((each, index) => totals.perCode.set(each, (totals.perCode.get(each) ?? 0) + perCode[index]!));
    totals.true += counts.true;
    totals.intentional += counts.intentional;
    totals['false-alarm'] += counts['false-alarm'];
  }
  out.push(`| **total** | | ${totals.files} | ${totals.lines} | ${totals.typed} | ${totals.inferred} | ${totals.parse} | ${totals.crashes} | ${seconds(totals.ms)} | ${CODES.map((each) => totals.perCode.get(each) ?? 0).join(' | ')} | ${totals.true} | ${totals.intentional} | ${totals['false-alarm']} |`);
  out.push('');
  out.push('Time is wall-clock time of the analyses in one process (both modes for typed files, programs built included), on the machine that wrote this file; it is not a benchmark (see bench/).', '');
  for (const line of missing) out.push(`Not measured in this run: ${line}`, '');

  out.push('What the rules had to look at (counted from the syntax of every file):', '');
  out.push(`| corpus | ${SHAPES.join(' | ')} |`, `|---|${SHAPES.map(() => '--:').join('|')}|`);
  for (const m of measured) out.push(`| ${m.corpus.label} | ${SHAPES.map((shape) => m.shapes.get(shape)).join(' | ')} |`);
  out.push(`| **total** | ${SHAPES.map((shape) => measured.reduce((sum, m) => sum + m.shapes.get(shape)!, 0)).join(' | ')} |`, '');

  for (const m of measured) {
    out.push(`## ${m.corpus.label} @ ${m.corpus.link ? `[${m.corpus.version.slice(0, 12)}](${m.corpus.link})` : m.corpus.version}`, '');
    out.push(`${m.corpus.why}. ${m.files} files, ${m.lines} lines; ${m.typedFiles} analysed with the program of their tsconfig.json, ${m.inferredFiles} with the program tsserver would infer; ${m.prefiltered} that the CLI would not parse (no program, no trigger word). Slowest files (with types; from syntax): ${m.slowest.map((each) => `${each.file} (${seconds(each.typed)}; ${seconds(each.syntax)})`).join(', ')}; the first file of a tsconfig's program counts its build, an inferred program's build is not counted.`, '');
    const slowPrograms = m.programs.filter((program) => program.milliseconds >= SLOW_PROGRAM_MS).sort((a, b) => b.milliseconds - a.milliseconds);
    if (slowPrograms.length > 0) out.push(`Inferred programs that took ${seconds(SLOW_PROGRAM_MS)} or more to build: ${slowPrograms.map((program) => `${program.root} (${program.files} files, ${seconds(program.milliseconds)})`).join(', ')}.`, '');
    if (m.corpus.key === 'node_modules') {
      const rows = [...m.owners.entries()].filter(([owner, counts]) => counts.files >= SUBSTANTIAL_PACKAGE_FILES || [...m.findings.values()].some((f) => f.owner === owner) || m.syntaxErrors.some((e) => e.file.startsWith(`${owner}/`)));
      rows.sort((a, b) => b[1].lines - a[1].lines);
      const shownOwners = new Set(rows.map(([owner]) => owner));
      const others = [...m.owners.entries()].filter(([owner]) => !shownOwners.has(owner));
      const rest = others.length;
      out.push(`${m.owners.size} packages. Those with ${SUBSTANTIAL_PACKAGE_FILES} files or more, or a finding, or a parse error:`, '');
      out.push('| package | files | lines | findings |', '|---|--:|--:|--:|');
      for (const [owner, counts] of rows) out.push(`| ${owner.slice(4)} | ${counts.files} | ${counts.lines} | ${[...m.findings.values()].filter((f) => f.owner === owner).length} |`);
      if (rest > 0) out.push(`| ${rest} other packages | ${others.reduce((sum, [, counts]) => sum + counts.files, 0)} | ${others.reduce((sum, [, counts]) => sum + counts.lines, 0)} | 0 |`);
      out.push('');
    }
    if (m.problems.length > 0) {
      out.push('Notes of the run (a configuration that extends a missing package is read without it; the files concerned were analysed with fewer types):', '');
      for (const problem of m.problems.slice(0, 20)) out.push(`- ${cell(problem)}`);
      if (m.problems.length > 20) out.push(`- … and ${m.problems.length - 20} more`);
      out.push('');
    }
    if (m.syntaxErrors.length > 0) {
      out.push(`Parse errors (TypeScript's parser recovered and the rules ran on the rest): ${m.syntaxErrors.length}.`, '');
      for (const error of m.syntaxErrors.slice(0, 15)) out.push(`- ${cell(`${error.file}:${error.line}: ${error.message}`)}`);
      if (m.syntaxErrors.length > 15) out.push(`- … and ${m.syntaxErrors.length - 15} more`);
      out.push('');
    }
    if (m.crashes.length > 0) {
      out.push('Rule crashes:', '');
      for (const crash of m.crashes) out.push(`- ${crash.code} on ${cell(crash.file)} (${crash.mode}): ${cell(crash.stack.split('\n')[0]!)}`);
      out.push('');
    }
    if (m.findings.size === 0) {
      out.push('No finding.', '');
      continue;
    }
    out.push('| finding | rule | modes | source line | verdict | reason |', '|---|---|---|---|---|---|');
    for (const f of [...m.findings.values()].sort((a, b) => a.owner.localeCompare(b.owner) || a.file.localeCompare(b.file) || a.line - b.line)) {
      const entry = verdicts[f.id];
      const where = m.corpus.key === 'node_modules' ? `${f.owner.slice(4)}/${f.file}:${f.line}` : `${f.file}:${f.line}`;
      out.push(`| ${cell(where)} | ${f.code} (${f.severity}) | ${[...f.modes].sort().join(', ')} | ${code(f.source)} | ${entry?.verdict ?? '**none**'} | ${cell(entry?.reason ?? '')} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ---- main ---------------------------------------------------------------------

function main(): number {
  const args = process.argv.slice(2);
  const dump = args.includes('--dump');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').filter(Boolean)) : undefined;
  // The CLI's own TypeScript (what JsChecker loaded), so programs and syntax-only parses agree.
  const checkerForTs = new JsChecker({ onProblem: () => {}, textOf: () => undefined });
  const typescript = checkerForTs.ts;
  console.log(`TypeScript ${typescript.version}; rules: ${CODES.join(', ')}`);

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-js-scorecard-'));
  const measured: Measured[] = [];
  const missing: string[] = [];
  try {
    const sources: { name: string; get: () => Corpus | string }[] = [
      { name: 'node_modules', get: nodeModules },
      ...PROJECTS.map((project) => ({ name: shortName(project.repo), get: () => extractProject(project, scratch) })),
    ];
    for (const source of sources) {
      if (only && !only.has(source.name)) continue;
      const corpus = source.get();
      if (typeof corpus === 'string') {
        missing.push(corpus);
        console.error(`js-scorecard: skipped ${corpus}`);
        continue;
      }
      const m = measure(corpus, typescript);
      measured.push(m);
      console.log(`${corpus.label} @ ${corpus.version.slice(0, 12)}: ${m.files} files (${m.typedFiles} with their tsconfig, ${m.inferredFiles} with an inferred program), ${m.lines} lines, ${m.findings.size} findings, ${m.syntaxErrors.length} parse errors, ${m.crashes.length} crashes, ${seconds(m.milliseconds)}`);
      console.log(`  ${SHAPES.map((shape) => `${shape}: ${m.shapes.get(shape)}`).join(', ')}`);
      for (const error of m.syntaxErrors) console.log(`  parse error: ${error.file}:${error.line}: ${error.message}`);
      for (const problem of m.problems) console.log(`  ${problem}`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const verdicts = readVerdicts();
  if (dump) {
    for (const m of measured) {
      for (const f of m.findings.values()) {
        const entry = verdicts[f.id];
        console.log(`\nFINDING ${f.id}\n  ${f.code} ${f.severity} [${[...f.modes].sort().join(', ')}] ${f.message}${entry ? `\n  VERDICT ${entry.verdict}: ${entry.reason}` : ''}\n${f.context}`);
      }
      for (const crash of m.crashes) console.log(`\nCRASH ${crash.code} on ${m.corpus.label}: ${crash.file} (${crash.mode})\n${crash.stack}`);
    }
    return 0;
  }

  const notMeasured: string[] = [];
  const problems = [...control(typescript), ...checkHandWork(measured, verdicts, notMeasured)];
  if (notMeasured.length > 0) console.log(`${notMeasured.length} verdicts are for corpora or packages not measured in this run (left as they are).`);
  const partial = missing.length > 0 || only !== undefined;
  if (!partial || args.includes('--partial')) {
    fs.writeFileSync(REPORT, render(measured, missing, verdicts));
    console.log(`wrote ${path.relative(ROOT, REPORT)}`);
  } else {
    console.log('scorecard not rewritten: not every corpus was measured (--partial writes one anyway).');
  }
  if (problems.length > 0) {
    console.error(`js-scorecard: FAILED (${problems.length} problems):`);
    for (const problem of problems) console.error(`  ${problem}`);
    console.error('Read the code of each new finding and add its verdict to docs/scorecards/js-verdicts.json (remove those that match nothing); fix the rules that throw or raise false alarms; run `npm run scorecard:js` again.');
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error);
  process.exitCode = 2;
}
