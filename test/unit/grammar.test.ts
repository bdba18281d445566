import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRegistry, type IGrammarConfig } from 'vscode-tmgrammar-test/dist/common';
import { contributions, grammarFiles, render } from '../../scripts/build-grammars';

/*
 * The suspension-point grammars in syntaxes/ (built by
 * scripts/build-grammars.ts), checked three ways:
 *
 * - test/grammar/assertions/: sources with `^^^` expectations, run by
 *   vscode-tmgrammar-test;
 * - test/grammar/snapshots/: sources with committed `.snap` files of every
 *   token's scopes, run by vscode-tmgrammar-snap (UPDATE_SNAPSHOTS=1 rewrites
 *   them; review the diff);
 * - both sets and examples/ tokenized with and without the injections: the
 *   base grammars' own scopes must not change.
 *
 * The command-line tools take the base grammars with `-g` and find ours
 * through package.json's `contributes.grammars`, so the entries VS Code
 * reads are the ones under test.
 */

/** vscode-textmate's grammar, reached through the tool's registry rather than imported directly. */
type Grammar = NonNullable<Awaited<ReturnType<ReturnType<typeof createRegistry>['loadGrammar']>>>;
type LineState = Parameters<Grammar['tokenizeLine']>[1];

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test', 'grammar');

const BASE_GRAMMARS: Record<string, string> = {
  'source.python': 'python',
  'source.js': 'javascript',
  'source.js.jsx': 'jsx',
  'source.ts': 'typescript',
  'source.tsx': 'tsx',
};
const SCOPE_BY_EXTENSION: Record<string, string> = {
  '.py': 'source.python',
  '.js': 'source.js',
  '.jsx': 'source.js.jsx',
  '.ts': 'source.ts',
  '.tsx': 'source.tsx',
};

const basePath = (scope: string) => path.join(ROOT, 'node_modules', 'tm-grammars', 'grammars', `${BASE_GRAMMARS[scope]}.json`);
const baseGrammarArgs = Object.keys(BASE_GRAMMARS).flatMap((scope) => ['-g', path.relative(ROOT, basePath(scope))]);

function toolPath(bin: 'vscode-tmgrammar-test' | 'vscode-tmgrammar-snap'): string {
  const manifest = require.resolve('vscode-tmgrammar-test/package.json');
  const bins = JSON.parse(fs.readFileSync(manifest, 'utf8')).bin as Record<string, string>;
  return path.join(path.dirname(manifest), bins[bin]);
}

interface ToolRun {
  code: number | null;
  output: string;
}

function runTool(bin: 'vscode-tmgrammar-test' | 'vscode-tmgrammar-snap', args: string[]): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [toolPath(bin), ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function listFiles(dir: string, keep: (file: string) => boolean): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter(keep)
    .sort();
}

const isSource = (file: string) => path.extname(file) in SCOPE_BY_EXTENSION;

/**
 * Each line's tokens as runs of [text, scopes], leaving out our scopes and
 * meta scopes (where a region of ours takes over the `async` keyword, the
 * base grammar's meta scope starts one token later).
 */
function baseTokens(grammar: Grammar, text: string): string[] {
  const ours = /^(meta\.suspension-context|keyword\.control\.suspension)\./;
  let state: LineState = null;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    const runs: [string, string][] = [];
    for (const token of result.tokens) {
      const scopes = token.scopes.filter((scope) => !ours.test(scope) && !scope.startsWith('meta.')).join(' ');
      const piece = line.slice(token.startIndex, token.endIndex);
      const last = runs[runs.length - 1];
      if (last && last[1] === scopes) last[0] += piece;
      else runs.push([piece, scopes]);
    }
    return JSON.stringify(runs);
  });
}

describe('Grammars: suspension points', function () {
  this.timeout(30000);

  it('the committed grammars and their package.json entries are what scripts/build-grammars.ts writes', () => {
    for (const file of grammarFiles()) {
      const committed = fs.readFileSync(path.join(ROOT, file.file), 'utf8');
      assert.equal(committed, render(file), `${file.file} is stale: run \`npx tsx scripts/build-grammars.ts\``);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.grammars, contributions(), 'package.json contributes.grammars differs from the built grammars');
  });

  it('the assertion fixtures hold', async () => {
    const run = await runTool('vscode-tmgrammar-test', [...baseGrammarArgs, 'test/grammar/assertions/*']);
    assert.equal(run.code, 0, run.output);
  });

  it('the snapshots match', async () => {
    const fixtures = listFiles(path.join(FIXTURES, 'snapshots'), isSource);
    const update = process.env.UPDATE_SNAPSHOTS === '1';
    if (process.env.CI && !update) {
      // Elsewhere the tool writes a missing snapshot and passes, as test/support/snapshot.ts does.
      const missing = fixtures.filter((file) => !fs.existsSync(`${file}.snap`)).map((file) => path.relative(ROOT, file));
      assert.deepEqual(missing, [], 'snapshots are missing: run the tests with UPDATE_SNAPSHOTS=1 and commit them');
    }
    const byScope = new Map<string, string[]>();
    for (const file of fixtures) {
      const scope = SCOPE_BY_EXTENSION[path.extname(file)];
      byScope.set(scope, [...(byScope.get(scope) ?? []), path.relative(ROOT, file)]);
    }
    const runs = await Promise.all(
      [...byScope].map(async ([scope, files]) => ({ scope, run: await runTool('vscode-tmgrammar-snap', [...(update ? ['-u'] : []), '-s', scope, ...baseGrammarArgs, ...files]) })),
    );
    for (const { scope, run } of runs) assert.equal(run.code, 0, `${scope} (UPDATE_SNAPSHOTS=1 to accept):\n${run.output}`);
  });

  it('the injections leave the base grammars\' scopes alone', async () => {
    const base: IGrammarConfig[] = Object.keys(BASE_GRAMMARS).map((scopeName) => ({ scopeName, path: basePath(scopeName) }));
    const ours: IGrammarConfig[] = contributions().map((entry) => ({ ...entry, path: path.join(ROOT, entry.path) }));
    const plain = createRegistry(base);
    const injected = createRegistry([...base, ...ours]);
    const files = [...listFiles(FIXTURES, isSource), ...listFiles(path.join(ROOT, 'examples'), isSource)];
    assert.ok(files.length > 10, 'the corpus was not found');
    for (const file of files) {
      const scope = SCOPE_BY_EXTENSION[path.extname(file)];
      const text = fs.readFileSync(file, 'utf8');
      const [before, after] = await Promise.all([plain.loadGrammar(scope), injected.loadGrammar(scope)]);
      assert.ok(before && after, `no grammar for ${scope}`);
      const expected = baseTokens(before, text);
      const actual = baseTokens(after, text);
      expected.forEach((line, index) => {
        assert.equal(actual[index], line, `${path.relative(ROOT, file)}:${index + 1} is tokenized differently with the injections`);
      });
    }
  });
});
