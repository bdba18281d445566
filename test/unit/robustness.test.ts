import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Edit, type Point } from 'web-tree-sitter';
import type { LintSettings } from '../../src/engine/config';
import { CATALOG } from '../../src/catalog';
import { LineIndex, applyFixes, rangesOverlap } from '../../src/engine/text';
import type { Finding, Fix } from '../../src/engine/types';
import type { AnalysisResult } from '../../src/engine/types';
import * as ts from 'typescript';
import { analyzeJs, parseJs } from '../../src/js/analyze';
import { analyzePython } from '../../src/python/analyze';
import { parsePython, type Tree } from '../../src/python/parser';
import type { PythonRule } from '../../src/python/rule';
import { PYTHON_RULES } from '../../src/python/rules';
import { MUTATION_KINDS, Random, applySplice, describeSplice, randomSplice, type MutationKind, type Splice } from '../support/mutations';
import { ready, testRule } from '../support/python';

/*
 * The quality bar: no exception, hang or blow-up on truncated, mutated,
 * deeply nested or megabyte-sized input, and a broken rule never takes the
 * others down. Everything random is seeded (ROBUSTNESS_SEED overrides it);
 * a failing variant is written to a temporary file named in the message.
 */

const SEED = Number(process.env.ROBUSTNESS_SEED ?? 20240611);
/** Spread over all seed files; nine kinds make about three thousand variants. */
const VARIANTS_PER_KIND = 330;
/** CPython's own limits: 99 levels of indentation, 200 nested brackets (deeper code does not compile, and is refused: see parse-guard.test.ts). */
const INDENTATION = 97;
const BRACKETS = 198;

const ROOT = path.join(__dirname, '..', '..');
const SEED_DIRECTORIES = [path.join(ROOT, 'test', 'fixtures', 'python'), path.join(ROOT, 'test', 'fixtures', 'corpus')];

interface SeedFile {
  readonly name: string;
  readonly text: string;
}

function seedFiles(): SeedFile[] {
  return SEED_DIRECTORIES.flatMap((directory) =>
    fs.readdirSync(directory)
      .filter((file) => file.endsWith('.py'))
      .sort()
      .map((file) => ({ name: path.relative(ROOT, path.join(directory, file)), text: fs.readFileSync(path.join(directory, file), 'utf8') })));
}

const AGEN = 'async def agen():\n    yield 1\n\n\n';

/** Keeps a failing input where a human can rerun it. */
function saveRepro(label: string, text: string): string {
  const file = path.join(os.tmpdir(), `async-lens-robustness-${label.replace(/[^\w.-]+/g, '_')}.py`);
  fs.writeFileSync(file, text);
  return file;
}

/** A surrogate pair's halves must stay together: no range may end between them. */
function splitsSurrogatePair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

function isValidOffset(text: string, offset: number): boolean {
  return Number.isInteger(offset) && offset >= 0 && offset <= text.length && !splitsSurrogatePair(text, offset);
}

/** What is wrong with one fix, or undefined. */
function fixProblem(text: string, fix: Fix): string | undefined {
  if (!fix.title || (fix.safety !== 'safe' && fix.safety !== 'unsafe')) return `fix ${JSON.stringify(fix.title)} has no title or safety`;
  if (fix.edits.length === 0) return `fix "${fix.title}" has no edits`;
  for (const edit of fix.edits) {
    if (!isValidOffset(text, edit.range.start) || !isValidOffset(text, edit.range.end) || edit.range.start > edit.range.end) {
      return `fix "${fix.title}" edits [${edit.range.start}, ${edit.range.end}) outside the text (length ${text.length}) or inside a surrogate pair`;
    }
  }
  // As LSP allows: no character is touched by two edits; an insertion may sit at the start of one replacement.
  for (const [i, a] of fix.edits.entries()) {
    for (const b of fix.edits.slice(i + 1)) {
      const insideOther = (insert: typeof a.range, other: typeof a.range) =>
        insert.start === insert.end && insert.start > other.start && insert.start < other.end;
      const sameInsertPoint = a.range.start === a.range.end && b.range.start === b.range.end && a.range.start === b.range.start;
      if (rangesOverlap(a.range, b.range) || insideOther(a.range, b.range) || insideOther(b.range, a.range) || sameInsertPoint) {
        return `fix "${fix.title}" has overlapping or order-dependent edits [${a.range.start}, ${a.range.end}) and [${b.range.start}, ${b.range.end})`;
      }
    }
  }
  if (applyFixes(text, [fix]).applied !== 1) return `fix "${fix.title}" cannot be applied on its own`;
  return undefined;
}

