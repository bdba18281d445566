import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG } from '../../src/catalog';
import type { LintSettings } from '../../src/engine/config';
import { MAX_FIX_ROUNDS } from '../../src/engine/fix';
import { applyFixes } from '../../src/engine/text';
import type { Finding } from '../../src/engine/types';
import { JS_RULES } from '../../src/js/rules';
import { jsSyntaxErrorCount, jsTypeErrors, lintJs, type JsMode } from '../support/js';
import { renderFindings } from '../support/render';
import { actualLines, assertMetaMatches, expectedLines, mapRange, touches } from '../support/rule-fixtures';
import { matchSnapshot, orphanedSnapshots } from '../support/snapshot';

/*
 * Each JS/TS rule has fixtures test/fixtures/js/<CODE>*.{ts,js,…}: realistic
 * code with the expected findings marked at the end of the line where they
 * start. `// expect: AIT101` holds with types and from syntax alone;
 * `// expect-typed: AIT101` only with types (the syntax cannot know), and
 * `// expect-syntax: …` only without. Lines without a marker stay silent in
 * both modes. A first-line comment `// settings: {...}` passes settings.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'js');
const SNAPSHOTS = path.join(FIXTURES, '__snapshots__');
const MODES: readonly JsMode[] = ['typed', 'syntax'];

function settingsOf(text: string): LintSettings {
  const match = /^\/\/ settings: (\{.*\})$/.exec(text.split('\n', 1)[0] ?? '');
  return match ? (JSON.parse(match[1]!) as LintSettings) : {};
}

function fixAll(text: string, code: string, file: string, mode: JsMode, settings: LintSettings): string {
  let current = text;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fixes = lintJs(current, code, { fileName: file, mode, settings }).flatMap((finding) => finding.fixes.slice(0, 1));
    if (fixes.length === 0) return current;
    const next = applyFixes(current, fixes).text;
    if (next === current) return current;
    current = next;
  }
  return current;
}




const files = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((file) => /^AIT\d{3}.*\.[cm]?[jt]sx?$/.test(file)).sort() : [];

describe('the rule catalog (JS/TS)', () => {
  it('lists every implemented JS rule, with the identity its file declares', () => {
    for (const { meta } of JS_RULES) {
      const entry = CATALOG.entry(meta.code);
      assert.ok(entry, `${meta.code} is implemented but not in the catalog`);
      assert.equal(entry.implementations.get('javascript'), meta);
    }
  });
});

describe('JS/TS rules', () => {
  it('has a fixture for every implemented rule, and a rule for every fixture', () => {
    for (const { meta } of JS_RULES) assert.ok(files.some((file) => file.startsWith(meta.code)), `no fixture for ${meta.code}`);
    for (const file of files) assert.ok(JS_RULES.some(({ meta }) => file.startsWith(meta.code)), `${file} is a fixture of no rule`);
  });

  it('has no orphaned snapshot', () => {
    assert.deepEqual(orphanedSnapshots(SNAPSHOTS, new Set(files.flatMap((file) => MODES.map((mode) => `${file}.${mode}.snap`)))), []);
  });

  describe('each rule\'s metadata is what its fixtures show', () => {
    for (const { meta } of JS_RULES) {
      it(`${meta.code}: every message and fix title is used, fixes are as available and as safe as declared`, () => {
        const findings = files.filter((file) => file.startsWith(meta.code)).flatMap((file) => {
          const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
          return MODES.flatMap((mode) => lintJs(text, meta.code, { fileName: file, mode, settings: settingsOf(text) }));
        });
        assertMetaMatches(meta, findings);
      });
    }
  });

  for (const file of files) {
    const code = file.slice(0, 6);
    describe(file, () => {
      const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
      const settings = settingsOf(text);
      for (const mode of MODES) {
        describe(mode === 'typed' ? 'with types' : 'from syntax alone', () => {
          let findings: Finding[] = [];
          before(() => {
            findings = lintJs(text, code, { fileName: file, mode, settings });
          });

          it('flags exactly the marked lines', () => {
            const expected = expectedLines(text, code, mode);
            assert.ok(expected.size > 0 || file.includes('valid'), 'a fixture must mark at least one finding');
            assert.deepEqual(Object.fromEntries(actualLines(text, findings)), Object.fromEntries(expected));
          });

          it('matches the snapshot of ranges, messages and fixes', () => {
            matchSnapshot(path.join(SNAPSHOTS, `${file}.${mode}.snap`), renderFindings(text, findings));
          });

          it('each fix parses, removes the finding it targets, and adds no type error', () => {
            const syntaxBefore = jsSyntaxErrorCount(file, text);
            const typeErrorsBefore = mode === 'typed' ? jsTypeErrors(file, text).length : 0;
            for (const finding of findings) {
              for (const fix of finding.fixes) {
                const after = applyFixes(text, [fix]).text;
                assert.ok(jsSyntaxErrorCount(file, after) <= syntaxBefore, `"${fix.title}" introduced a syntax error:\n${after}`);
                const target = mapRange(finding.range, fix.edits);
                const left = lintJs(after, code, { fileName: file, mode, settings }).filter((other) => touches(other.range, target));
                assert.deepEqual(left.map((other) => other.message), [], `"${fix.title}" did not remove the finding at ${finding.range.start}-${finding.range.end}`);
                if (mode === 'typed') {
                  const errors = jsTypeErrors(file, after);
                  assert.ok(errors.length <= typeErrorsBefore, `"${fix.title}" added type errors:\n${errors.join('\n')}\n${after}`);
                }
              }
            }
          });

          it('fixing all is complete and idempotent', () => {
            const once = fixAll(text, code, file, mode, settings);
            const unfixable = findings.filter((finding) => finding.fixes.length === 0).length;
            assert.equal(lintJs(once, code, { fileName: file, mode, settings }).length, unfixable, `after fixing all:\n${once}`);
            assert.equal(fixAll(once, code, file, mode, settings), once);
          });
        });
      }
    });
  }
});

