import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tsParser from '@typescript-eslint/parser';
import { RuleTester, type RunTests, type SuggestionOutput } from '@typescript-eslint/rule-tester';
import plugin from '../../src/hosts/eslint';

/*
 * Hand-written RuleTester cases for each rule of the ESLint plugin, with the
 * literal text its fix and suggestions give: typed (typescript-eslint with
 * the project test/fixtures/eslint/tsconfig.json, the code linted as its
 * empty file.ts), TypeScript without types, and plain JavaScript under
 * ESLint's default parser. Every rule fixture runs through ESLint too, in
 * eslint-plugin.test.ts.
 */

RuleTester.afterAll = after;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const TYPED_PROJECT = path.join(__dirname, '..', 'fixtures', 'eslint');

const typed = new RuleTester({
  languageOptions: { parser: tsParser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: TYPED_PROJECT } },
});
const untypedTypeScript = new RuleTester({ languageOptions: { parser: tsParser } });
/** ESLint's own parser (espree): what a plain JavaScript project has. */
const plainJavaScript = new RuleTester({ languageOptions: { parser: undefined as never } });

interface Cases {
  readonly typed?: RunTests<string, []>;
  readonly untypedTypeScript?: RunTests<string, []>;
  readonly plainJavaScript?: RunTests<string, []>;
}

/**
 * A suggestion as ESLint shows it: the fix title as its description (the
 * rules' fix titles are not ESLint messages). RuleTester checks `desc`; its
 * types know only `messageId`.
 */
const suggestion = (desc: string, output: string) => ({ desc, output }) as unknown as SuggestionOutput<string>;

const covered = new Set<string>();

function run(name: string, cases: Cases): void {
  covered.add(name);
  const rule = plugin.rules[name]!;
  describe(name, () => {
    if (cases.typed) typed.run(`${name} (typed)`, rule, cases.typed);
    if (cases.untypedTypeScript) untypedTypeScript.run(`${name} (TypeScript, no types)`, rule, cases.untypedTypeScript);
    if (cases.plainJavaScript) plainJavaScript.run(`${name} (plain JavaScript)`, rule, cases.plainJavaScript);
  });
}

/** Test cases read as the code they lint: one line per array entry. */
const lines = (...text: string[]) => `${text.join('\n')}\n`;

const DECLARED_PAGES = lines(
  'declare function pages(): AsyncIterable<string>;',
  'export async function main() {',
  '  for (const page of pages()) console.log(page);',
  '}',
);

const LOCAL_LINES = lines(
  'async function* lines() {',
  "  yield 'a';",
  '}',
);

run('sync-iteration-over-async-iterable', {
  // Only types tell that `pages()` is async iterable.
  typed: {
    valid: [lines('declare function pages(): Iterable<string>;', 'for (const page of pages()) console.log(page);')],
    invalid: [{
      code: DECLARED_PAGES,
      errors: [{ messageId: 'forOf', line: 3, column: 3, endLine: 3, endColumn: 30 }],
      output: DECLARED_PAGES.replace('for (', 'for await ('),
    }],
  },
  untypedTypeScript: { valid: [DECLARED_PAGES], invalid: [] },
  plainJavaScript: {
    valid: [LOCAL_LINES + lines('export async function main() {', '  for await (const line of lines()) console.log(line);', '}')],
    invalid: [
      {
        code: LOCAL_LINES + lines('export async function main() {', '  for (const line of lines()) console.log(line);', '}'),
        errors: [{ messageId: 'forOf', data: { what: '`lines()`' }, line: 5, column: 3, endLine: 5, endColumn: 30 }],
        output: LOCAL_LINES + lines('export async function main() {', '  for await (const line of lines()) console.log(line);', '}'),
      },
      {
        code: LOCAL_LINES + lines('export async function all() {', '  return Array.from(lines());', '}'),
        errors: [{
          messageId: 'arrayFrom',
          line: 5,
          suggestions: [suggestion('Use `await Array.fromAsync(...)`', LOCAL_LINES + lines('export async function all() {', '  return await Array.fromAsync(lines());', '}'))],
        }],
        output: null,
      },
    ],
  },
});

const FETCH_PAGE = lines('async function fetchPage(url) {', '  return url;', '}');

