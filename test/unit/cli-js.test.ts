import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG } from '../../src/catalog';
import { checkPaths, exitCode } from '../../src/hosts/cli/check';
import { JS_RULES } from '../../src/js/rules';
import { defineJsRule } from '../../src/js/rule';
import { jsTriggerPattern } from '../../src/js/triggers';
import { ensureCliBuilt, json, runCli, TempProjects, where, type CliRun } from '../support/cli';

/*
 * `async-lens check` on JavaScript and TypeScript, end to end: the built CLI
 * (dist/cli.js, which reads TypeScript from dist/typescript.js and its lib
 * files from dist/typescript-lib/) on temporary projects, with and without a
 * tsconfig.json / jsconfig.json. A few checks call `checkPaths` directly for
 * what the command line cannot show (counters, an injected failing rule).
 * Only AIT101 is relied on (other JS rules may be added at any time).
 */

const TSCONFIG = JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'nodenext', strict: true, lib: ['ES2022'] }, include: ['src'] });

/** An async generator exported from one module... */
const STREAMS_TS = `export async function* ticks(count: number) {
  for (let i = 0; i < count; i++) yield i;
}
`;

/** ...iterated with `for…of` in another: only types can tell (this file has no async word of its own but the function's). */
const APP_TS = `import { ticks } from './streams.js';

export async function main() {
  for (const tick of ticks(3)) {
    console.log(tick);
  }
}
`;

/** Self-contained JavaScript: the syntax alone shows the async generator. */
const LOCAL_JS = `async function* lines() {
  yield 'a';
}

async function main() {
  for (const line of lines()) console.log(line);
}

function sync() {
  for (const line of lines()) console.log(line);
}

module.exports = { main, sync };
`;


function stderrLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter(Boolean);
}

function assertNoStackTrace(run: CliRun): void {
  assert.doesNotMatch(run.stderr, /^\s+at .+\(.*:\d+:\d+\)$/m, `stack trace on stderr:\n${run.stderr}`);
}

/** Files the CLI writes beside a file while fixing it, which must never be left behind. */
function leftovers(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => /async-lens\.(tmp|lock)$/.test(name));
}

