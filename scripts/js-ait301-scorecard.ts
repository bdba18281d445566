/*
 * AIT301 for JavaScript/TypeScript next to ESLint's core `no-await-in-loop`,
 * on real code nobody here wrote (issue 13, "Precision against
 * `no-await-in-loop`, side by side"). `npm run scorecard:ait301-js`:
 *
 *  1. materialises the pinned corpora in a cache directory outside the
 *     repository ($ASYNC_LENS_CACHE, else ~/.cache/async-lens): got,
 *     fastify and the held-out corpora (node-postgres, it, graphql-js,
 *     emittery) with `git archive` from their local snapshots
 *     (/work/.mirror/<owner>+<name>/repo, or $ASYNC_LENS_MIRROR), puppeteer
 *     from the sources npm publishes (`npm pack puppeteer-core@<version>`,
 *     checked against its pinned integrity: the repository is too large to
 *     snapshot);
 *  2. runs the real ESLint (its Node API, no configuration file) with core
 *     `no-await-in-loop` and `async-lens/sequential-await-in-loop` in one run
 *     over the same files, parsed by @typescript-eslint/parser: once from
 *     syntax alone, once with types (a program over the same files); the
 *     plugin is loaded from src/hosts/eslint/ (or its build,
 *     dist/eslint-plugin.js) when present, otherwise only the core rule runs;
 *  3. lists every `await` in the body of a `for await` loop: core
 *     `no-await-in-loop` never looks there, and some of those are the
 *     misconception too;
 *  4. checks the hand verdicts (docs/scorecards/AIT301-js-verdicts.json)
 *     against the union of those sites both ways (a site without a verdict,
 *     or a verdict for no site, fails the run) and writes
 *     docs/scorecards/AIT301-js.md, each rule's figures for the development
 *     corpora (AIT301 was tuned on them), the held-out ones (labelled blind,
 *     never tuned on) and both together.
 *
 * A site is keyed `corpus/path:line:column` (1-based) of what was reported:
 * the `await`, or a `for await` loop nested in another loop.
 *
 * `--check` regenerates the scorecard and fails when it differs from the
 * committed one (writing nothing); `--dump` prints every site with its loop
 * and verdict (for judging) and writes nothing; `--dump --blind` does so
 * without loading AIT301 (to label a corpus before seeing what it reports),
 * and `--role held-out` (or `development`) narrows a dump to those corpora.
 * A corpus that cannot be
 * materialised is reported with what to do, and the run fails.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import * as ts from 'typescript';
import { snapshotGitDir } from './snapshots';

type Verdict = 'true' | 'sequential' | 'false alarm';
const VERDICTS_ALLOWED: readonly Verdict[] = ['true', 'sequential', 'false alarm'];

/** Who reported a site: a rule in a mode, or the listing of `for await` bodies. */
type Source = 'no-await-in-loop' | 'AIT301 untyped' | 'AIT301 typed' | 'for-await body';
const RULE_COLUMNS: readonly Source[] = ['no-await-in-loop', 'AIT301 untyped', 'AIT301 typed'];

const CORE_RULE = 'no-await-in-loop';
const PLUGIN_NAME = 'async-lens';
const OUR_RULE = 'sequential-await-in-loop';

/**
 * `development`: the corpora AIT301 was tuned on (its misses and silences were
 * studied there); `held-out`: corpora labelled blind, before AIT301's reports
 * on them were looked at, and never used to tune it: its precision there is
 * the one to believe.
 */
type Role = 'development' | 'held-out';
const ROLES: readonly Role[] = ['development', 'held-out'];

interface CorpusSpec {
  /** The short name sites are keyed by. */
  readonly name: string;
  readonly role: Role;
  readonly label: string;
  readonly version: string;
  readonly link: string;
  readonly why: string;
  /** Folders of the materialised tree whose files are linted ('' for all). */
  readonly roots: readonly string[];
  readonly materialise: (into: string) => string | undefined;
}

const PUPPETEER_VERSION = '24.43.1';
/** `dist.integrity` of puppeteer-core@24.43.1 on the npm registry. */
const PUPPETEER_INTEGRITY = 'sha512-T5ScUMAsmhdNbgDR41AGESYeS6V9MSgetkSnVhhW+gXvzC42VesKCn5ld87gAZDJ6vLHL9GkRvY9WtQWSnwFbw==';