/** Everything a host relies on when it shows a result; the first problem found, or undefined. */
function resultProblem(text: string, result: AnalysisResult): string | undefined {
  if (result.errors.length > 0) return `internal errors: ${JSON.stringify(result.errors)}`;
  const codes = new Set(CATALOG.entries.map((rule) => rule.code));
  for (const finding of result.findings) {
    const { start, end } = finding.range;
    if (!codes.has(finding.code) || !finding.message) return `finding without a known code or a message: ${JSON.stringify(finding)}`;
    if (!isValidOffset(text, start) || !isValidOffset(text, end) || start > end) {
      return `${finding.code} range [${start}, ${end}) lies outside the text (length ${text.length}) or inside a surrogate pair`;
    }
    for (const fix of finding.fixes) {
      const problem = fixProblem(text, fix);
      if (problem) return `${finding.code}: ${problem}`;
    }
  }
  return undefined;
}

/** Analyses and times one text; the analysis itself must never throw. */
function analyzeTimed(text: string, options: { settings?: LintSettings; tree?: Tree; rules?: readonly PythonRule[] } = {}): { result: AnalysisResult; ms: number } {
  const started = performance.now();
  const result = analyzePython({ text, path: '/project/module.py', ...options });
  return { result, ms: performance.now() - started };
}

/** The row/column tree-sitter uses: rows split at `\n`, columns in UTF-16 code units (as web-tree-sitter counts). */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** Re-parses `after` incrementally from `before`'s tree, as the editor does after a keystroke. */
function reparse(before: string, tree: Tree, splice: Splice, after: string): Tree {
  const edited = tree.copy();
  const newEnd = splice.start + splice.insert.length;
  edited.edit(new Edit({
    startIndex: splice.start,
    oldEndIndex: splice.end,
    newEndIndex: newEnd,
    startPosition: pointAt(before, splice.start),
    oldEndPosition: pointAt(before, splice.end),
    newEndPosition: pointAt(after, newEnd),
  }));
  try {
    return parsePython(after, edited);
  } finally {
    edited.delete();
  }
}

/** Findings compared as a host shows them. */
function comparable(findings: readonly Finding[]): string[] {
  return findings.map((finding) => JSON.stringify([finding.code, finding.range, finding.message, finding.fixes]));
}

function lineColumnOf(text: string, findings: readonly Finding[]): string[] {
  const lines = new LineIndex(text);
  return findings.map((finding) => {
    const start = lines.position(finding.range.start);
    const end = lines.position(finding.range.end);
    return `${finding.code} ${start.line}:${start.character}-${end.line}:${end.character} ${finding.message}`;
  });
}

/** A registered code that no Python rule implements, so an injected rule cannot shadow a real one. */
function unusedCode(): string {
  const free = CATALOG.entries.find((rule) => !rule.implementations.has('python'));
  assert.ok(free, 'every registered code has a Python rule: pick another way to inject a failing rule');
  return free.code;
}

function throwingRule(code: string, kind: string, thrown: () => unknown): PythonRule {
  return testRule(code, () => ({
    [kind]: () => {
      throw thrown();
    },
  }));
}

