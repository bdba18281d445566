import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG } from '../../src/catalog';
import { PLANNED_RULES } from '../../src/catalog/planned';
import type { LintSettings } from '../../src/engine/config';
import { MAX_FIX_ROUNDS } from '../../src/engine/fix';
import { LineIndex, applyFixes } from '../../src/engine/text';
import type { Finding, Fix } from '../../src/engine/types';
import { FileSystemModuleResolver } from '../../src/python/module-resolver';
import { PYTHON_RULES } from '../../src/python/rules';
import { cpythonCompileErrors, lint, ready, syntaxErrorCount } from '../support/python';
import { renderFindings } from '../support/render';
import { actualLines, assertMetaMatches, mapRange, touches } from '../support/rule-fixtures';
import { matchSnapshot, orphanedSnapshots } from '../support/snapshot';

/*
 * Each rule has fixtures test/fixtures/python/<CODE>*.py: realistic code with
 * the expected findings marked at the end of the line where they start
 * (`# expect: AIT101`, repeated for two on one line). Lines without a marker
 * must stay silent. A first-line comment `# settings: {...}` passes settings.
 * The exact ranges, messages and fix diffs are in the committed snapshots.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'python');
const SNAPSHOTS = path.join(FIXTURES, '__snapshots__');

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

function settingsOf(text: string): LintSettings {
  const match = /^# settings: (\{.*\})$/m.exec(text.split('\n', 1)[0] ?? '');
  return match ? (JSON.parse(match[1]!) as LintSettings) : {};
}

/**
 * Each fixture is linted as the file it is, with imports followed: helper
 * modules live in `project/` beside the fixtures (`from .project import streams`).
 */
function lintSettings(file: string, text: string): { settings: LintSettings; path: string; resolver: FileSystemModuleResolver } {
  const readFile = (name: string) => (fs.existsSync(name) && fs.statSync(name).isFile() ? fs.readFileSync(name, 'utf8') : undefined);
  return { settings: settingsOf(text), path: path.join(FIXTURES, file), resolver: new FileSystemModuleResolver({ readFile }) };
}

/** Applies every fix of `code` until nothing changes (as `--fix` does, unsafe included). */
function fixAll(text: string, code: string, settings: ReturnType<typeof lintSettings>): string {
  let current = text;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fixes = lint(current, code, settings).flatMap((finding) => finding.fixes.slice(0, 1));
    if (fixes.length === 0) return current;
    const next = applyFixes(current, fixes).text;
    if (next === current) return current;
    current = next;
  }
  return current;
}




const files = fs.readdirSync(FIXTURES).filter((file) => /^AIT\d{3}.*\.py$/.test(file)).sort();

describe('the rule catalog', () => {
  it('lists every implemented Python rule, with the identity its file declares', () => {
    for (const { meta } of PYTHON_RULES) {
      const entry = CATALOG.entry(meta.code);
      assert.ok(entry, `${meta.code} is implemented but not in the catalog`);
      assert.equal(entry.implementations.get('python'), meta, `${meta.code}: the catalog's Python implementation is the rule's own meta`);
      assert.deepEqual([entry.name, entry.defaultSeverity], [meta.name, meta.defaultSeverity]);
    }
  });

  it('has every catalog code implemented or explicitly planned for each of its languages, never both', () => {
    const planned = new Set(PLANNED_RULES.flatMap((rule) => rule.languages.map((language) => `${rule.code}:${language}`)));
    for (const entry of CATALOG.entries) {
      assert.ok(entry.languages.length > 0, `${entry.code} is for no language`);
      for (const language of entry.languages) {
        const isImplemented = entry.implementations.has(language);
        assert.notEqual(isImplemented, planned.has(`${entry.code}:${language}`), `${entry.code} for ${language}: implemented and planned must not agree`);
      }
    }
    for (const key of planned) assert.ok(CATALOG.entry(key.split(':')[0]!), `${key} is planned but not in the catalog`);
  });

  it('refuses to compose a catalog that disagrees with itself', async () => {
    const { RuleRegistry } = await import('../../src/engine/registry');
    const meta = PYTHON_RULES[0]!.meta;
    assert.throws(() => new RuleRegistry([meta], [{ code: meta.code, languages: ['python'] }]), /both implemented and planned/);
    assert.throws(() => new RuleRegistry([meta, { ...meta, language: 'javascript', name: 'other-name' }], []), /disagrees/);
    assert.throws(() => new RuleRegistry([], [{ code: 'AIT999', languages: ['python'] }]), /nothing declares its name/);
    assert.throws(() => new RuleRegistry([meta], [{ code: meta.code, languages: ['javascript'], name: 'x', defaultSeverity: 'error', summary: 'x' }]), /must not restate/);
  });
});