const CORPORA: readonly CorpusSpec[] = [
  {
    name: 'got',
    role: 'development',
    label: 'sindresorhus/got',
    version: 'd00d845a0b435365ec73ea5a1fca6e17ee677184',
    link: 'https://github.com/sindresorhus/got/tree/d00d845a0b435365ec73ea5a1fca6e17ee677184',
    why: 'an HTTP client (TS): retries, pagination, streams; its tests drive servers step by step',
    roots: [''],
    materialise: (into) => fromSnapshot('sindresorhus/got', 'd00d845a0b435365ec73ea5a1fca6e17ee677184', into),
  },
  {
    name: 'fastify',
    role: 'development',
    label: 'fastify/fastify',
    version: '83e69762aff047940b376fc2a266d143499ef727',
    link: 'https://github.com/fastify/fastify/tree/83e69762aff047940b376fc2a266d143499ef727',
    why: 'a web framework (JS, type tests in TS): hooks run in order, tests that inject requests one by one',
    roots: [''],
    materialise: (into) => fromSnapshot('fastify/fastify', '83e69762aff047940b376fc2a266d143499ef727', into),
  },
  {
    name: 'puppeteer',
    role: 'development',
    label: `puppeteer-core@${PUPPETEER_VERSION} (npm)`,
    version: PUPPETEER_VERSION,
    link: `https://www.npmjs.com/package/puppeteer-core/v/${PUPPETEER_VERSION}`,
    why: "browser automation (TS): one page and one protocol connection driven step by step; the sources npm publishes (`src/`, tests excluded) because the repository's snapshot is over the mirror's size limit",
    roots: ['src'],
    materialise: fromNpm,
  },
  // Held out: the commits scripts/js-scorecard.ts pins, labelled before AIT301 was run on them.
  {
    name: 'node-postgres',
    role: 'held-out',
    label: 'brianc/node-postgres',
    version: 'c9e57617bc92c2ded23a75345f50eadc527bd131',
    link: 'https://github.com/brianc/node-postgres/tree/c9e57617bc92c2ded23a75345f50eadc527bd131',
    why: 'a PostgreSQL client (JS, some TS): one connection per client, queries in order, pools, cursors; tests that step a server',
    roots: [''],
    materialise: (into) => fromSnapshot('brianc/node-postgres', 'c9e57617bc92c2ded23a75345f50eadc527bd131', into),
  },
  {
    name: 'it',
    role: 'held-out',
    label: 'achingbrain/it',
    version: '602de90f93a67c682434d6f83147fef994566eb1',
    link: 'https://github.com/achingbrain/it/tree/602de90f93a67c682434d6f83147fef994566eb1',
    why: 'a monorepo of async-iterable utilities (TS): `it-map`, `it-merge`, `it-pushable`…, consumed with `for await` throughout',
    roots: [''],
    materialise: (into) => fromSnapshot('achingbrain/it', '602de90f93a67c682434d6f83147fef994566eb1', into),
  },
  {
    name: 'graphql-js',
    role: 'held-out',
    label: 'graphql/graphql-js',
    version: 'a7db60beb22b0e417f9ed12215945c7fcb43246e',
    link: 'https://github.com/graphql/graphql-js/tree/a7db60beb22b0e417f9ed12215945c7fcb43246e',
    why: 'the GraphQL reference implementation (TS): execution, subscriptions as async iterators, incremental delivery',
    roots: [''],
    materialise: (into) => fromSnapshot('graphql/graphql-js', 'a7db60beb22b0e417f9ed12215945c7fcb43246e', into),
  },
  {
    name: 'emittery',
    role: 'held-out',
    label: 'sindresorhus/emittery',
    version: 'e2d879073c59ec2a375abbf7deb681e25960dc5e',
    link: 'https://github.com/sindresorhus/emittery/tree/e2d879073c59ec2a375abbf7deb681e25960dc5e',
    why: 'an async event emitter (JS): serial and concurrent emission, events as async iterators',
    roots: [''],
    materialise: (into) => fromSnapshot('sindresorhus/emittery', 'e2d879073c59ec2a375abbf7deb681e25960dc5e', into),
  },
];

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'scorecards');
const VERDICTS_FILE = path.join(OUT, 'AIT301-js-verdicts.json');
const REPORT = path.join(OUT, 'AIT301-js.md');
const CACHE = path.join(process.env.ASYNC_LENS_CACHE ?? path.join(os.homedir(), '.cache', 'async-lens'), 'ait301-js');
const LINTED = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

// ---- the corpora --------------------------------------------------------------