describe('robustness of the Python analysis', function () {
  this.timeout(120_000);
  before(ready);

  const seeds = seedFiles();

  describe('seeded mutations of every fixture and realistic snippet', () => {
    it('has seed files to mutate', () => {
      assert.ok(seeds.length >= 2, `no fixtures found in ${SEED_DIRECTORIES.join(', ')}`);
    });

    let trees: Tree[] = [];
    before(() => {
      trees = seeds.map((seed) => parsePython(seed.text));
    });
    after(() => {
      for (const tree of trees) tree.delete();
    });

    for (const kind of MUTATION_KINDS) {
      it(`${kind}: never throws, reports no internal error, keeps every range and fix inside the text, matches an incremental re-parse`, () => {
        // Each kind has its own stream, so adding a kind does not reshuffle the others.
        const random = new Random(SEED ^ hash(kind));
        const failures: string[] = [];
        let slowest = 0;
        for (let i = 0; i < VARIANTS_PER_KIND && failures.length < 5; i++) {
          const seed = seeds[i % seeds.length]!;
          const label = `${kind}-${path.basename(seed.name)}-${i}`;
          const steps = mutate(random, seed.text, kind, i);
          const variant = steps.text;
          const settings: LintSettings = i % 4 === 3 ? { topLevelAwait: true } : {};
          let fresh: { result: AnalysisResult; ms: number };
          try {
            fresh = analyzeTimed(variant, { settings });
          } catch (error) {
            failures.push(`${label}: analyzePython threw ${String(error)} (${describeSplice(steps.last)}; saved to ${saveRepro(label, variant)})`);
            continue;
          }
          slowest = Math.max(slowest, fresh.ms);
          const problem = resultProblem(variant, fresh.result);
          if (problem) failures.push(`${label}: ${problem} (saved to ${saveRepro(label, variant)})`);
          if (steps.count > 1) continue;
          const incremental = reparse(seed.text, trees[i % seeds.length]!, steps.last, variant);
          try {
            const again = analyzeTimed(variant, { settings, tree: incremental }).result;
            if (comparable(again.findings).join('\n') !== comparable(fresh.result.findings).join('\n')) {
              failures.push(`${label}: an incremental re-parse after ${describeSplice(steps.last)} gives other findings than a fresh parse (saved to ${saveRepro(label, variant)})`);
            }
          } finally {
            incremental.delete();
          }
        }
        assert.deepEqual(failures, [], `seed ${SEED}, slowest variant ${slowest.toFixed(1)} ms`);
      });
    }
  });

  describe('size and depth', () => {
    it('analyses a megabyte of realistic async code, with every range and fix inside the text', () => {
      const text = megabyteOfAsyncCode(seeds);
      const { result, ms } = analyzeTimed(text);
      const lines = new LineIndex(text).lineCount;
      console.log(`      1 MB file: ${(text.length / 1e6).toFixed(2)} M chars, ${lines} lines, ${result.findings.length} findings, analysed in ${ms.toFixed(0)} ms`);
      assert.equal(resultProblem(text, result), undefined);
      assert.ok(result.findings.length > 0, 'the copies of the fixtures should produce findings');
    });

    const deep: Record<string, [number, () => string]> = {
      'nested ifs': [INDENTATION, () => AGEN + 'async def main(x):\n' + nested(INDENTATION, (depth) => `${indent(depth + 1)}if x:\n`) + `${indent(INDENTATION + 1)}for item in agen():\n${indent(INDENTATION + 2)}pass\n`],
      'nested async function definitions': [INDENTATION, () => AGEN + nested(INDENTATION, (depth) => `${indent(depth)}async def level${depth}():\n`) + `${indent(INDENTATION)}for item in agen():\n${indent(INDENTATION + 1)}pass\n`],
      'nested parentheses': [BRACKETS, () => `${AGEN}async def main():\n    items = ${'('.repeat(BRACKETS)}list(agen())${')'.repeat(BRACKETS)}\n`],
      'nested comprehensions': [BRACKETS, () => `${AGEN}async def main(rows):\n    return ${'['.repeat(BRACKETS)}item for item in agen()${' for row in rows]'.repeat(BRACKETS)}\n`],
    };
    for (const [name, [depth, build]] of Object.entries(deep)) {
      it(`still finds the bug inside ${depth} ${name}`, () => {
        const text = build();
        const { result, ms } = analyzeTimed(text);
        console.log(`      ${depth} ${name}: ${ms.toFixed(0)} ms`);
        assert.equal(resultProblem(text, result), undefined);
        assert.deepEqual(result.findings.map((finding) => finding.code), ['AIT101']);
      });
    }
  });

  describe('unusual but valid text', () => {
    const base = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'corpus', 'mistakes.py'), 'utf8');

    const silent: Record<string, string> = {
      'an empty file': '',
      'a single newline': '\n',
      'only whitespace': '   \t \n\n  \f\n',
      'only comments': '# async for x in agen():\n#     list(agen())\n# noqa\n',
      'only comments, CRLF, no final newline': '# first\r\n# second',
      'a lone #': '#',
      'only a docstring': '"""async for x in agen(): list(agen())"""\n',
      'only a BOM': '\ufeff',
    };
    for (const [name, text] of Object.entries(silent)) {
      it(`reports nothing for ${name}`, () => {
        const { result } = analyzeTimed(text);
        assert.deepEqual(result, { findings: [], errors: [] });
      });
    }

    it('has findings in the base file these cases compare against', () => {
      assert.ok(analyzeTimed(base).result.findings.length >= 3);
    });

    it('reports CRLF files at the same lines and columns as LF files, with CRLF in multi-line fixes', () => {
      for (const seed of [...seeds, { name: 'mistakes', text: base }]) {
        const lf = seed.text.replace(/\r\n/g, '\n');
        const crlf = lf.replace(/\n/g, '\r\n');
        const fromLf = analyzeTimed(lf).result;
        const fromCrlf = analyzeTimed(crlf).result;
        assert.equal(resultProblem(crlf, fromCrlf), undefined, seed.name);
        assert.deepEqual(lineColumnOf(crlf, fromCrlf.findings), lineColumnOf(lf, fromLf.findings), seed.name);
        for (const finding of fromCrlf.findings) {
          for (const fix of finding.fixes) {
            for (const edit of fix.edits) {
              assert.ok(!/(^|[^\r])\n/.test(edit.newText), `${seed.name}: ${finding.code} fix "${fix.title}" inserts a bare LF into a CRLF file: ${JSON.stringify(edit.newText)}`);
            }
          }
        }
      }
    });

    it('survives old Mac (CR only) line endings', () => {
      const cr = base.replace(/\n/g, '\r');
      assert.equal(resultProblem(cr, analyzeTimed(cr).result), undefined);
    });

    it('reports the same findings when the indentation is tabs', () => {
      for (const seed of [...seeds, { name: 'mistakes', text: base }]) {
        const tabbed = seed.text.replace(/^((?: {4})+)/gm, (spaces) => '\t'.repeat(spaces.length / 4));
        const spaced = analyzeTimed(seed.text).result;
        const withTabs = analyzeTimed(tabbed).result;
        assert.equal(resultProblem(tabbed, withTabs), undefined, seed.name);
        const summary = (text: string, findings: readonly Finding[]) => {
          const lines = new LineIndex(text);
          return findings.map((finding) => `${finding.code} line ${lines.position(finding.range.start).line} ${text.slice(finding.range.start, finding.range.end).replace(/\t/g, '    ')} ${finding.message}`);
        };
        assert.deepEqual(summary(tabbed, withTabs.findings), summary(seed.text, spaced.findings), seed.name);
      }
    });

    it('shifts every finding by exactly one code unit after a BOM', () => {
      const plain = analyzeTimed(base).result;
      const withBom = analyzeTimed(`\ufeff${base}`).result;
      assert.deepEqual(
        withBom.findings.map((finding) => [finding.code, finding.range.start - 1, finding.range.end - 1]),
        plain.findings.map((finding) => [finding.code, finding.range.start, finding.range.end]),
      );
    });

    it('counts columns in UTF-16 code units after emoji and lone surrogates', () => {
      const prefixes = ['s = "😀"; ', 's = "\ud800"; ', 's = "\udc00😀\ud83d"; ', 'café = "🐍🐍"; ', '"""😀\n\ud800\n"""; '];
      for (const prefix of prefixes) {
        const line = `    ${prefix}items = list(agen())`;
        const text = `${AGEN}async def main():\n    # 😀 \ud800 ☃\n${line}\n`;
        const { result } = analyzeTimed(text);
        assert.equal(resultProblem(text, result), undefined, prefix);
        assert.equal(result.findings.length, 1, `expected one AIT101 after ${JSON.stringify(prefix)}: ${JSON.stringify(result.findings)}`);
        const lines = new LineIndex(text);
        const start = lines.position(result.findings[0]!.range.start);
        const lastLine = lines.lineText(start.line);
        assert.equal(start.character, lastLine.indexOf('list('), `column after ${JSON.stringify(prefix)}`);
        assert.equal(text.slice(result.findings[0]!.range.start, result.findings[0]!.range.end), 'list(agen())');
      }
    });

    it('survives NUL bytes anywhere', () => {
      const random = new Random(SEED);
      for (let i = 0; i < 40; i++) {
        const at = random.int(base.length + 1);
        const text = `${base.slice(0, at)}\0${i % 2 ? '\0\0' : ''}${base.slice(at)}`;
        assert.equal(resultProblem(text, analyzeTimed(text).result), undefined, `NUL at ${at}`);
      }
      const header = `\0${base}`;
      assert.equal(resultProblem(header, analyzeTimed(header).result), undefined);
    });
  });

  describe('a broken rule', () => {
    const base = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'corpus', 'mistakes.py'), 'utf8');
    const code = unusedCode();

    const cases: Record<string, PythonRule> = {
      'throws on every call': throwingRule(code, 'call', () => new Error('broken on call')),
      'throws on the module node': throwingRule(code, 'module', () => new Error('broken on module')),
      'throws a string': throwingRule(code, 'identifier', () => 'broken on identifier'),
      'throws undefined': throwingRule(code, 'for_statement', () => undefined),
      'throws in create()': testRule(code, () => { throw new RangeError('broken in create'); }),
    };
    for (const [name, rule] of Object.entries(cases)) {
      it(`that ${name} is reported once with its code, and the real rules' findings are unchanged`, () => {
        const healthy = analyzeTimed(base).result;
        assert.ok(healthy.findings.length > 0);
        const { result } = analyzeTimed(base, { rules: [rule, ...PYTHON_RULES] });
        assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
        assert.equal(result.errors[0]!.code, code);
        assert.deepEqual(comparable(result.findings), comparable(healthy.findings));
      });
    }
  });
});