run('for-await-over-eager-promises', {
  plainJavaScript: {
    valid: [FETCH_PAGE + lines('export async function report(urls) {', '  for (const page of await Promise.all(urls.map(fetchPage))) console.log(page);', '}')],
    invalid: [{
      code: FETCH_PAGE + lines('export async function report(urls) {', '  for await (const page of urls.map(fetchPage)) console.log(page);', '}'),
      errors: [{
        messageId: 'eagerPromises',
        line: 5,
        column: 28,
        suggestions: [suggestion(
          'Use `for…of` over `await Promise.all(...)`',
          FETCH_PAGE + lines('export async function report(urls) {', '  for (const page of await Promise.all(urls.map(fetchPage))) console.log(page);', '}'),
        )],
      }],
      output: null,
    }],
  },
});

const EVENTS = lines('async function* events() {', '  yield 1;', '}');

run('unawaited-anext', {
  typed: {
    valid: [EVENTS + lines('export async function first() {', '  const { done, value } = await events().next();', '  return done ? undefined : value;', '}')],
    invalid: [{
      code: EVENTS + lines('export async function first() {', '  const { done, value } = events().next();', '  return done ? undefined : value;', '}'),
      errors: [{ messageId: 'readAsResult', line: 5, column: 27, endLine: 5, endColumn: 42 }],
      output: EVENTS + lines('export async function first() {', '  const { done, value } = await events().next();', '  return done ? undefined : value;', '}'),
    }],
  },
  plainJavaScript: {
    valid: [],
    invalid: [{
      code: EVENTS + lines('export async function first() {', '  const { done, value } = events().next();', '  return done ? undefined : value;', '}'),
      errors: [{ messageId: 'readAsResult', line: 5 }],
      output: EVENTS + lines('export async function first() {', '  const { done, value } = await events().next();', '  return done ? undefined : value;', '}'),
    }],
  },
});

// ESLint's default parser refuses `for await` outside an async function (a syntax error it reports itself); typescript-eslint's parser reads it.
const CRAWL = (modifier: string) => LOCAL_LINES + lines(`export ${modifier}function crawl() {`, '  for await (const line of lines()) console.log(line);', '}');

run('async-iteration-outside-async-function', {
  untypedTypeScript: {
    valid: [CRAWL('async ')],
    invalid: [{
      code: CRAWL(''),
      errors: [{ messageId: 'inFunction', line: 5, column: 3, suggestions: [suggestion('Make `crawl` async', CRAWL('async '))] }],
      output: null,
    }],
  },
});

const COUNTDOWN = (body: string) => lines(
  'class Countdown {',
  '  constructor(from) {',
  '    this.current = from;',
  '  }',
  '  [Symbol.asyncIterator]() {',
  body,
  '  }',
  '  async next() {',
  '    return this.current > 0 ? { value: this.current--, done: false } : { value: undefined, done: true };',
  '  }',
  '}',
);

run('iterator-method-missing-return', {
  plainJavaScript: {
    valid: [COUNTDOWN('    return this;')],
    invalid: [{
      code: COUNTDOWN('    this.started = true;'),
      errors: [{ messageId: 'noIterator', line: 5 }],
      output: COUNTDOWN('    this.started = true;\n    return this;'),
    }],
  },
});

const PAGER = (members: string) => lines(
  'class Pager {',
  members,
  '  async next() {',
  '    return { value: 1, done: true };',
  '  }',
  '}',
  'export async function main() {',
  '  for await (const page of new Pager()) console.log(page);',
  '}',
);

run('anext-without-aiter', {
  typed: {
    valid: [PAGER('  [Symbol.asyncIterator]() { return this; }')],
    invalid: [{
      code: PAGER('  page = 0;'),
      errors: [{ messageId: 'notAsyncIterable', line: 8, column: 28, endLine: 8, endColumn: 39 }],
      output: PAGER('  page = 0;\n  [Symbol.asyncIterator]() { return this; }'),
    }],
  },
});

const NEXT = (tail: string) => lines(
  'export function countdown(from) {',
  '  let current = from;',
  '  return {',
  '    [Symbol.asyncIterator]() {',
  '      return this;',
  '    },',
  '    async next() {',
  '      if (current > 0) return { value: current--, done: false };',
  tail,
  '    },',
  '  };',
  '}',
);

run('next-without-iterator-result', {
  plainJavaScript: {
    valid: [NEXT('      return { value: undefined, done: true };')],
    invalid: [{
      code: NEXT('      // done'),
      errors: [{ messageId: 'fallsOff', line: 7, suggestions: [suggestion('Return `{ value: undefined, done: true }`', NEXT('      return { value: undefined, done: true };\n      // done'))] }],
      output: null,
    }],
  },
});