/** Extracts the JS/TS and JSON files of `commit` into `into`; a problem when the snapshot is missing. */
function fromSnapshot(repo: string, commit: string, into: string): string | undefined {
  const snapshot = snapshotGitDir(repo, commit);
  if ('problem' in snapshot) return snapshot.problem;
  const listing = execFileSync('git', ['-C', snapshot.gitDir, 'ls-tree', '-r', '-z', '--name-only', commit], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wanted = listing.split('\0').filter((file) => LINTED.test(file) || file.endsWith('.json'));
  const tar = `${into}.tar`;
  for (let at = 0; at < wanted.length; at += 500) {
    execFileSync('git', ['--literal-pathspecs', '-C', snapshot.gitDir, 'archive', '--format=tar', '-o', tar, commit, '--', ...wanted.slice(at, at + 500)], { stdio: 'pipe' });
    execFileSync('tar', ['-x', '-f', tar, '-C', into]);
  }
  fs.rmSync(tar, { force: true });
  return undefined;
}

/** Packs puppeteer-core from the npm registry (the one download here) and unpacks it into `into`. */
function fromNpm(into: string): string | undefined {
  const spec = `puppeteer-core@${PUPPETEER_VERSION}`;
  let packed: { filename: string; integrity: string }[];
  try {
    packed = JSON.parse(execFileSync('npm', ['pack', spec, '--json', '--pack-destination', path.dirname(into)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as typeof packed;
  } catch (error) {
    return `${spec}: \`npm pack\` failed (${(error as Error).message.split('\n')[0]}); it needs the npm registry`;
  }
  const tarball = path.join(path.dirname(into), packed[0]!.filename);
  const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
  if (integrity !== PUPPETEER_INTEGRITY) {
    fs.rmSync(tarball, { force: true });
    return `${spec}: the tarball's integrity is ${integrity}, not the pinned ${PUPPETEER_INTEGRITY}`;
  }
  execFileSync('tar', ['-x', '-z', '-f', tarball, '-C', into, '--strip-components=1']);
  fs.rmSync(tarball, { force: true });
  return undefined;
}

/** The corpus's tree in the cache, materialised once (a marker file says it is complete). */
function materialised(corpus: CorpusSpec): { root: string } | { problem: string } {
  const root = path.join(CACHE, `${corpus.name}@${corpus.version}`);
  const marker = path.join(root, '.async-lens-complete');
  if (fs.existsSync(marker)) return { root };
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const problem = corpus.materialise(root);
  if (problem) {
    fs.rmSync(root, { recursive: true, force: true });
    return { problem };
  }
  fs.writeFileSync(marker, '');
  return { root };
}

/** The files linted: JS/TS sources under the corpus's roots, declaration files aside, sorted. */
function listFiles(root: string, roots: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (directory: string) => {
    const entries = fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(absolute);
      } else if (entry.isFile() && LINTED.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
        files.push(absolute);
      }
    }
  };
  for (const each of roots) visit(path.join(root, each));
  return files;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- the plugin ---------------------------------------------------------------

interface LoadedPlugin {
  readonly plugin: ESLint.Plugin;
  readonly from: string;
}

/** The Async Lens ESLint plugin, from its sources (run by tsx) or its build, with AIT301 in it; otherwise why not. */
function loadPlugin(): LoadedPlugin | string {
  const candidates = [path.join(ROOT, 'src', 'hosts', 'eslint', 'index.ts'), path.join(ROOT, 'dist', 'eslint-plugin.js')];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) return `the Async Lens ESLint plugin was not found (${candidates.map((each) => path.relative(ROOT, each)).join(', ')})`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(found) as { default?: ESLint.Plugin } & ESLint.Plugin;
  const plugin = loaded.default ?? loaded;
  if (!plugin.rules?.[OUR_RULE]) return `the Async Lens ESLint plugin (${path.relative(ROOT, found)}) has no rule \`${OUR_RULE}\` yet`;
  return { plugin, from: path.relative(ROOT, found) };
}

// ---- the sites ----------------------------------------------------------------

interface Site {
  readonly key: string;
  readonly corpus: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly sources: Set<Source>;
  /** The reported line, trimmed. */
  readonly text: string;
  /** The innermost loop around the site (`corpus/path:line:column` of the loop), if any. */
  readonly loop: string | undefined;
}

interface Measured {
  readonly corpus: CorpusSpec;
  readonly root: string;
  readonly files: number;
  lines: number;
  typedFiles: number;
  readonly parseErrors: string[];
  readonly sites: Map<string, Site>;
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.[cm]?ts$/.test(file)) return ts.ScriptKind.TS;
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

interface Position {
  readonly line: number;
  readonly column: number;
}

/** What the scorecard reads from one file's syntax tree (TypeScript's parser, positions 1-based). */
class FileSyntax {
  readonly sourceFile: ts.SourceFile;
  readonly lines: readonly string[];

  constructor(file: string, readonly text: string) {
    this.sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    this.lines = text.split(/\r?\n/);
  }

  positionOf(node: ts.Node): Position {
    const { line, character } = this.sourceFile.getLineAndCharacterOfPosition(node.getStart(this.sourceFile));
    return { line: line + 1, column: character + 1 };
  }

  /** Every `await` (an expression, or a nested `for await` loop) in the body of a `for await`, outside nested functions. */
  forAwaitBodyAwaits(): Position[] {
    const found: Position[] = [];
    const inBody = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) found.push(this.positionOf(node));
      ts.forEachChild(node, inBody);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isForOfStatement(node) && node.awaitModifier) inBody(node.statement);
      ts.forEachChild(node, visit);
    };
    visit(this.sourceFile);
    return found;
  }

  /** The nodes from the file down to the innermost one that starts at or before `at` and ends after it. */
  private path(at: Position): ts.Node[] {
    const offset = this.sourceFile.getPositionOfLineAndCharacter(at.line - 1, at.column - 1);
    const path: ts.Node[] = [];
    const visit = (node: ts.Node): void => {
      if (node.getStart(this.sourceFile) > offset || node.end <= offset) return;
      path.push(node);
      ts.forEachChild(node, visit);
    };
    visit(this.sourceFile);
    return path;
  }

  /** The `await` a report at `at` belongs to: the innermost await (or `for await`) around it, else `at` itself. */
  anchor(at: Position): Position {
    const around = this.path(at).reverse().find((node) => ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier));
    return around ? this.positionOf(around) : at;
  }

  private startsAt(node: ts.Node, at: Position): boolean {
    const start = this.positionOf(node);
    return start.line === at.line && start.column === at.column;
  }

  /** The innermost loop around the node starting at `at`, in the same function. */
  loopOf(at: Position): Position | undefined {
    const path = this.path(at);
    let own = path.length;
    while (own > 0 && !this.startsAt(path[own - 1]!, at)) own--;
    for (let index = (own > 0 ? own - 1 : path.length) - 1; index >= 0; index--) {
      const node = path[index]!;
      if (ts.isFunctionLike(node)) return undefined;
      if (ts.isIterationStatement(node, false)) return this.positionOf(node);
    }
    return undefined;
  }
}

