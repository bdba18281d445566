import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { CATALOG } from '../../src/catalog';
import { applySafeFixes } from '../../src/engine/fix';
import { applyFixes, LineIndex } from '../../src/engine/text';
import type { AnalysisResult, Finding } from '../../src/engine/types';
import plugin from '../../src/hosts/eslint';
import { createRules } from '../../src/hosts/eslint/rules';
import { defineJsRule } from '../../src/js/rule';
import { JS_RULES } from '../../src/js/rules';
import { lintJs, type JsMode } from '../support/js';
import { expectedLines } from '../support/rule-fixtures';

/*
 * The ESLint plugin against the rules it adapts: every JS/TS rule fixture
 * (test/fixtures/js/) linted by ESLint itself, typed (typescript-eslint with
 * the project test/fixtures/eslint/tsconfig.json) and from syntax alone
 * (ESLint's default parser for JavaScript, typescript-eslint without a
 * project for TypeScript), must give the marked lines and exactly the
 * engine's findings: ranges, messages, fixes (safe ones as ESLint fixes,
 * unsafe ones as suggestions) and fix-all. Hand-written RuleTester cases,
 * with literal outputs, are in eslint-rule-tester.test.ts.
 */

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'js');
const TYPED_PROJECT = path.join(ROOT, 'test', 'fixtures', 'eslint');
const MODES: readonly JsMode[] = ['typed', 'syntax'];

const files = fs.readdirSync(FIXTURES).filter((file) => /^AIT\d{3}.*\.[cm]?[jt]sx?$/.test(file)).sort();

const isTypeScript = (file: string) => /\.[cm]?tsx?$/.test(file);

/**
 * typescript-eslint guesses a "single run" from CI=true (one program, never
 * updated), unless `--fix` is on the command line. In this process, under CI,
 * it would guess so while `verifyAndFix` lints fixed text: the tests say what
 * they mean instead (the real CLI's --fix is in eslint-cli.test.ts).
 */
const EDITOR_LIKE = { disallowAutomaticSingleRunInference: true };

/** Only `code`'s rule, on every JS/TS extension, parsed as `mode` says. */
function configFor(file: string, mode: JsMode, code: string): Linter.Config[] {
  const name = JS_RULES.find((rule) => rule.meta.code === code)!.meta.name;
  const parser = mode === 'typed' || isTypeScript(file)
    ? { parser: tsParser as unknown as Linter.Parser, parserOptions: { ...(mode === 'typed' ? { project: ['tsconfig.json', 'tsconfig.javascript.json'], tsconfigRootDir: TYPED_PROJECT, ...EDITOR_LIKE } : {}), ecmaFeatures: { jsx: /x$/.test(file) } } }
    : { parserOptions: { ecmaFeatures: { jsx: file.endsWith('.jsx') } } };
  return [{
    files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
    languageOptions: { ...parser, ...(file.endsWith('.cjs') ? { sourceType: 'commonjs' as const } : {}) },
    plugins: { 'async-lens': plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
    rules: { [`async-lens/${name}`]: 'error' },
  }];
}

/** What ESLint shows of one finding: where, what, the fix it applies, the suggestions it offers (applied each on its own). */
function asEslintShowsIt(text: string, finding: Finding) {
  const lines = new LineIndex(text);
  const start = lines.position(finding.range.start);
  const end = lines.position(finding.range.end);
  const safe = finding.fixes.find((fix) => fix.safety === 'safe');
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    message: finding.message,
    fixed: safe ? applyFixes(text, [safe]).text : undefined,
    suggestions: finding.fixes.filter((fix) => fix.safety === 'unsafe').map((fix) => ({ desc: fix.title, output: applyFixes(text, [fix]).text })),
  };
}

function applyEslintFix(text: string, fix: { range: [number, number]; text: string }): string {
  return text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
}

function whatEslintShows(text: string, message: Linter.LintMessage) {
  return {
    line: message.line,
    column: message.column,
    endLine: message.endLine,
    endColumn: message.endColumn,
    message: message.message,
    fixed: message.fix ? applyEslintFix(text, message.fix) : undefined,
    suggestions: (message.suggestions ?? []).map((suggestion) => ({ desc: suggestion.desc, output: applyEslintFix(text, suggestion.fix) })),
  };
}