describe('a finding\'s own severity', () => {
  before(ready);

  it('only lowers the configured one (AIT205: an error where the class is iterated with `async for`, a hint otherwise)', () => {
    const text = [
      'class Iterated:',
      '    async def __anext__(self):',
      '        raise StopAsyncIteration',
      '',
      '',
      'class ByHand:',
      '    async def __anext__(self):',
      '        raise StopAsyncIteration',
      '',
      '',
      'async def main():',
      '    async for x in Iterated():',
      '        print(x)',
      '',
    ].join('\n');
    const severities = (configured?: 'warning' | 'info' | 'hint') =>
      lint(text, 'AIT205', configured ? { settings: { severity: { AIT205: configured } } } : {}).map((finding) => finding.severity);
    assert.deepEqual(severities(), ['error', 'hint']);
    assert.deepEqual(severities('warning'), ['warning', 'hint']);
    assert.deepEqual(severities('hint'), ['hint', 'hint']);
  });
});

describe('Python rules', () => {
  before(ready);

  it('has a fixture for every implemented rule, and a rule for every fixture', () => {
    for (const { meta } of PYTHON_RULES) assert.ok(files.some((file) => file.startsWith(meta.code)), `no fixture for ${meta.code}`);
    for (const file of files) assert.ok(PYTHON_RULES.some(({ meta }) => file.startsWith(meta.code)), `${file} is a fixture of no rule`);
  });

  it('has no orphaned snapshot', () => {
    assert.deepEqual(orphanedSnapshots(SNAPSHOTS, new Set(files.map((file) => `${file}.snap`))), [], 'snapshots without a fixture (UPDATE_SNAPSHOTS=1 deletes them)');
  });

  describe('each rule\'s metadata is what its fixtures show', () => {
    for (const { meta } of PYTHON_RULES) {
      it(`${meta.code}: every message and fix title is used, fixes are as available and as safe as declared`, () => {
        const findings = files.filter((file) => file.startsWith(meta.code)).flatMap((file) => {
          const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
          return lint(text, meta.code, lintSettings(file, text));
        });
        assertMetaMatches(meta, findings);
      });
    }
  });

  for (const file of files) {
    const code = file.slice(0, 6);
    describe(file, () => {
      const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
      const settings = lintSettings(file, text);
      let findings: Finding[] = [];
      before(() => {
        findings = lint(text, code, settings);
      });

      it('flags exactly the marked lines', () => {
        const expected = expectedLines(text, code);
        assert.ok(expected.size > 0 || file.includes('valid'), 'a fixture must mark at least one finding');
        assert.deepEqual(Object.fromEntries(actualLines(text, findings)), Object.fromEntries(expected));
      });

      it('matches the snapshot of ranges, messages and fixes', () => {
        matchSnapshot(path.join(SNAPSHOTS, `${file}.snap`), renderFindings(text, findings));
      });

      it('each fix parses, removes the finding it targets, and CPython compiles the result', () => {
        const fixed: { fix: Fix; after: string }[] = [];
        const errorsBefore = syntaxErrorCount(text);
        for (const finding of findings) {
          for (const fix of finding.fixes) {
            const after = applyFixes(text, [fix]).text;
            assert.ok(syntaxErrorCount(after) <= errorsBefore, `"${fix.title}" introduced a syntax error:\n${after}`);
            const target = mapRange(finding.range, fix.edits);
            const left = lint(after, code, settings).filter((other) => touches(other.range, target));
            assert.deepEqual(left.map((other) => other.message), [], `"${fix.title}" did not remove the finding at ${finding.range.start}-${finding.range.end}`);
            fixed.push({ fix, after });
          }
        }
        const [original, ...results] = cpythonCompileErrors([text, ...fixed.map(({ after }) => after)]);
        if (original === null) {
          results.forEach((error, i) => assert.equal(error, null, `"${fixed[i]!.fix.title}" made code CPython rejects: ${error}\n${fixed[i]!.after}`));
        }
      });

      it('fixing all is complete and idempotent, and CPython compiles the result', () => {
        const once = fixAll(text, code, settings);
        const unfixable = findings.filter((finding) => finding.fixes.length === 0).length;
        assert.equal(lint(once, code, settings).length, unfixable, `after fixing all:\n${once}`);
        assert.equal(fixAll(once, code, settings), once);
        // A fixture CPython rejects (AIT105's) holds only fixable findings or none with a fix, so that what the fixes give can be compiled.
        const [original, after] = cpythonCompileErrors([text, once]);
        if (original === null) assert.equal(after, null, `the fixed file does not compile:\n${once}`);
        else if (once !== text) {
          assert.equal(unfixable, 0, 'a fixture CPython rejects mixes fixable and unfixable findings: split it, so that the fixed file can compile');
          assert.equal(after, null, `the fixed file does not compile:\n${once}`);
        }
      });
    });
  }
});