/* Engine bugs the tests above found, each reduced to a minimal input, kept as regression tests. */
describe('regressions: engine bugs found by robustness testing', () => {
  before(ready);

  it('runner: a rule that throws a value with no string form (Object.create(null)) is reported, not rethrown', () => {
    const rule = throwingRule(unusedCode(), 'module', () => Object.create(null));
    const result = analyzePython({ text: 'x = 1\n', rules: [rule, ...PYTHON_RULES] });
    assert.equal(result.errors.length, 1);
  });

  it('facts: a 10,000-long attribute chain does not overflow the stack in qualifiedName (AIT101 internal error)', () => {
    const text = `async def main():\n    for item in a${'.b'.repeat(10_000)}():\n        pass\n`;
    assert.deepEqual(analyzePython({ text }).errors, []);
  });

  // The JS/TS parser reads these; AIT301/AIT302's loop analysis recursed into them and overflowed the stack.
  for (const [label, text] of [
    ['a 10,000-term sum awaited in a loop', `async function f(xs) { for (const x of xs) await fetch(x${' + x'.repeat(10_000)}); }`],
    ['a 5,000-long member chain awaited in a loop', `async function f(xs) { for (const x of xs) await fetch(x${'.a'.repeat(5_000)}); }`],
    ['1,000 nested loops', `async function f(xs) {${'for (const x of xs) {'.repeat(1_000)}await fetch(x);${'}'.repeat(1_000)}}`],
    ['1,000 nested ifs in a loop', `async function f(xs) { for (const x of xs) {${'if (x) {'.repeat(1_000)}await fetch(x);${'}'.repeat(1_000)}} }`],
    ['1,000 nested for await loops in an async generator', `async function* g(xs) {${'for await (const x of xs) { await fetch(x); '.repeat(1_000)}${'}'.repeat(1_000)}}`],
  ] as const) {
    it(`JS loop analysis (AIT301, AIT302): ${label} is no internal error`, () => {
      assert.deepEqual(analyzeJs({ ts, sourceFile: parseJs(ts, 'deep.js', text) }).errors, []);
    });
  }
});

