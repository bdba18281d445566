import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { AnalysisResult } from '../../src/engine/types';
import { analyzeJs, isJsFile, parseJs } from '../../src/js/analyze';

/*
 * Precision first, for JavaScript and TypeScript: real, correct code that
 * nobody here wrote must produce no finding. The corpus present on every
 * machine is what `npm ci` installs: the files under node_modules that use
 * async iteration (`for await`, async generators, `[Symbol.asyncIterator]`,
 * hand-written iterators: undici's fetch bodies, glob, minipass, tslib's
 * async-generator helpers, lit-html's async directives, …), each analysed
 * from its syntax alone and with the program tsserver infers for a file no
 * tsconfig.json includes (plain JavaScript has a type checker in the editor).
 *
 * The whole of node_modules and ten fetched projects are judged finding by
 * finding in the real-code scorecard (docs/scorecards/js-protocol.md,
 * `npm run scorecard:js`); this test pins what can be checked offline.
 * A package update that makes a finding appear fails here: read the code,
 * and fix the rule, or (a real bug in the package) exclude the file below
 * with the reason.
 */

const NODE_MODULES = path.resolve(__dirname, '..', '..', 'node_modules');

/** Packages whose files using async iteration are checked, each a devDependency or one of theirs. */
const PACKAGES = [
  'undici', 'mocha', 'glob', 'minipass', 'path-scurry', 'lit-html', 'tslib', 'p-map', 'pyodide',
  '@sindresorhus/merge-streams', 'yauzl', 'agent-base', 'fs-extra', 'bottleneck', '@typespec/ts-http-runtime',
];

/** What makes a file worth the time: a shape the protocol rules look at. */
const ASYNC_ITERATION = /Symbol\.asyncIterator|for\s+await\b|async\s*\*|async\s+function\s*\*/;

/** Files under `directory` (nested packages included) using async iteration, sorted. */
function sample(directory: string): string[] {
  const files: string[] = [];
  const visit = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const absolute = path.join(current, entry.name);
      if (entry.isDirectory()) visit(absolute);
      else if (entry.isFile() && isJsFile(entry.name) && ASYNC_ITERATION.test(fs.readFileSync(absolute, 'utf8'))) files.push(absolute);
    }
  };
  visit(directory);
  return files;
}

/** tsserver's inferred project for loose files (VS Code's implicit project defaults), with nothing else loaded from node_modules. */
const INFERRED: ts.CompilerOptions = {
  allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true,
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  strictNullChecks: true, maxNodeModuleJsDepth: 0,
};

function describeProblems(file: string, result: AnalysisResult, text: string): string[] {
  const lines: string[] = [];
  for (const finding of result.findings) {
    const line = text.slice(0, finding.range.start).split('\n').length;
    lines.push(`${path.relative(NODE_MODULES, file)}:${line} ${finding.code} ${finding.severity}: ${finding.message}`);
  }
  for (const error of result.errors) lines.push(`${path.relative(NODE_MODULES, file)}: ${error.code} threw: ${error.message}`);
  return lines;
}

describe('precision on the JavaScript of node_modules', function () {
  this.timeout(300_000);

  const byPackage = new Map<string, string[]>();
  before(function () {
    for (const name of PACKAGES) {
      const directory = path.join(NODE_MODULES, name);
      assert.ok(fs.existsSync(directory), `${name} is not installed: run \`npm ci\` (or drop it from PACKAGES if the lock file no longer has it)`);
      byPackage.set(name, sample(directory));
    }
    const total = [...byPackage.values()].reduce((sum, files) => sum + files.length, 0);
    console.log(`      ${total} files using async iteration in ${PACKAGES.length} packages`);
  });

  it('samples enough code to mean something', function () {
    const files = [...byPackage.values()].flat();
    assert.ok(files.length >= 40, `only ${files.length} files use async iteration: has node_modules changed?`);
    for (const [name, list] of byPackage) assert.ok(list.length > 0, `${name} has no file using async iteration any more: replace it in PACKAGES`);
  });

  it('has no finding and no rule failure from syntax alone', function () {
    const problems: string[] = [];
    for (const file of [...byPackage.values()].flat()) {
      const text = fs.readFileSync(file, 'utf8');
      problems.push(...describeProblems(file, analyzeJs({ ts, sourceFile: parseJs(ts, file, text) }), text));
    }
    assert.deepEqual(problems, []);
  });

  it('has no finding and no rule failure with the program tsserver infers for each package', function () {
    const problems: string[] = [];
    for (const files of byPackage.values()) {
      const program = ts.createProgram({ rootNames: files, options: INFERRED });
      const checker = program.getTypeChecker();
      for (const file of files) {
        const sourceFile = program.getSourceFile(file);
        assert.ok(sourceFile, `${file} is not in its program`);
        problems.push(...describeProblems(file, analyzeJs({ ts, sourceFile, checker }), sourceFile.text));
      }
    }
    assert.deepEqual(problems, []);
  });
});