describe('ESLint plugin: the rule fixtures, linted by ESLint', function () {
  // The typed project's first program (the fixtures and @types/node) takes a few seconds.
  this.timeout(120_000);
  const linter = new Linter({ cwd: ROOT });

  it('has a fixture for every rule it adapts', () => {
    for (const { meta } of JS_RULES) assert.ok(files.some((file) => file.startsWith(meta.code)), `no fixture for ${meta.code}`);
  });

  for (const file of files) {
    const code = file.slice(0, 6);
    const filename = path.join(FIXTURES, file);
    const text = fs.readFileSync(filename, 'utf8');
    for (const mode of MODES) {
      describe(`${file} ${mode === 'typed' ? 'with types' : 'from syntax alone'}`, () => {
        const config = configFor(file, mode, code);
        let messages: Linter.LintMessage[] = [];
        let fatal: Linter.LintMessage | undefined;
        before(() => {
          messages = linter.verify(text, config, { filename });
          fatal = messages.find((message) => message.fatal);
        });

        it('reports the marked lines, and exactly the engine\'s findings, fixes and suggestions', function () {
          if (fatal) {
            // ESLint's parser refuses what TypeScript reads (`for await` outside an async function): ESLint says so, and no rule runs.
            assert.equal(messages.length, 1, JSON.stringify(messages));
            assert.match(fatal.message, /^Parsing error: /);
            this.skip();
          }
          const expected = expectedLines(text, code, mode);
          const actual = new Map<number, number>();
          for (const message of messages) actual.set(message.line, (actual.get(message.line) ?? 0) + 1);
          assert.deepEqual(Object.fromEntries(actual), Object.fromEntries(expected));
          const engine = lintJs(text, code, { fileName: file, mode });
          assert.deepEqual(messages.map((message) => whatEslintShows(text, message)), engine.map((finding) => asEslintShowsIt(text, finding)));
        });

        it('--fix gives what fixing all safe fixes gives', function () {
          if (fatal) this.skip();
          const analyse = (current: string): AnalysisResult => ({ findings: lintJs(current, code, { fileName: file, mode }), errors: [] });
          const expected = applySafeFixes(text, analyse(text), analyse).text;
          assert.equal(linter.verifyAndFix(text, config, { filename }).output, expected);
        });
      });
    }
  }
});

describe('ESLint plugin: its shape', () => {
  it('has a rule for every JS/TS rule, named as in the catalog, with the rule\'s messages, fixability and docs page', () => {
    assert.deepEqual(Object.keys(plugin.rules).sort(), JS_RULES.map((rule) => rule.meta.name).sort());
    for (const { meta } of JS_RULES) {
      const rule = plugin.rules[meta.name]!;
      assert.equal(CATALOG.entry(meta.code)?.name, meta.name);
      for (const [id, template] of Object.entries(meta.messages)) assert.equal(rule.meta.messages[id], template);
      assert.equal(rule.meta.fixable, meta.fix.safety.includes('safe') ? 'code' : undefined, meta.code);
      assert.equal(rule.meta.hasSuggestions, meta.fix.safety.includes('unsafe') ? true : undefined, meta.code);
      assert.equal(rule.meta.type, meta.defaultSeverity === 'error' ? 'problem' : 'suggestion');
      const docs = fileURLToPath(rule.meta.docs!.url!);
      assert.equal(docs, path.join(ROOT, 'docs', 'rules', `${meta.code}.md`));
      assert.ok(fs.existsSync(docs), `${docs} is missing`);
    }
  });

  it('recommended registers the plugin as async-lens and turns every rule on at its catalog severity (hint and info as warn)', () => {
    const recommended = plugin.configs.recommended as Linter.Config;
    assert.equal(recommended.plugins?.['async-lens'], plugin);
    const levels: Record<string, string> = { error: 'error', warning: 'warn', info: 'warn', hint: 'warn' };
    assert.deepEqual(recommended.rules, Object.fromEntries(JS_RULES.map(({ meta }) => [`async-lens/${meta.name}`, levels[meta.defaultSeverity]])));
    assert.deepEqual(plugin.meta, { name: 'async-lens', version: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version });
  });
});

describe('docs/eslint.md', () => {
  it('lists every rule with its catalog severity, its level in recommended and its fixes', () => {
    const markdown = fs.readFileSync(path.join(ROOT, 'docs', 'eslint.md'), 'utf8');
    const rows = [...markdown.matchAll(/^\| \[(AIT\d{3})\]\(rules\/\1\.md\) \| `async-lens\/([a-z-]+)` \| (\w+) \| (\w+) \| ([^|]+) \|$/gm)].map((match) => match.slice(1, 6).map((cell) => cell.trim()));
    const recommended = (plugin.configs.recommended as Linter.Config).rules!;
    assert.deepEqual(rows, JS_RULES.map(({ meta }) => {
      const fixes = [meta.fix.safety.includes('safe') ? 'fix' : '', meta.fix.safety.includes('unsafe') ? 'suggestion' : ''].filter(Boolean).join(', ');
      return [meta.code, meta.name, meta.defaultSeverity, String(recommended[`async-lens/${meta.name}`]), fixes || '—'];
    }));
  });
});