function addSite(m: Measured, file: string, syntax: FileSyntax, at: Position, source: Source): void {
  const relative = path.relative(m.root, file).split(path.sep).join('/');
  const key = `${m.corpus.name}/${relative}:${at.line}:${at.column}`;
  const existing = m.sites.get(key);
  if (existing) {
    existing.sources.add(source);
    return;
  }
  const loop = syntax.loopOf(at);
  m.sites.set(key, {
    key, corpus: m.corpus.name, file: relative, line: at.line, column: at.column, sources: new Set([source]),
    text: (syntax.lines[at.line - 1] ?? '').trim(), loop: loop && `${m.corpus.name}/${relative}:${loop.line}:${loop.column}`,
  });
}

/** The program the typed run uses: every linted file, with the options of a plain strict project. */
function writeTypedConfig(root: string, files: readonly string[]): string {
  const config = path.join(root, 'tsconfig.async-lens-scorecard.json');
  fs.writeFileSync(config, JSON.stringify({
    compilerOptions: {
      allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true, strict: true,
      target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2023', 'dom'], types: [],
    },
    files: files.map((file) => path.relative(root, file)),
  }, null, 2));
  return config;
}

function configFor(plugin: LoadedPlugin | undefined, typed: { project: string; root: string } | undefined): Linter.Config[] {
  const rules: Linter.RulesRecord = { [CORE_RULE]: 'error' };
  if (plugin) rules[`${PLUGIN_NAME}/${OUR_RULE}`] = 'error';
  return [
    {
      files: ['**/*.{js,mjs,cjs,ts,mts,cts,jsx,tsx}'],
      ...(plugin ? { plugins: { [PLUGIN_NAME]: plugin.plugin } } : {}),
      languageOptions: {
        parser: tsParser as Linter.Parser,
        ecmaVersion: 'latest',
        sourceType: 'module',
        parserOptions: {
          ecmaFeatures: { jsx: true },
          ...(typed ? { project: typed.project, tsconfigRootDir: typed.root } : {}),
        },
      },
      linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
      rules,
    },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  ];
}

