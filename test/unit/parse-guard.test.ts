import * as assert from 'node:assert/strict';
import type { SyntaxProblem } from '../../src/engine/types';
import { analyzePython } from '../../src/python/analyze';
import { PythonDocumentAnalysis } from '../../src/python/incremental';
import { ready } from '../support/python';

/*
 * Broken and pathological code gets an answer, never a hang or a crash: the
 * parse guard (src/python/parse-guard.ts) refuses what would be quadratic or
 * run the parser out of memory, in CPython's own words where CPython refuses
 * it too, and says where ordinary syntax errors start. Outcomes only: how long
 * these take is in bench/broken-code.js.
 */

const PREFIX = 'async def gen():\n    yield 1\n\n\n';
const BUG = 'async def main():\n    for x in gen():\n        pass\n';

function problemOf(text: string): SyntaxProblem | undefined {
  const result = analyzePython({ text });
  assert.deepEqual(result.errors, []);
  return result.syntaxError;
}

describe('the parse guard', function () {
  this.timeout(120_000);
  before(ready);

  const refused: [string, string, RegExp, number][] = [
    ['100,000 unclosed `[`', `${PREFIX}x = ${'['.repeat(100_000)}\n`, /^too many nested parentheses$/, 5],
    ['100,000 unclosed `(`, one per line', `${PREFIX}x = ${'(\n'.repeat(100_000)}`, /^too many nested parentheses$/, 205],
    ['a run of 50,000 `*`', `${PREFIX}x = ${'* '.repeat(50_000)}\n`, /too broken to analyse/, 5],
    ['1,001 lines joined by backslashes', `${PREFIX}x = 1 + \\\n${'    1 + \\\n'.repeat(1001)}    1\n`, /more than 1000 lines joined by backslashes/, 1006],
    ['100 levels of indentation', `${PREFIX}${Array.from({ length: 100 }, (_, depth) => `${' '.repeat(depth)}if x:\n`).join('')}${' '.repeat(100)}pass\n`, /^too many levels of indentation$/, 105],
    ['about 5 million tokens', `${PREFIX}x = [${'1,'.repeat(2_600_000)}]\n`, /tokens, more than the 4000000 that can be parsed/, 1],
  ];
  for (const [name, text, message, line] of refused) {
    it(`refuses ${name}, saying where and why, and analyses nothing`, () => {
      const problem = problemOf(text);
      assert.ok(problem?.notAnalysed, JSON.stringify(problem));
      assert.match(problem.message, message);
      assert.equal(problem.line, line);
    });
  }

  it('analyses what real code does: 200 nested brackets, 99 levels of indentation, long comment blocks', () => {
    const nested = `${PREFIX}${BUG}x = ${'['.repeat(199)}${']'.repeat(199)}\n`;
    const deep = `${PREFIX}${BUG}${Array.from({ length: 98 }, (_, depth) => `${' '.repeat(depth)}if x:\n`).join('')}${' '.repeat(98)}pass\n`;
    const comments = `${PREFIX}${BUG}def g():\n${'    # x = compute(with_an_argument, and_another_one, and_a_third)\n'.repeat(5000)}    return 1\n`;
    for (const text of [nested, deep, comments]) {
      const result = analyzePython({ text });
      assert.equal(result.syntaxError, undefined);
      assert.deepEqual(result.findings.map((finding) => finding.code), ['AIT101']);
    }
  });

  it('says where an ordinary syntax error starts, in CPython\'s words when it has them, and still checks the rest', () => {
    // A bracket left open swallows what follows it into the broken part: nothing there is reported.
    const cases: [string, number, number, string, string[]][] = [
      ['def f(:\n    pass\n', 5, 6, '\'(\' was never closed', ['AIT101']],
      ['x = (1, 2]\n', 5, 10, 'closing parenthesis \']\' does not match opening parenthesis \'(\'', []],
      ['x = "abc\n', 5, 5, 'unterminated string literal (detected at line 5)', ['AIT101']],
      ['print(1 2)\n', 5, 9, 'invalid syntax', ['AIT101']],
    ];
    for (const [broken, line, column, message, codes] of cases) {
      const result = analyzePython({ text: `${PREFIX}${broken}\n${BUG}` });
      assert.deepEqual(result.syntaxError, { line, column, message }, broken);
      assert.deepEqual(result.findings.map((finding) => finding.code), codes, `after ${JSON.stringify(broken)}`);
    }
  });

  it('in the editor: a refused text leaves nothing behind, and the next good text is analysed', () => {
    const analysis = new PythonDocumentAnalysis();
    try {
      assert.equal(analysis.update(`${PREFIX}${BUG}`).findings.length, 1);
      const refusedResult = analysis.update(`${PREFIX}${BUG}x = ${'['.repeat(1000)}\n`);
      assert.equal(refusedResult.syntaxError?.notAnalysed, true);
      assert.deepEqual(refusedResult.findings, []);
      assert.equal(analysis.currentTree, undefined);
      assert.equal(analysis.update(`${PREFIX}${BUG}`).findings.length, 1);
    } finally {
      analysis.dispose();
    }
  });
});
