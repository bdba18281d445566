import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from '../support/cli';

/*
 * The ESLint plugin the way a user gets it: `npm pack` of this package,
 * installed with npm into a temporary project next to the real `eslint`
 * (and typescript-eslint and typescript for the typed project; the plain
 * JavaScript project installs nothing else, so the plugin parses with the
 * TypeScript the package ships), configured with
 * `import asyncLens from 'async-lens/eslint-plugin'` and
 * `asyncLens.configs.recommended`, and run through `npx eslint`. npm reads
 * the registry (or its cache): ESLint and typescript-eslint are pinned to
 * the versions this repository develops against.
 */

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'eslint-plugin.js');

const versionOf = (name: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, timeout: number): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function npm(args: readonly string[], cwd: string): Run {
  const result = run('npm', args, cwd, 240_000);
  assert.equal(result.status, 0, `npm ${args.join(' ')} failed:\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
  return result;
}

function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

interface EslintResult {
  readonly filePath: string;
  readonly messages: readonly { ruleId: string | null; severity: number; line: number; column: number; message: string; fix?: unknown; suggestions?: readonly { desc: string }[]; fatal?: boolean }[];
}

/** `npx eslint -f json .` in `cwd`: each message as [file, rule, line, column, severity, fixable, suggestion titles]. */
function eslintJson(cwd: string): (string | number | boolean | null | string[])[][] {
  const result = run('npx', ['eslint', '-f', 'json', '.'], cwd, 120_000);
  assert.ok(result.status === 0 || result.status === 1, `eslint exited with ${result.status}:\n${result.stderr}`);
  const results = JSON.parse(result.stdout) as EslintResult[];
  return results.flatMap((file) => file.messages.map((message) => [
    path.relative(cwd, file.filePath).split(path.sep).join('/'),
    message.ruleId,
    message.line,
    message.column,
    message.severity,
    message.fix !== undefined,
    (message.suggestions ?? []).map((suggestion) => suggestion.desc),
  ]));
}

const NO_UNUSED_DIRECTIVES = "  { linterOptions: { reportUnusedDisableDirectives: 'error' } },";

/** A TypeScript project linted with types (typescript-eslint's project service): only types tell that `ticks` is an async generator in app.ts. */
const TYPED: Readonly<Record<string, string>> = {
  'package.json': JSON.stringify({ name: 'typed-fixture', private: true, type: 'module' }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'nodenext', strict: true, lib: ['ES2022', 'DOM'], skipLibCheck: true, noEmit: true }, include: ['src'] }),
  'eslint.config.mjs': [
    "import asyncLens from 'async-lens/eslint-plugin';",
    "import tseslint from 'typescript-eslint';",
    '',
    'export default [',
    "  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },",
    '  asyncLens.configs.recommended,',
    NO_UNUSED_DIRECTIVES,
    '];',
    '',
  ].join('\n'),
  'src/streams.ts': [
    'export async function* ticks(count: number): AsyncGenerator<number> {',
    '  for (let i = 0; i < count; i++) yield i;',
    '}',
    '',
  ].join('\n'),
  'src/app.ts': [
    "import { ticks } from './streams.js';",
    '',
    'export async function main(): Promise<number[]> {',
    '  for (const tick of ticks(3)) console.log(tick);',
    '  const all = Array.from(ticks(3));',
    '  // eslint-disable-next-line async-lens/sync-iteration-over-async-iterable',
    '  for (const tick of ticks(3)) console.log(tick);',
    '  for (const tick of ticks(3)) console.log(tick); // async-lens-ignore AIT101',
    '  return all;',
    '}',
    '',
  ].join('\n'),
};

/** Plain JavaScript with ESLint's own parser and no parser options: the syntax shows the local async generator. */
const PLAIN: Readonly<Record<string, string>> = {
  'package.json': JSON.stringify({ name: 'plain-fixture', private: true, type: 'module' }),
  'eslint.config.mjs': [
    "import asyncLens from 'async-lens/eslint-plugin';",
    '',
    'export default [',
    '  asyncLens.configs.recommended,',
    NO_UNUSED_DIRECTIVES,
    '];',
    '',
  ].join('\n'),
  'src/lines.js': [
    'async function* lines() {',
    "  yield 'a';",
    '}',
    '',
    'export async function main() {',
    '  for (const line of lines()) console.log(line);',
    '  // eslint-disable-next-line async-lens/sync-iteration-over-async-iterable',
    '  for (const line of lines()) console.log(line);',
    '  // async-lens-ignore AIT101',
    '  for (const line of lines()) console.log(line);',
    '  const { value } = lines().next();',
    '  return value;',
    '}',
    '',
  ].join('\n'),
};

describe('the ESLint plugin from the npm package, run by the eslint CLI', function () {
  // npm pack, two npm installs (from npm's cache when it has the packages) and four ESLint runs.
  this.timeout(600_000);
  let work = '';
  let tarball = '';

  before(() => {
    ensureBuilt(BUNDLE);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-eslint-'));
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT).stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, packed[0]!.filename);
    const files = packed[0]!.files.map((file) => file.path);
    assert.ok(files.includes('dist/eslint-plugin.js') && files.includes('dist/typescript.js') && files.includes('docs/rules/AIT101.md'), files.join('\n'));
    assert.deepEqual(files.filter((file) => /^(src|test|node_modules|scripts|bench)\//.test(file) || file.endsWith('.map')), [], 'the package holds only what runs and its docs');
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('a TypeScript project with types: exact findings, comments honoured, --fix applies the safe fix only', () => {
    const project = path.join(work, 'typed');
    writeFiles(project, TYPED);
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `eslint@${versionOf('eslint')}`, `typescript-eslint@${versionOf('typescript-eslint')}`, `typescript@${versionOf('typescript')}`], project);
    assert.deepEqual(eslintJson(project), [
      ['src/app.ts', 'async-lens/sync-iteration-over-async-iterable', 4, 3, 2, true, []],
      ['src/app.ts', 'async-lens/sync-iteration-over-async-iterable', 5, 26, 2, false, ['Use `await Array.fromAsync(...)`']],
    ]);
    const fixed = run('npx', ['eslint', '--fix', '.'], project, 120_000);
    assert.equal(fixed.status, 1, fixed.stderr);
    assert.equal(fs.readFileSync(path.join(project, 'src', 'app.ts'), 'utf8'), TYPED['src/app.ts']!.replace('  for (const tick of ticks(3)) console.log(tick);\n  const all', '  for await (const tick of ticks(3)) console.log(tick);\n  const all'));
    assert.deepEqual(eslintJson(project).map((message) => message[2]), [5]);
    // The package's "exports" keep the tsserver plugin loadable by the name a tsconfig gives it, the way tsserver resolves plugins.
    const plugin = run(process.execPath, ['-e', "const ts = require('typescript'); const found = ts.sys.require(require('node:path').resolve('node_modules'), 'async-lens/tsserver-plugin'); process.stdout.write(typeof found.module + ' ' + found.modulePath);"], project, 60_000);
    assert.equal(plugin.stdout, `function ${path.join(project, 'node_modules', 'async-lens', 'tsserver-plugin', 'index.js')}`, plugin.stderr);
  });

  it('plain JavaScript with ESLint\'s default parser and no TypeScript installed: exact findings, comments honoured, --fix', () => {
    const project = path.join(work, 'plain');
    writeFiles(project, PLAIN);
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `eslint@${versionOf('eslint')}`], project);
    assert.equal(fs.existsSync(path.join(project, 'node_modules', 'typescript')), false, 'the plain project has no TypeScript of its own');
    assert.deepEqual(eslintJson(project), [
      ['src/lines.js', 'async-lens/sync-iteration-over-async-iterable', 6, 3, 2, true, []],
      ['src/lines.js', 'async-lens/unawaited-anext', 11, 21, 2, true, []],
    ]);
    const fixed = run('npx', ['eslint', '--fix', '.'], project, 120_000);
    assert.equal(fixed.status, 0, `${fixed.stdout}\n${fixed.stderr}`);
    assert.equal(
      fs.readFileSync(path.join(project, 'src', 'lines.js'), 'utf8'),
      PLAIN['src/lines.js']!
        .replace('  for (const line of lines()) console.log(line);\n  // eslint', '  for await (const line of lines()) console.log(line);\n  // eslint')
        .replace('const { value } = lines().next();', 'const { value } = await lines().next();'),
    );
  });
});