describe('CLI: async-lens check on JavaScript and TypeScript', function () {
  this.timeout(120_000);
  const projects = new TempProjects();
  before(() => ensureCliBuilt());
  afterEach(() => projects.cleanup());

  describe('types from the nearest tsconfig.json or jsconfig.json', () => {
    it('sees through an import what only types can: an async generator of another module', () => {
      const root = projects.make({ 'tsconfig.json': TSCONFIG, 'src/streams.ts': STREAMS_TS, 'src/app.ts': APP_TS });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stderr, '');
      assert.deepEqual(where(json(run)), [`${path.join('src', 'app.ts')}:4:3 AIT101`]);

      // Without the configuration, the same files are checked from their syntax, which cannot know.
      fs.rmSync(path.join(root, 'tsconfig.json'));
      const untyped = runCli(['check', '--format', 'json'], root);
      assert.equal(untyped.status, 0, untyped.stderr);
      assert.deepEqual(json(untyped), []);
    });

    it('checks one file of a project with the types of what it imports', () => {
      const root = projects.make({ 'tsconfig.json': TSCONFIG, 'src/streams.ts': STREAMS_TS, 'src/app.ts': APP_TS, 'src/other.ts': 'export const x: number = 1;\n' });
      const run = runCli(['check', 'src/app.ts', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(where(json(run)), ['src/app.ts:4:3 AIT101']);
    });

    it('counts the files checked with types, and never skips one of them (checkPaths counters)', async () => {
      const root = projects.make({
        'tsconfig.json': TSCONFIG,
        'src/streams.ts': STREAMS_TS,
        'src/app.ts': APP_TS,
        'src/plain.ts': 'export const double = (n: number) => n * 2;\n',
        'scripts/tool.js': 'console.log(1);\n',
      });
      const result = await checkPaths(['.'], { cwd: root });
      assert.equal(result.counters.filesSeen, 4);
      assert.equal(result.counters.filesTyped, 3, 'the three files the tsconfig.json includes');
      assert.equal(result.counters.filesParsed, 3, 'scripts/tool.js (no tsconfig includes it) has no word the rules react to');
      assert.deepEqual(result.files.map((file) => file.path), [path.join('src', 'app.ts')]);
      assert.equal(exitCode(result), 1);
    });

    it('follows a solution-style tsconfig.json to the configuration that includes the file', () => {
      const root = projects.make({
        'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] }),
        'tsconfig.app.json': TSCONFIG,
        'src/streams.ts': STREAMS_TS,
        'src/app.ts': APP_TS,
      });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(where(json(run)), [`${path.join('src', 'app.ts')}:4:3 AIT101`]);
    });

    it('reads a jsconfig.json as tsserver does (JavaScript files get types without checkJs)', () => {
      const root = projects.make({
        'jsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022' } }),
        'lib/streams.js': 'async function* ticks() {\n  yield 1;\n}\nmodule.exports = { ticks };\n',
        'lib/app.js': "const { ticks } = require('./streams');\n\nasync function main() {\n  for (const tick of ticks()) console.log(tick);\n}\nmodule.exports = { main };\n",
      });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(where(json(run)), [`${path.join('lib', 'app.js')}:4:3 AIT101`]);
    });

    it('checks a file the configuration does not include from its syntax', () => {
      const root = projects.make({ 'tsconfig.json': TSCONFIG, 'src/streams.ts': STREAMS_TS, 'tools/local.js': LOCAL_JS });
      const run = runCli(['check', '--format', 'json'], root);
      assert.deepEqual(where(json(run)), [`${path.join('tools', 'local.js')}:6:3 AIT101`, `${path.join('tools', 'local.js')}:10:3 AIT101`]);
    });
  });

  describe('without a configuration', () => {
    it('finds what the syntax shows in plain JavaScript, with a safe fix only inside an async function', () => {
      const root = projects.make({ 'local.js': LOCAL_JS });
      const run = runCli(['check'], root);
      assert.equal(run.status, 1, run.stderr);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 3);
      assert.ok(lines[0]!.startsWith('local.js:6:3: AIT101 [*] `for…of` cannot iterate `lines()`'), lines[0]);
      assert.ok(lines[1]!.startsWith('local.js:10:3: AIT101 `for…of` cannot iterate'), lines[1]);
      assert.equal(lines[2], 'Found 2 problems (1 fixable with --fix).');
    });

    it('covers every JavaScript and TypeScript extension but declaration files, and skips node_modules and ignored files', () => {
      const files: Record<string, string> = {};
      for (const extension of ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx']) files[`src/a.${extension}`] = LOCAL_JS.replace('module.exports = { main, sync };\n', '');
      const root = projects.make({
        ...files,
        'src/types.d.ts': LOCAL_JS,
        'node_modules/dep/index.js': LOCAL_JS,
        'build/out.js': LOCAL_JS,
        '.gitignore': 'build/\n',
        '.git/HEAD': 'ref: refs/heads/main\n',
      });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      const files_ = [...new Set(json(run).map((finding) => finding.file))];
      assert.deepEqual(files_, ['a.cjs', 'a.js', 'a.jsx', 'a.mjs', 'a.mts', 'a.ts', 'a.tsx', 'a.cts'].sort().map((name) => path.join('src', name)));
    });

    it('applies the project\'s exclude patterns to JavaScript files too', () => {
      const root = projects.make({ 'pyproject.toml': '[tool.async-lens]\nexclude = ["generated/"]\n', 'generated/local.js': LOCAL_JS, 'app/local.js': LOCAL_JS });
      const run = runCli(['check', '--format', 'json'], root);
      assert.deepEqual([...new Set(json(run).map((finding) => finding.file))], [path.join('app', 'local.js')]);
    });

    it('honours suppression comments, --select and --ignore', () => {
      const suppressed = LOCAL_JS.replace('  for (const line of lines()) console.log(line);\n}\n\nfunction', '  // async-lens-ignore AIT101\n  for (const line of lines()) console.log(line);\n}\n\nfunction');
      const root = projects.make({ 'local.js': suppressed });
      assert.deepEqual(where(json(runCli(['check', '--format', 'json'], root))), ['local.js:11:3 AIT101']);
      const ignored = runCli(['check', '--ignore', 'AIT1', '--format', 'json'], root);
      assert.equal(ignored.status, 0);
      assert.deepEqual(json(ignored), []);
      const selected = runCli(['check', '--select', 'AIT101', '--format', 'json'], root);
      assert.equal(selected.stderr, '', 'AIT101 runs on JavaScript: no warning');
      assert.equal(json(selected).length, 1);
    });
  });

  describe('output formats', () => {
    it('json: the same contract as for Python, with UTF-16 columns', () => {
      const text = "async function* gen() {\n  yield 1;\n}\nasync function main() {\n  const label = '🙂'; for (const x of gen()) console.log(label, x);\n}\n";
      const root = projects.make({ 'app.mjs': text });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      const findings = json(run);
      assert.equal(findings.length, 1);
      assert.deepEqual(Object.keys(findings[0]!).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'fixes', 'line', 'message', 'name', 'severity']);
      const { message, fixes, ...rest } = findings[0]!;
      assert.match(message, /`gen\(\)`/);
      // "🙂" is two UTF-16 code units: `for` starts at column 23, the head ends after `)`.
      assert.deepEqual(rest, { file: 'app.mjs', line: 5, column: 23, endLine: 5, endColumn: 45, code: 'AIT101', name: 'sync-iteration-over-async-iterable', severity: 'error' });
      assert.deepEqual(fixes, [{ title: 'Use `for await`', safety: 'safe', edits: [{ line: 5, column: 26, endLine: 5, endColumn: 26, newText: ' await' }] }]);
    });

    it('sarif: results with the rule, the region and the fix', () => {
      const root = projects.make({ 'tsconfig.json': TSCONFIG, 'src/streams.ts': STREAMS_TS, 'src/app.ts': APP_TS });
      const run = runCli(['check', '--format', 'sarif'], root);
      assert.equal(run.status, 1, run.stderr);
      const sarif = JSON.parse(run.stdout);
      const [result, ...others] = sarif.runs[0].results;
      assert.equal(others.length, 0);
      assert.equal(result.ruleId, 'AIT101');
      assert.equal(sarif.runs[0].tool.driver.rules[result.ruleIndex].id, 'AIT101');
      assert.equal(result.level, 'error');
      assert.deepEqual(result.locations[0].physicalLocation, { artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 31 } });
      assert.equal(result.fixes[0].description.text, 'Use `for await`');
      assert.deepEqual(result.fixes[0].artifactChanges[0].replacements, [{ deletedRegion: { startLine: 4, startColumn: 6, endLine: 4, endColumn: 6 }, insertedContent: { text: ' await' } }]);
    });

    it('github: one workflow annotation per finding', () => {
      const root = projects.make({ 'local.js': LOCAL_JS });
      const run = runCli(['check', '--format', 'github'], root);
      assert.equal(run.status, 1);
      const annotations = run.stdout.trimEnd().split('\n');
      assert.equal(annotations.length, 2);
      assert.match(annotations[0]!, /^::error file=local\.js,line=6,col=3,endLine=6,endColumn=30,title=AIT101 sync-iteration-over-async-iterable::`for…of` cannot iterate/);
    });
  });

  describe('--fix', () => {
    it('applies the safe fix, writes the file atomically, leaves the unsafe one, and a second run has only that', () => {
      const root = projects.make({ 'local.js': LOCAL_JS });
      const file = path.join(root, 'local.js');
      const before = fs.statSync(file);
      const run = runCli(['check', '--fix', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /fixed 1 problem\n$/);
      const expected = LOCAL_JS.replace('  for (const line of lines()) console.log(line);\n}\n\nfunction', '  for await (const line of lines()) console.log(line);\n}\n\nfunction');
      assert.equal(fs.readFileSync(file, 'utf8'), expected);
      assert.notEqual(fs.statSync(file).ino, before.ino, 'replaced by a rename, not written in place');
      assert.equal(fs.statSync(file).mode, before.mode);
      assert.deepEqual(leftovers(root), []);
      // What remains: the loop in a function that is not async (its fix is unsafe), at its position in the fixed text.
      assert.deepEqual(where(json(run)), ['local.js:10:3 AIT101']);
      assert.equal(json(run)[0]!.fixes[0]!.safety, 'unsafe');

      const again = runCli(['check', '--format', 'json'], root);
      assert.deepEqual(where(json(again)), ['local.js:10:3 AIT101']);
      const clean = runCli(['check', '--ignore', 'AIT101', '--fix'], root);
      assert.equal(clean.status, 0);
      assert.equal(fs.readFileSync(file, 'utf8'), expected);
    });

    it('fixes a typed file, keeps CRLF line breaks and the byte order mark, and the re-check is clean', () => {
      const app = `\uFEFF${APP_TS.replace(/\n/g, '\r\n')}`;
      const root = projects.make({ 'tsconfig.json': TSCONFIG, 'src/streams.ts': STREAMS_TS, 'src/app.ts': app, 'src/second.ts': APP_TS.replace('main', 'second') });
      const run = runCli(['check', '--fix'], root);
      assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
      assert.equal(run.stdout, 'Found 2 problems (2 fixed, 0 remaining).\n');
      assert.equal(fs.readFileSync(path.join(root, 'src/app.ts'), 'utf8'), app.replace('for (const tick', 'for await (const tick'));
      assert.match(fs.readFileSync(path.join(root, 'src/second.ts'), 'utf8'), /for await \(const tick of ticks\(3\)\)/);
      assert.deepEqual(leftovers(root), []);
      const recheck = runCli(['check'], root);
      assert.equal(recheck.status, 0, recheck.stdout);
      assert.equal(recheck.stdout, 'All checks passed!\n');
    });

    it('rechecks with types a file that changed on disk while it was being fixed, and fixes the new text', async () => {
      const root = projects.make({ 'tsconfig.json': TSCONFIG, 'src/streams.ts': STREAMS_TS, 'src/app.ts': APP_TS });
      const file = path.join(root, 'src', 'app.ts');
      const saved = `// saved meanwhile\n${APP_TS}`;
      let writes = 0;
      const result = await checkPaths(['.'], {
        cwd: root,
        fix: true,
        beforeWrite: () => {
          if (writes++ === 0) fs.writeFileSync(file, saved);
        },
      });
      assert.deepEqual(result.notices, []);
      assert.equal(result.fixed, 1);
      assert.equal(fs.readFileSync(file, 'utf8'), saved.replace('for (const tick', 'for await (const tick'));
      assert.equal(exitCode(result), 0);
    });
  });

  describe('notices', () => {
    it('a syntax error in a .ts file is a warning, and the rest of the file is checked', () => {
      const text = `${STREAMS_TS}\nexport async function main() {\n  for (const tick of ticks(1)) console.log(tick);\n}\n\nconst broken = ;\n`;
      const root = projects.make({ 'broken.ts': text });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(stderrLines(run), ['async-lens: warning: broken.ts:9:16: syntax error: Expression expected; the rest of the file was checked']);
      assert.deepEqual(where(json(run)), ['broken.ts:6:3 AIT101']);
    });

    it('a file nested too deeply for TypeScript\'s parser is refused by name (exit 2); the other files keep their types', () => {
      const deep = `export const table = ${'['.repeat(5000)}1${']'.repeat(5000)};\nexport async function f() { await 1; }\n`;
      const config = JSON.stringify({ compilerOptions: { strict: true, lib: ['ES2022'], module: 'nodenext', allowJs: true }, include: ['src'] });
      const root = projects.make({ 'tsconfig.json': config, 'src/streams.ts': STREAMS_TS, 'src/app.ts': APP_TS, 'src/deep.ts': deep, 'src/deep.js': deep });
      for (const args of [['check', '--format', 'json'], ['check', '--format', 'json', path.join('src', 'deep.js'), path.join('src', 'app.ts')]]) {
        const run = runCli(args, root);
        assert.equal(run.status, 2, run.stderr);
        const deepFiles = args.length > 3 ? ['deep.js'] : ['deep.js', 'deep.ts'];
        assert.deepEqual(stderrLines(run).sort(), deepFiles.map((name) => `async-lens: error: ${path.join('src', name)}:1:1: could not parse: nested too deeply for the TypeScript parser; not checked`));
        // app.ts's finding needs the type of an import: types survived.
        assert.deepEqual(where(json(run)), [`${path.join('src', 'app.ts')}:4:3 AIT101`]);
        assertNoStackTrace(run);
      }
    });

    it('a tsconfig.json that is not JSON: an error (exit 2), and its files are checked without types', () => {
      const root = projects.make({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, }\n', 'src/streams.ts': STREAMS_TS, 'src/app.ts': APP_TS, 'src/local.js': LOCAL_JS });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 2, run.stderr);
      assert.deepEqual(stderrLines(run), ["async-lens: error: tsconfig.json:2:1: '}' expected. (its files are checked without types)"]);
      assert.deepEqual(where(json(run)), [`${path.join('src', 'local.js')}:6:3 AIT101`, `${path.join('src', 'local.js')}:10:3 AIT101`]);
      assertNoStackTrace(run);
    });

    it('an option TypeScript does not know is a warning, and types still apply', () => {
      const config = JSON.stringify({ compilerOptions: { strict: true, lib: ['ES2022'], module: 'nodenext', notAnOption: 1 }, include: ['src'] }, null, 2);
      const root = projects.make({ 'tsconfig.json': config, 'src/streams.ts': STREAMS_TS, 'src/app.ts': APP_TS });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(stderrLines(run), ["async-lens: warning: tsconfig.json:8:5: Unknown compiler option 'notAnOption'."]);
      assert.deepEqual(where(json(run)), [`${path.join('src', 'app.ts')}:4:3 AIT101`]);
    });

    it('a rule that fails is reported and skipped on that file; the other rules still run', async () => {
      const failing = defineJsRule({
        meta: { ...CATALOG.entry('AIT101')!.implementations.get('javascript')!, language: 'javascript' as const },
        create: () => ({
          ForOfStatement() {
            throw new Error('boom');
          },
        }),
      });
      const root = projects.make({ 'local.js': LOCAL_JS });
      const result = await checkPaths(['.'], { cwd: root, jsRules: [failing, ...JS_RULES.filter((rule) => rule.meta.code !== 'AIT101')] });
      assert.equal(result.notices.length, 1);
      assert.equal(result.notices[0]!.level, 'warning');
      assert.match(result.notices[0]!.message, /^rule AIT101 \(sync-iteration-over-async-iterable\) failed on local\.js and was skipped there: boom\b/);
      assert.equal(exitCode(result), 0);
    });

    it('a file larger than max-file-size is skipped with a warning; a binary or non-UTF-8 one is an error', () => {
      const root = projects.make({
        'pyproject.toml': '[tool.async-lens]\nmax-file-size = 1000\n',
        'big.js': `${LOCAL_JS}//${'x'.repeat(2000)}\n`,
        'binary.ts': Buffer.from([0x61, 0x00, 0x62]),
        // JavaScript has no coding line: a Python-style one does not make Latin-1 text readable.
        'latin.js': Buffer.from('#!/usr/bin/env node\n# -*- coding: latin-1 -*-\nconst s = "\u00e9";\n', 'latin1'),
        'local.js': LOCAL_JS,
      });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 2);
      assert.deepEqual(stderrLines(run).sort(), [
        'async-lens: error: binary.ts: binary file (contains NUL bytes), skipped',
        'async-lens: error: latin.js: is not valid UTF-8 (line 3); save it as UTF-8',
        'async-lens: warning: big.js: skipped: larger than 1 KB (`max-file-size`)',
      ]);
      assert.deepEqual([...new Set(json(run).map((finding) => finding.file))], ['local.js']);
    });

    it('a declaration file named on the command line is not checked', () => {
      const root = projects.make({ 'types.d.ts': 'export declare function f(): void;\n' });
      const run = runCli(['check', 'types.d.ts'], root);
      assert.equal(run.status, 0);
      assert.match(run.stderr, /^async-lens: warning: types\.d\.ts: a TypeScript declaration file, not checked\n/);
    });
  });

  describe('hostile files', function () {
    if (process.platform === 'win32') return;

    it('never waits on a FIFO named x.ts, imported or in the configuration, nor on a FIFO named tsconfig.json', () => {
      // runCli kills the CLI after 60 s: a hang fails the test (status null) rather than the run.
      const root = projects.make({
        'typed/tsconfig.json': JSON.stringify({ extends: './base.json', compilerOptions: { lib: ['ES2022'], module: 'nodenext' }, files: ['src/app.ts', 'src/streams.ts', 'src/x.ts'] }),
        'typed/src/streams.ts': STREAMS_TS,
        'typed/src/app.ts': `import './x.js';\nimport './zero.js';\n${APP_TS}`,
        'piped/src/app.ts': APP_TS,
        'piped/src/local.js': LOCAL_JS,
      });
      execFileSync('mkfifo', [path.join(root, 'typed', 'src', 'x.ts')]);
      execFileSync('mkfifo', [path.join(root, 'typed', 'base.json')]);
      fs.symlinkSync('/dev/zero', path.join(root, 'typed', 'src', 'zero.ts'));
      execFileSync('mkfifo', [path.join(root, 'piped', 'tsconfig.json')]);

      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 2, run.stderr);
      assertNoStackTrace(run);
      const lines = stderrLines(run);
      assert.ok(lines.includes(`async-lens: error: ${path.join('piped', 'tsconfig.json')}: cannot read it (its files are checked without types): not a regular file (a named pipe), skipped`), run.stderr);
      assert.ok(lines.some((line) => line.startsWith(`async-lens: warning: ${path.join('typed', 'tsconfig.json')}`) && line.includes('base.json')), run.stderr);
      // The typed project still has its types; the piped one is checked from its syntax.
      assert.deepEqual(where(json(run)), [
        `${path.join('piped', 'src', 'local.js')}:6:3 AIT101`,
        `${path.join('piped', 'src', 'local.js')}:10:3 AIT101`,
        `${path.join('typed', 'src', 'app.ts')}:6:3 AIT101`,
      ]);

      const named = runCli(['check', 'typed/src/x.ts'], root);
      assert.equal(named.status, 2);
      assert.match(named.stderr, /^async-lens: error: typed\/src\/x\.ts: not a regular file or a directory$/m);
    });
  });

  describe('mixed trees and rules', () => {
    it('checks Python and JavaScript files of one tree in one run', () => {
      const root = projects.make({
        'app.py': 'async def ticks():\n    yield 1\n\n\nasync def main():\n    for tick in ticks():\n        print(tick)\n',
        'web/local.js': LOCAL_JS,
      });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(where(json(run)), ['app.py:6:5 AIT101', `${path.join('web', 'local.js')}:6:3 AIT101`, `${path.join('web', 'local.js')}:10:3 AIT101`]);
      const fixed = runCli(['check', '--fix'], root);
      assert.match(fixed.stdout, /^web\/local\.js:10:3: AIT101 `for…of` cannot iterate .*\nFound 3 problems \(2 fixed, 1 remaining\)\.\n$/);
      assert.match(fs.readFileSync(path.join(root, 'app.py'), 'utf8'), /async for tick/);
      assert.match(fs.readFileSync(path.join(root, 'web', 'local.js'), 'utf8'), /for await \(const line/);
    });

    it('--select warns only when no language of the checked files runs a matching rule', () => {
      // A rule Python runs and JavaScript does not (yet): the catalog says which.
      const pythonOnly = CATALOG.entries.find((rule) => rule.implementations.has('python') && !rule.implementations.has('javascript'));
      assert.ok(pythonOnly, 'some rule runs on Python only');
      const root = projects.make({ 'web/local.js': LOCAL_JS, 'py/app.py': 'print(1)\n' });
      const jsOnly = runCli(['check', 'web', '--select', pythonOnly.code], root);
      assert.match(jsOnly.stderr, new RegExp(`^async-lens: warning: --select ${pythonOnly.code}: no rule matching it runs on JavaScript or TypeScript yet`));
      const mixed = runCli(['check', '--select', pythonOnly.code], root);
      assert.equal(mixed.stderr, '');
    });

    it('`rules` has a column per language', () => {
      const run = runCli(['rules'], projects.make({}));
      assert.equal(run.status, 0);
      const [header, ...rows] = run.stdout.trimEnd().split('\n');
      assert.match(header!, /^CODE\s+NAME\s+DEFAULT\s+PYTHON\s+JS\/TS\s+SUMMARY$/);
      CATALOG.entries.forEach((rule, index) => {
        const js = JS_RULES.some((implemented) => implemented.meta.code === rule.code) ? 'yes' : rule.languages.includes('javascript') ? 'planned' : '-';
        assert.match(rows[index]!, new RegExp(`^${rule.code}\\s+${rule.name}\\s+${rule.defaultSeverity}\\s+(yes|planned|-)\\s+${js}\\s`));
      });
    });
  });

  describe('AIT401: blocking calls in async iteration', () => {
    /** Blocking calls in an async generator and a `for await` body, resolved through the imports: the syntax shows them all. */
    const FEED_MJS = `import fs from 'node:fs';
import { execSync } from 'node:child_process';

export async function* configs(paths) {
  for (const path of paths) yield JSON.parse(fs.readFileSync(path, 'utf8'));
}

export async function build(folders) {
  for await (const folder of folders) {
    execSync(\`make -C \${folder}\`);
    fs.writeFileSync(\`\${folder}/built\`, 'yes');
  }
  fs.writeFileSync('done', 'yes');
}
`;

    it('without types: reports each call at its callee, with the unsafe fs.promises fix, which --fix leaves alone', () => {
      const root = projects.make({ 'feed.mjs': FEED_MJS });
      const run = runCli(['check', '--select', 'AIT401', '--fix', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      const findings = json(run);
      assert.deepEqual(where(findings), ['feed.mjs:5:46 AIT401', 'feed.mjs:10:5 AIT401', 'feed.mjs:11:5 AIT401']);
      assert.match(findings[0]!.message, /^`fs\.readFileSync\(\)` blocks inside the async generator `configs\(\)`/);
      assert.deepEqual(findings.map((finding) => finding.fixes.map((fix) => [fix.title, fix.safety])), [[], [], [['Use `await fs.promises.writeFile()`', 'unsafe']]]);
      assert.equal(fs.readFileSync(path.join(root, 'feed.mjs'), 'utf8'), FEED_MJS, 'an unsafe fix is not applied by --fix');
    });

    it('with types: follows a callback an array method runs in the loop, which the syntax cannot know is an array', () => {
      const source = `import * as fs from 'node:fs';

export async function clean(batches: AsyncIterable<string[]>) {
  for await (const batch of batches) batch.forEach((path) => fs.rmSync(path, { force: true }));
}
`;
      const root = projects.make({ 'tsconfig.json': TSCONFIG, 'src/clean.ts': source });
      const typed = runCli(['check', '--select', 'AIT401', '--format', 'json'], root);
      assert.equal(typed.status, 1, typed.stderr);
      assert.deepEqual(where(json(typed)), [`${path.join('src', 'clean.ts')}:4:62 AIT401`]);

      fs.rmSync(path.join(root, 'tsconfig.json'));
      const untyped = runCli(['check', '--select', 'AIT401', '--format', 'json'], root);
      assert.equal(untyped.status, 0, untyped.stderr);
      assert.deepEqual(json(untyped), []);
    });
  });

  describe('AIT301: independent work awaited one item at a time', () => {
    it('without types and with them: reports the await of a loop that downloads pages one at a time', () => {
      const source = `import { setTimeout as sleep } from 'node:timers/promises';

async function download(url: string): Promise<string> {
  await sleep(100);
  return \`<html>\${url}</html>\`;
}

export async function fetchAll(urls: string[]) {
  const pages: string[] = [];
  for (const url of urls) pages.push(await download(url));
  return pages;
}
`;
      const root = projects.make({ 'tsconfig.json': TSCONFIG, 'src/pages.ts': source });
      const expected = [`${path.join('src', 'pages.ts')}:10:38 AIT301`];
      const typed = runCli(['check', '--select', 'AIT301', '--format', 'json'], root);
      assert.equal(typed.status, 1, typed.stderr);
      assert.deepEqual(where(json(typed)), expected);
      fs.rmSync(path.join(root, 'tsconfig.json'));
      const untyped = runCli(['check', '--select', 'AIT301', '--format', 'json'], root);
      assert.deepEqual(where(json(untyped)), expected);
    });
  });

  describe('the syntax-only prefilter', () => {
    it('every JS fixture expecting a finding without types has a word the prefilter looks for', () => {
      const directory = path.join(__dirname, '..', 'fixtures', 'js');
      const fixtures = fs.readdirSync(directory).filter((name) => /\.[mc]?[jt]sx?$/.test(name));
      assert.ok(fixtures.length > 0);
      for (const name of fixtures) {
        const text = fs.readFileSync(path.join(directory, name), 'utf8');
        if (!/\/\/ expect(-syntax)?: /.test(text)) continue;
        const settings = /^\/\/ settings: (\{.*\})$/.exec(text.split('\n', 1)[0] ?? '');
        assert.ok(jsTriggerPattern(settings ? JSON.parse(settings[1]!) : {}).test(text), `${name} would be skipped unparsed`);
      }
    });

    it('a known API of the user\'s settings counts through its module', () => {
      const text = "const { stream } = require('my-db');\nasync function main() {}\n";
      assert.equal(jsTriggerPattern({}).test("const { stream } = require('my-db');\nfor (const row of stream()) {}\n"), false);
      assert.equal(jsTriggerPattern({ knownAsyncIterables: ['my-db#stream'] }).test(text.replace('async function main() {}\n', 'for (const row of stream()) {}\n')), true);
      assert.equal(jsTriggerPattern({ knownAsyncIterables: ['#globalThis.feed'] }).test('for (const x of globalThis.feed) {}\n'), true);
    });

    it('a known API the user lists is found in a file with no other async word', () => {
      const root = projects.make({
        'pyproject.toml': '[tool.async-lens]\nknown-async-iterables = ["my-db#streamRows"]\n',
        'report.mjs': "import { streamRows } from 'my-db';\nexport function report() {\n  for (const row of streamRows()) console.log(row);\n}\n",
      });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(where(json(run)), ['report.mjs:3:3 AIT101']);
    });
  });
});