async function measure(corpus: CorpusSpec, root: string, plugin: LoadedPlugin | undefined): Promise<Measured> {
  const files = listFiles(root, corpus.roots);
  const m: Measured = { corpus, root, files: files.length, lines: 0, typedFiles: 0, parseErrors: [], sites: new Map() };
  const syntaxes = new Map(files.map((file) => [file, new FileSyntax(file, fs.readFileSync(file, 'utf8'))]));
  for (const [file, syntax] of syntaxes) {
    m.lines += syntax.lines.length;
    for (const at of syntax.forAwaitBodyAwaits()) addSite(m, file, syntax, at, 'for-await body');
  }
  const runs: { typed: boolean }[] = [{ typed: false }, ...(plugin ? [{ typed: true }] : [])];
  for (const run of runs) {
    const typed = run.typed ? { project: writeTypedConfig(root, files), root } : undefined;
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: configFor(plugin, typed), ignore: false, cache: false });
    const results = await eslint.lintFiles(files);
    for (const result of results) {
      const syntax = syntaxes.get(result.filePath)!;
      let fatal = false;
      for (const message of result.messages) {
        if (message.fatal) {
          fatal = true;
          if (!run.typed) m.parseErrors.push(`${path.relative(root, result.filePath)}:${message.line}: ${message.message}`);
          continue;
        }
        // With `noInlineConfig`, ESLint notes each directive it ignores.
        if (message.ruleId === null) continue;
        const at = { line: message.line, column: message.column };
        if (message.ruleId === CORE_RULE) addSite(m, result.filePath, syntax, at, CORE_RULE);
        // AIT301 may report the awaited call rather than the `await`: a site is its await.
        else if (message.ruleId === `${PLUGIN_NAME}/${OUR_RULE}`) addSite(m, result.filePath, syntax, syntax.anchor(at), run.typed ? 'AIT301 typed' : 'AIT301 untyped');
        else throw new Error(`${result.filePath}:${message.line}: unexpected message from ${message.ruleId}: ${message.message}`);
      }
      if (run.typed && !fatal) m.typedFiles++;
    }
  }
  return m;
}

// ---- the hand verdicts --------------------------------------------------------

interface VerdictEntry {
  readonly verdict: Verdict;
  readonly reason: string;
  /** For a true site AIT301 does not report: why it is silent there (for whoever tunes the rule). */
  readonly missed?: string;
}

function readVerdicts(): Record<string, VerdictEntry> {
  if (!fs.existsSync(VERDICTS_FILE)) return {};
  return JSON.parse(fs.readFileSync(VERDICTS_FILE, 'utf8')) as Record<string, VerdictEntry>;
}

function checkVerdicts(sites: readonly Site[], verdicts: Record<string, VerdictEntry>, ruleRan: boolean): string[] {
  const problems: string[] = [];
  const keys = new Set(sites.map((site) => site.key));
  if (ruleRan) {
    for (const site of sites) {
      const entry = verdicts[site.key];
      const reported = site.sources.has('AIT301 untyped') || site.sources.has('AIT301 typed');
      if (entry?.missed !== undefined && (entry.verdict !== 'true' || reported)) problems.push(`${site.key}: \`missed\` explains why AIT301 is silent on a true site; this one is ${reported ? 'reported' : `"${entry.verdict}"`} (remove it)`);
    }
  }
  for (const site of sites) if (!verdicts[site.key]) problems.push(`no verdict for ${site.key} (${[...site.sources].join(', ')}): ${site.text}`);
  for (const [key, entry] of Object.entries(verdicts)) {
    if (!keys.has(key)) problems.push(`the verdict for ${key} matches no site (moved, or a rule changed: review and remove it)`);
    if (!VERDICTS_ALLOWED.includes(entry.verdict) || !entry.reason?.trim()) problems.push(`${key}: a verdict is ${VERDICTS_ALLOWED.map((each) => `"${each}"`).join(', ')} with a reason`);
  }
  return problems;
}

// ---- the report ---------------------------------------------------------------

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  const shown = text.length > 90 ? `${text.slice(0, 87)}…` : text;
  const clean = shown.replace(/\|/g, '\\|');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function ratio(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${part}/${whole} (${Math.round((100 * part) / whole)}%)`;
}

function sortSites(sites: Iterable<Site>): Site[] {
  const order = new Map(CORPORA.map((corpus, index) => [corpus.name, index]));
  return [...sites].sort((a, b) => order.get(a.corpus)! - order.get(b.corpus)! || compare(a.file, b.file) || a.line - b.line || a.column - b.column);
}

function ruleName(source: Source): string {
  if (source === 'for-await body') return '*(listed: awaits in `for await` bodies)*';
  if (source === CORE_RULE) return `\`${CORE_RULE}\``;
  return `\`${PLUGIN_NAME}/${OUR_RULE}\`${source === 'AIT301 typed' ? ' (typed)' : ''}`;
}

const SOURCE_NAMES: Record<Source, string> = {
  'no-await-in-loop': 'core',
  'AIT301 untyped': 'AIT301',
  'AIT301 typed': 'AIT301 typed',
  'for-await body': 'for-await body',
};

/** The innermost loop of each site, with the sites in it. */
function loopsOf(sites: readonly Site[]): Map<string, Site[]> {
  const loops = new Map<string, Site[]>();
  for (const site of sites) if (site.loop) loops.set(site.loop, [...(loops.get(site.loop) ?? []), site]);
  return loops;
}