const TICKER = (members: string) => lines(
  'export class Ticker {',
  '  constructor() {',
  '    this.queue = [];',
  '    this.timer = setInterval(() => this.queue.push(Date.now()), 100);',
  '  }',
  '  [Symbol.asyncIterator]() {',
  '    return this;',
  '  }',
  '  async next() {',
  '    return { value: this.queue.shift(), done: false };',
  '  }',
  members,
  '}',
);

run('iterator-without-return-method', {
  plainJavaScript: {
    valid: [TICKER('  async return() {\n    clearInterval(this.timer);\n    return { value: undefined, done: true };\n  }')],
    invalid: [{ code: TICKER(''), errors: [{ messageId: 'noReturnMethod', line: 9, column: 9, endLine: 9, endColumn: 13 }], output: null }],
  },
});

const CONFIGS = (read: string) => lines(
  "import * as fs from 'node:fs';",
  'export async function* configs(paths) {',
  '  for (const path of paths) {',
  `    const text = ${read};`,
  '    yield JSON.parse(text);',
  '  }',
  '}',
);

run('blocking-call-in-async-iteration', {
  plainJavaScript: {
    valid: [CONFIGS("await fs.promises.readFile(path, 'utf8')")],
    invalid: [{
      code: CONFIGS("fs.readFileSync(path, 'utf8')"),
      errors: [{
        messageId: 'blockingCall',
        line: 4,
        column: 18,
        endLine: 4,
        endColumn: 33,
        suggestions: [suggestion('Use `await fs.promises.readFile()`', CONFIGS("await fs.promises.readFile(path, 'utf8')"))],
      }],
      output: null,
    }],
  },
});

const DOWNLOAD = lines(
  'async function download(url: string): Promise<string> {',
  '  const response = await fetch(url);',
  '  return response.text();',
  '}',
);
const COLLECT = (body: string) => DOWNLOAD + lines('export async function collect(urls: string[]): Promise<string[]> {', '  const pages: string[] = [];', body, '  return pages;', '}');

run('sequential-await-in-loop', {
  // With types, `urls` is an array: the loop can become one `Promise.all` over it, results in order.
  typed: {
    valid: [
      // Each request needs the cursor the one before it returned.
      DOWNLOAD + lines('export async function crawl(first: string): Promise<void> {', '  let next: string | undefined = first;', '  while (next) next = (await download(next)) || undefined;', '}'),
    ],
    invalid: [{
      code: COLLECT('  for (const url of urls) {\n    pages.push(await download(url));\n  }'),
      errors: [{
        messageId: 'sequential',
        line: 8,
        column: 16,
        endLine: 8,
        endColumn: 35,
        suggestions: [suggestion('Run them concurrently with `Promise.all` (results in the same order)', COLLECT('  pages.push(...(await Promise.all(urls.map(async (url) => download(url)))));'))],
      }],
      output: null,
    }],
  },
  // Without types, nothing says `urls` is an array: the finding stands, with no rewrite.
  plainJavaScript: {
    valid: [],
    invalid: [{
      code: lines('async function download(url) {', '  const response = await fetch(url);', '  return response.text();', '}', 'export async function collect(urls) {', '  const pages = [];', '  for (const url of urls) pages.push(await download(url));', '  return pages;', '}'),
      errors: [{ messageId: 'sequential', line: 7, column: 38 }],
      output: null,
    }],
  },
});

run('serial-async-generator', {
  plainJavaScript: {
    valid: [lines('async function download(url) {', '  return url;', '}', 'export async function* fetchPages(urls) {', '  for (const url of urls) yield download(url);', '}')],
    invalid: [{
      code: lines('async function download(url) {', '  const response = await fetch(url);', '  return response.text();', '}', 'export async function* fetchPages(urls) {', '  for (const url of urls) yield await download(url);', '}'),
      errors: [{ messageId: 'serial', line: 6, column: 33, endLine: 6, endColumn: 52 }],
      output: null,
    }],
  },
});

describe('the RuleTester cases', () => {
  it('cover every rule of the plugin', () => {
    assert.deepEqual(Object.keys(plugin.rules).filter((name) => !covered.has(name)), []);
  });
});
