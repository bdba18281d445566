import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LintSettings } from '../../src/engine/config';
import { RULES } from '../../src/engine/registry';
import { LineIndex, applyFixes } from '../../src/engine/text';
import type { Finding } from '../../src/engine/types';
import { PYTHON_RULES } from '../../src/python/rules';
import { cpythonCompileErrors, lint, ready, syntaxErrorCount } from '../support/python';
import { renderFindings } from '../support/render';
import { matchSnapshot } from '../support/snapshot';

/*
 * Each rule has fixtures test/fixtures/python/<CODE>*.py: realistic code with
 * the expected findings marked at the end of the line where they start
 * (`# expect: AIT101`, repeated for two on one line). Lines without a marker
 * must stay silent. A first-line comment `# settings: {...}` passes settings.
 * The exact ranges, messages and fix diffs are in the committed snapshots.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'python');
const SNAPSHOTS = path.join(FIXTURES, '__snapshots__');
const MAX_FIX_ROUNDS = 10;

function expectedLines(text: string, code: string): Map<number, number> {
  const expected = new Map<number, number>();
  const lines = new LineIndex(text);
  for (let line = 0; line < lines.lineCount; line++) {
    const marker = /#.*\bexpect:\s*([A-Z0-9 ,]+)$/.exec(lines.lineText(line));
    if (!marker) continue;
    const count = marker[1]!.split(/[\s,]+/).filter((c) => c === code).length;
    if (count) expected.set(line + 1, count);
  }
  return expected;
}

function actualLines(text: string, findings: readonly Finding[]): Map<number, number> {
  const lines = new LineIndex(text);
  const actual = new Map<number, number>();
  for (const finding of findings) {
    const line = lines.position(finding.range.start).line + 1;
    actual.set(line, (actual.get(line) ?? 0) + 1);
  }
  return actual;
}

function settingsOf(text: string): LintSettings {
  const match = /^# settings: (\{.*\})$/m.exec(text.split('\n', 1)[0] ?? '');
  return match ? (JSON.parse(match[1]!) as LintSettings) : {};
}

/** Applies every fix of `code` until nothing changes (as `--fix` does, unsafe included). */
function fixAll(text: string, code: string, settings: LintSettings): string {
  let current = text;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fixes = lint(current, code, { settings }).flatMap((finding) => finding.fixes.slice(0, 1));
    if (fixes.length === 0) return current;
    const next = applyFixes(current, fixes).text;
    if (next === current) return current;
    current = next;
  }
  return current;
}

describe('Python rules', () => {
  before(ready);

  it('implements exactly the catalog\'s Python rules', () => {
    const catalog = RULES.filter((rule) => rule.languages.includes('python')).map((rule) => rule.code);
    const implemented = PYTHON_RULES.map((rule) => rule.code);
    for (const code of implemented) assert.ok(catalog.includes(code), `${code} is implemented but not in the registry for python`);
  });

  const files = fs.readdirSync(FIXTURES).filter((file) => /^AIT\d{3}.*\.py$/.test(file)).sort();

  it('has a fixture for every implemented rule', () => {
    for (const rule of PYTHON_RULES) {
      assert.ok(files.some((file) => file.startsWith(rule.code)), `no fixture for ${rule.code}`);
    }
  });

  for (const file of files) {
    const code = file.slice(0, 6);
    describe(file, () => {
      const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
      const settings = settingsOf(text);
      let findings: Finding[] = [];
      before(() => {
        findings = lint(text, code, { settings });
      });

      it('flags exactly the marked lines', () => {
        const expected = expectedLines(text, code);
        assert.ok(expected.size > 0 || file.includes('valid'), 'a fixture must mark at least one finding');
        assert.deepEqual(Object.fromEntries(actualLines(text, findings)), Object.fromEntries(expected));
      });

      it('matches the snapshot of ranges, messages and fixes', () => {
        matchSnapshot(path.join(SNAPSHOTS, `${file}.snap`), renderFindings(text, findings));
      });

      it('each fix parses, removes its finding, and keeps compiling', () => {
        const fixed: string[] = [];
        const errorsBefore = syntaxErrorCount(text);
        for (const finding of findings) {
          for (const fix of finding.fixes) {
            const after = applyFixes(text, [fix]).text;
            assert.ok(syntaxErrorCount(after) <= errorsBefore, `"${fix.title}" introduced a syntax error:\n${after}`);
            const remaining = lint(after, code, { settings });
            assert.ok(remaining.length < findings.length, `"${fix.title}" did not remove its finding`);
            fixed.push(after);
          }
        }
        const [original, ...results] = cpythonCompileErrors([text, ...fixed]);
        if (original === null) {
          results.forEach((error, i) => assert.equal(error, null, `a fix made code CPython rejects: ${error}\n${fixed[i]}`));
        }
      });

      it('fixing all is complete and idempotent', () => {
        const once = fixAll(text, code, settings);
        const unfixable = findings.filter((finding) => finding.fixes.length === 0).length;
        assert.equal(lint(once, code, { settings }).length, unfixable, `after fixing all:\n${once}`);
        assert.equal(fixAll(once, code, settings), once);
      });
    });
  }
});