/** Each rule's reports, precision and recall on `sites`, by site and by loop, under a `###` heading. */
function ruleTables(title: string, what: string, sites: readonly Site[], columns: readonly Source[], verdictOf: (site: Site) => Verdict | undefined, corpora: readonly Measured[]): string[] {
  const out: string[] = [`### ${title}`, '', `${corpora.map((m) => m.corpus.label).join(', ')}: ${what}.`, ''];
  const trueSites = sites.filter((site) => verdictOf(site) === 'true');
  out.push('| rule | reports | true | sequential | false alarm | precision | recall |', '|---|--:|--:|--:|--:|--:|--:|');
  for (const source of columns) {
    const reported = sites.filter((site) => site.sources.has(source));
    const count = (verdict: Verdict) => reported.filter((site) => verdictOf(site) === verdict).length;
    out.push(`| ${ruleName(source)} | ${reported.length} | ${count('true')} | ${count('sequential')} | ${count('false alarm')} | ${ratio(count('true'), reported.length)} | ${ratio(count('true'), trueSites.length)} |`);
  }
  out.push('', `All sites: ${sites.length}; true: ${trueSites.length}.`, '');

  // A rule that reports a loop once (at its first independent await) is measured per loop too.
  const loops = loopsOf(sites);
  const trueLoops = [...loops.values()].filter((each) => each.some((site) => verdictOf(site) === 'true'));
  out.push(`By loop (the innermost loop around each site; a loop is true when one of its sites is): ${loops.size} loops, ${trueLoops.length} true.`, '');
  out.push('| rule | loops reported | true | precision | recall |', '|---|--:|--:|--:|--:|');
  for (const source of columns) {
    const reported = [...loops.values()].filter((each) => each.some((site) => site.sources.has(source)));
    const truly = reported.filter((each) => trueLoops.includes(each)).length;
    out.push(`| ${ruleName(source)} | ${reported.length} | ${truly} | ${ratio(truly, reported.length)} | ${ratio(truly, trueLoops.length)} |`);
  }
  out.push('');
  return out;
}