function hash(text: string): number {
  let value = 2166136261;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 16777619);
  return value >>> 0;
}

/** One, two or three splices of the same kind; only single splices are replayed incrementally. */
function mutate(random: Random, text: string, kind: MutationKind, index: number): { text: string; last: Splice; count: number } {
  const count = index % 3 === 2 ? random.between(2, 3) : 1;
  let current = text;
  let last: Splice = { start: 0, end: 0, insert: '' };
  for (let step = 0; step < count; step++) {
    last = randomSplice(random, current, kind);
    current = applySplice(current, last);
  }
  return { text: current, last, count };
}

function indent(depth: number): string {
  return ' '.repeat(depth);
}

function nested(depth: number, line: (depth: number) => string): string {
  let text = '';
  for (let i = 0; i < depth; i++) text += line(i);
  return text;
}

/**
 * About a megabyte of the fixtures and realistic snippets, each copy inside
 * its own function so that its names stay single bindings and the rules fire.
 */
function megabyteOfAsyncCode(seeds: readonly SeedFile[]): string {
  const parts: string[] = [];
  let size = 0;
  for (let copy = 0; size < 1_000_000; copy++) {
    const seed = seeds[copy % seeds.length]!;
    const body = seed.text.replace(/\r\n/g, '\n').replace(/^(?=.)/gm, '    ');
    const part = `def copy_${copy}():\n${body}\n\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}