describe('ESLint plugin: settings, comments, failures, refusals', () => {
  const linter = new Linter({ cwd: ROOT });
  const recommended = [plugin.configs.recommended as Linter.Config, { linterOptions: { reportUnusedDisableDirectives: 'error' as const } }];
  const LINES = `async function* lines() {
  yield 'a';
}
`;

  it('eslint-disable-next-line silences a rule through ESLint, which does not call the comment unused', () => {
    const text = `${LINES}async function main() {
  // eslint-disable-next-line async-lens/sync-iteration-over-async-iterable
  for (const line of lines()) console.log(line);
  for (const line of lines()) console.log(line); // eslint-disable-line async-lens/sync-iteration-over-async-iterable
  for (const line of lines()) console.log(line);
}
main();
`;
    const messages = linter.verify(text, recommended, { filename: path.join(ROOT, 'disable.js') });
    assert.deepEqual(messages.map((message) => [message.ruleId, message.line]), [['async-lens/sync-iteration-over-async-iterable', 8]]);
  });

  it('// async-lens-ignore silences a finding on its line or the next', () => {
    const text = `${LINES}async function main() {
  // async-lens-ignore AIT101
  for (const line of lines()) console.log(line);
  for (const line of lines()) console.log(line); // async-lens-ignore

  for (const line of lines()) console.log(line); // async-lens-ignore AIT104
}
main();
`;
    const messages = linter.verify(text, recommended, { filename: path.join(ROOT, 'ignore.js') });
    assert.deepEqual(messages.map((message) => [message.ruleId, message.line]), [['async-lens/sync-iteration-over-async-iterable', 9]]);
  });

  it('settings[\'async-lens\'].knownAsyncIterables adds APIs that return async iterables; an invalid value stops the run, named', () => {
    const text = "import { subscribe } from 'my-bus';\nexport async function main() {\n  for (const event of subscribe()) console.log(event);\n}\n";
    const lint = (settings: Record<string, unknown>) => linter.verify(text, [plugin.configs.recommended as Linter.Config, { settings }], { filename: path.join(ROOT, 'bus.js') });
    assert.deepEqual(lint({}), []);
    assert.deepEqual(lint({ 'async-lens': { knownAsyncIterables: ['my-bus#subscribe'] } }).map((message) => [message.ruleId, message.line]), [['async-lens/sync-iteration-over-async-iterable', 3]]);
    assert.throws(() => lint({ 'async-lens': { knownAsyncIterables: [42] } }), /settings\['async-lens'\]\.knownAsyncIterables: 42 is neither/);
    assert.throws(() => lint({ 'async-lens': { severity: {} } }), /settings\['async-lens'\]\.severity is not a setting of the ESLint plugin/);
  });

  it('a rule that throws is reported on line 1 by its own ESLint rule; the other rules still report', () => {
    const throwing = defineJsRule({
      meta: {
        code: 'AIT999',
        name: 'always-throws',
        language: 'javascript',
        defaultSeverity: 'error',
        summary: 'A rule that throws, for this test.',
        messages: { never: 'Never reported.' },
        fix: { availability: 'never', safety: [], titles: {} },
      },
      create: () => ({
        ForOfStatement() {
          throw new Error('injected failure');
        },
      }),
    });
    const rules = createRules([...JS_RULES, throwing]);
    const messages = linter.verify(`${LINES}async function main() {\n  for (const line of lines()) console.log(line);\n}\nmain();\n`, [{
      plugins: { 'async-lens': { rules } as unknown as NonNullable<Linter.Config['plugins']>[string] },
      rules: { 'async-lens/always-throws': 'error', 'async-lens/sync-iteration-over-async-iterable': 'error' },
    }], { filename: path.join(ROOT, 'throws.js') });
    assert.deepEqual(messages.map((message) => [message.ruleId, message.line, message.message]), [
      ['async-lens/always-throws', 1, messages[0]?.message],
      ['async-lens/sync-iteration-over-async-iterable', 5, messages[1]?.message],
    ]);
    assert.match(messages[0]!.message, /^Async Lens's AIT999 failed on this file and was skipped here: injected failure/);
    assert.match(messages[1]!.message, /cannot iterate `lines\(\)`/);
  });

  it('files nested up to and past the depth ESLint\'s parser accepts: no crash, no finding', () => {
    // ESLint's parser gives up at about the depth TypeScript's does (here, before it); the plugin's own refusal (JsParseRefusedError) is a guard.
    for (let depth = 500; depth <= 1200; depth += 25) {
      const text = `export async function f() {}\nexport const x = ${'['.repeat(depth)}${']'.repeat(depth)};\n`;
      const messages = linter.verify(text, [plugin.configs.recommended as Linter.Config], { filename: path.join(ROOT, 'deep.js') });
      assert.deepEqual(messages.filter((message) => message.ruleId?.startsWith('async-lens/')), [], `depth ${depth}`);
    }
  });

  it('a syntax error is ESLint\'s parser\'s to report; no rule runs', () => {
    const messages = linter.verify(`${LINES}async function main() {\n  for (const line of lines() console.log(line);\n}\n`, [plugin.configs.recommended as Linter.Config], { filename: path.join(ROOT, 'broken.js') });
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.fatal, true);
  });
});