function render(measured: readonly Measured[], loaded: LoadedPlugin | string, verdicts: Record<string, VerdictEntry>): string {
  const plugin = typeof loaded === 'string' ? undefined : loaded;
  const sites = sortSites(measured.flatMap((m) => [...m.sites.values()]));
  const verdictOf = (site: Site) => verdicts[site.key]?.verdict;
  const trueSites = sites.filter((site) => verdictOf(site) === 'true');
  const out: string[] = [];
  out.push('# Scorecard: AIT301 (sequential-await-in-loop) in JavaScript/TypeScript next to `no-await-in-loop`', '');
  out.push('Generated by `npm run scorecard:ait301-js` (scripts/js-ait301-scorecard.ts); do not edit by hand. The hand',
    'verdicts are in [AIT301-js-verdicts.json](AIT301-js-verdicts.json); the script fails when a site has no verdict or a',
    'verdict matches no site, and `--check` fails when this file is not what the script writes.', '');
  out.push('## How it was run', '');
  out.push(`- The real ESLint ${ESLint.version} (its Node API, no configuration file), files parsed by @typescript-eslint/parser`,
    `  ${(tsParser as { version?: string }).version ?? ''}, with core \`${CORE_RULE}\` and ${plugin ? `\`${PLUGIN_NAME}/${OUR_RULE}\` (loaded from ${plugin.from})` : `**not** \`${PLUGIN_NAME}/${OUR_RULE}\` (${loaded as string})`}`,
    '  in one run over the same files: every JS/TS file of each corpus, declaration files and node_modules aside, tests',
    '  and examples included; `// eslint-disable` comments are ignored (`noInlineConfig`), so each rule is measured as written.',
    '- Twice: from syntax alone (*AIT301*), and with types (*AIT301 typed*): a program over the same files (`allowJs`,',
    '  `strict`, `parserOptions.project`), with no `npm install` (the projects are read as fetched, their dependencies\'',
    '  types are missing, and the rule must stay silent there rather than guess). Not `projectService` with the projects\'',
    "  own tsconfigs: got's extends a package that is not installed, puppeteer-core's (`src/tsconfig.*.json`) extend a",
    "  monorepo base npm does not publish, and fastify's covers only its type tests. The core rule does not use types; it",
    '  is the same in both runs.',
    '- *for-await body*: every `await` in the body of a `for await` loop (outside nested functions), listed by a walk of',
    `  the TypeScript syntax tree: \`${CORE_RULE}\` treats a \`for await\` loop as a boundary and never reports there.`,
    '- A site is `corpus/path:line:column` of the report (the `await`, or a `for await` nested in another loop).',
    '- Verdicts, by reading the loop and the callee: **true**: independent work awaited one item at a time that could run',
    '  concurrently with the same result (the misconception); **sequential**: sequential on purpose (order matters, a',
    '  value carried to the next iteration, first match or early exit, pacing, retry or polling, one shared connection,',
    '  page or stream, a consumer loop, a test ordering its steps); **false alarm**: the report is wrong about the code',
    '  (the await does not run once per iteration, or is not in a loop at all).',
    '- Precision = true / reports. Recall = true sites the rule reports / all true sites (of every source).',
    '- Two roles. *Development* corpora are the ones AIT301 was tuned on. *Held-out* corpora were labelled blind: every',
    `  \`${CORE_RULE}\` report and \`for await\` body await was judged from \`--dump --blind\` (AIT301 not loaded) and the labels`,
    '  committed before AIT301 was run there; a verdict is changed afterwards only when the code was misread, and its reason',
    '  says so. The rule is not tuned on them.', '');

  out.push('## Corpora', '');
  out.push('| corpus | role | version | files | lines | typed files | parse errors | sites | true | sequential | false alarm |', '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const m of measured) {
    const own = [...m.sites.values()];
    const count = (verdict: Verdict) => own.filter((site) => verdictOf(site) === verdict).length;
    out.push(`| ${m.corpus.label} | ${m.corpus.role} | [${m.corpus.version.slice(0, 12)}](${m.corpus.link}) | ${m.files} | ${m.lines} | ${plugin ? m.typedFiles : '-'} | ${m.parseErrors.length} | ${own.length} | ${count('true')} | ${count('sequential')} | ${count('false alarm')} |`);
  }
  out.push('');
  for (const m of measured) {
    out.push(`- ${m.corpus.label}: ${m.corpus.why}.`);
    for (const error of m.parseErrors) out.push(`  Parse error: ${cell(error)}`);
  }
  out.push('');

  out.push('## Each rule', '');
  const columns: Source[] = plugin ? [...RULE_COLUMNS, 'for-await body'] : ['no-await-in-loop', 'for-await body'];
  const groups = [
    ...ROLES.map((role) => ({
      title: role === 'development' ? 'Development corpora' : 'Held-out corpora',
      what: role === 'development'
        ? 'what AIT301 was tuned on: its silences and misses were studied here'
        : 'labelled blind (every site judged before AIT301 was run there) and never used to tune the rule',
      corpora: measured.filter((m) => m.corpus.role === role),
    })),
    { title: 'All corpora', what: 'both sets together', corpora: measured },
  ];
  for (const group of groups) {
    const names = new Set(group.corpora.map((m) => m.corpus.name));
    out.push(...ruleTables(group.title, group.what, sites.filter((site) => names.has(site.corpus)), columns, verdictOf, group.corpora));
  }
  const loops = loopsOf(sites);

  if (plugin) {
    const ours = (site: Site) => site.sources.has('AIT301 untyped') || site.sources.has('AIT301 typed');
    const missed = trueSites.filter((site) => !ours(site));
    out.push('## True sites AIT301 does not report', '');
    if (missed.length === 0) out.push('None.', '');
    else {
      out.push('| site | source line | its loop reported by AIT301 at | why AIT301 is silent |', '|---|---|---|---|');
      for (const site of missed) {
        const sibling = site.loop ? loops.get(site.loop)!.find(ours) : undefined;
        out.push(`| ${cell(site.key)} | ${code(site.text)} | ${sibling ? `${sibling.line}:${sibling.column}` : 'no'} | ${cell(verdicts[site.key]?.missed ?? '')} |`);
      }
      out.push('');
    }
  }

  out.push('## Every site', '');
  for (const m of measured) {
    out.push(`### ${m.corpus.label}`, '');
    const own = sortSites(m.sites.values());
    if (own.length === 0) {
      out.push('No site.', '');
      continue;
    }
    out.push('| site | source line | reported by | verdict | reason |', '|---|---|---|---|---|');
    for (const site of own) {
      const by = (Object.keys(SOURCE_NAMES) as Source[]).filter((source) => site.sources.has(source)).map((source) => SOURCE_NAMES[source]).join(', ');
      const entry = verdicts[site.key];
      out.push(`| ${cell(site.key.slice(m.corpus.name.length + 1))} | ${code(site.text)} | ${by} | ${entry?.verdict ?? '**none**'} | ${cell(entry?.reason ?? '')} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ---- --dump -------------------------------------------------------------------

/** The innermost loop around a site (and the function it is in), for reading the site in context. */
function loopAround(file: string, text: string, line: number, column: number): string {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const offset = sourceFile.getPositionOfLineAndCharacter(line - 1, column - 1);
  let loop: ts.Node | undefined;
  let fn: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (node.getStart(sourceFile) > offset || node.end <= offset) return;
    if (ts.isIterationStatement(node, false)) loop = node;
    if (ts.isFunctionLike(node)) {
      fn = node;
      loop = undefined;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  const lines = text.split(/\r?\n/);
  const span = (node: ts.Node) => [sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line, sourceFile.getLineAndCharacterOfPosition(node.end).line] as const;
  const [from, to] = loop ? span(loop) : [Math.max(0, line - 6), line + 4];
  const header = fn ? `  in: ${lines[span(fn)[0]]!.trim()}` : '  in: (module)';
  const shown: string[] = [];
  for (let at = Math.max(0, from - 3); at <= Math.min(lines.length - 1, to + 2); at++) {
    if (to - from > 60 && at > from + 25 && at < to - 25 && Math.abs(at - (line - 1)) > 8) continue;
    shown.push(`${at === line - 1 ? '>' : ' '}${String(at + 1).padStart(5)}  ${lines[at]}`);
  }
  return `${header}\n${shown.join('\n')}`;
}

// ---- main ---------------------------------------------------------------------

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const dump = args.includes('--dump');
  // `--dump --blind`: AIT301 is not loaded, for labelling without seeing what it reports; `--role <role>` keeps one role's corpora.
  const blind = dump && args.includes('--blind');
  const role = args.includes('--role') ? args[args.indexOf('--role') + 1] as Role : undefined;
  if (role !== undefined && !ROLES.includes(role)) {
    console.error(`ait301-js-scorecard: --role is one of ${ROLES.join(', ')}`);
    return 2;
  }
  if (role !== undefined && !dump) {
    console.error('ait301-js-scorecard: --role only narrows --dump (the scorecard covers every corpus)');
    return 2;
  }
  const loaded = blind ? 'not loaded (`--blind`)' : loadPlugin();
  const plugin = typeof loaded === 'string' ? undefined : loaded;
  console.log(`ESLint ${ESLint.version}; rules: ${CORE_RULE}${plugin ? `, ${PLUGIN_NAME}/${OUR_RULE} (${plugin.from})` : ` only: ${loaded as string}`}`);

  const measured: Measured[] = [];
  const missing: string[] = [];
  for (const corpus of CORPORA.filter((each) => role === undefined || each.role === role)) {
    const tree = materialised(corpus);
    if ('problem' in tree) {
      missing.push(tree.problem);
      continue;
    }
    const m = await measure(corpus, tree.root, plugin);
    measured.push(m);
    const bySource = (source: Source) => [...m.sites.values()].filter((site) => site.sources.has(source)).length;
    const shown: Source[] = plugin ? [...RULE_COLUMNS, 'for-await body'] : [CORE_RULE, 'for-await body'];
    console.log(`${corpus.label}: ${m.files} files, ${m.lines} lines; ${shown.map((source) => `${source} ${bySource(source)}`).join(', ')}; ${m.parseErrors.length} parse errors`);
  }
  if (missing.length > 0) {
    for (const problem of missing) console.error(`ait301-js-scorecard: cannot materialise ${problem}`);
    console.error('The scorecard needs every corpus: nothing written.');
    return 1;
  }

  const verdicts = readVerdicts();
  const sites = sortSites(measured.flatMap((m) => [...m.sites.values()]));
  if (dump) {
    for (const site of sites) {
      const m = measured.find((each) => each.corpus.name === site.corpus)!;
      const text = fs.readFileSync(path.join(m.root, site.file), 'utf8');
      const entry = verdicts[site.key];
      console.log(`\nSITE ${site.key} [${[...site.sources].join(', ')}] loop ${site.loop ?? 'none'}${entry ? `\n  VERDICT ${entry.verdict}: ${entry.reason}` : ''}\n${loopAround(site.file, text, site.line, site.column)}`);
    }
    return 0;
  }

  const problems = checkVerdicts(sites, verdicts, plugin !== undefined);
  const report = render(measured, loaded, verdicts);
  if (check) {
    const committed = fs.existsSync(REPORT) ? fs.readFileSync(REPORT, 'utf8') : '';
    if (committed !== report) problems.push(`${path.relative(ROOT, REPORT)} is not what the script writes now: run \`npm run scorecard:ait301-js\` and review the difference`);
  } else {
    fs.writeFileSync(REPORT, report);
    console.log(`wrote ${path.relative(ROOT, REPORT)}`);
  }
  if (problems.length > 0) {
    console.error(`ait301-js-scorecard: FAILED (${problems.length} problems):`);
    for (const problem of problems) console.error(`  ${problem}`);
    console.error('Read the code of each site (`--dump`) and add its verdict to docs/scorecards/AIT301-js-verdicts.json; remove those that match nothing.');
    return 1;
  }
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
