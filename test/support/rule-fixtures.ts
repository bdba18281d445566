import * as assert from 'node:assert/strict';
import type { RuleMeta } from '../../src/engine/rule';
import { LineIndex } from '../../src/engine/text';
import type { Finding, TextEdit, TextRange } from '../../src/engine/types';

/* What the rule-fixture tests of every frontend share (python-rules, js-rules). */

/**
 * Where a range of the text before `edits` lies after them: its start moves
 * before text inserted at it, its end after, so the range covers whatever
 * replaced it.
 */
export function mapRange(range: TextRange, edits: readonly TextEdit[]): TextRange {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start);
  const map = (offset: number, isEnd: boolean) => {
    let delta = 0;
    for (const { range: { start, end }, newText } of sorted) {
      const before = end < offset || (end === offset && (isEnd || start < offset));
      if (before) delta += newText.length - (end - start);
      else if (start < offset) return start + delta + (isEnd ? newText.length : 0);
    }
    return offset + delta;
  };
  return { start: map(range.start, false), end: map(range.end, true) };
}

export function touches(a: TextRange, b: TextRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** A template as a pattern: `{{what}}` matches any text. */
function templatePattern(template: string): RegExp {
  const parts = template.split(/\{\{\s*\w+\s*\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]+?')}$`);
}

/** The rule's declared messages, fix titles, fix availability and safety are what its fixtures show. */
export function assertMetaMatches(meta: RuleMeta, findings: readonly Finding[]): void {
  for (const [id, template] of Object.entries(meta.messages)) {
    assert.ok(findings.some((finding) => templatePattern(template).test(finding.message)), `message "${id}" is used by no fixture`);
  }
  for (const [id, template] of Object.entries(meta.fix.titles)) {
    assert.ok(findings.some((finding) => finding.fixes.some((fix) => templatePattern(template as string).test(fix.title))), `fix title "${id}" is used by no fixture`);
  }
  const fixCounts = findings.map((finding) => finding.fixes.length);
  switch (meta.fix.availability) {
    case 'never':
      assert.ok(fixCounts.every((count) => count === 0), 'declares no fix but offers one');
      break;
    case 'always':
      assert.ok(fixCounts.every((count) => count > 0), 'declares a fix always but some finding has none');
      break;
    case 'sometimes':
      assert.ok(fixCounts.some((count) => count > 0) && fixCounts.some((count) => count === 0), 'declares a fix sometimes: the fixtures must show both');
      break;
  }
  const safeties = new Set(findings.flatMap((finding) => finding.fixes.map((fix) => fix.safety)));
  assert.deepEqual([...safeties].sort(), [...meta.fix.safety].sort(), 'the fix safeties the fixtures show are the ones declared');
}

/** How many findings start on each 1-based line. */
export function actualLines(text: string, findings: readonly Finding[]): Map<number, number> {
  const lines = new LineIndex(text);
  const actual = new Map<number, number>();
  for (const finding of findings) {
    const line = lines.position(finding.range.start).line + 1;
    actual.set(line, (actual.get(line) ?? 0) + 1);
  }
  return actual;
}

/**
 * The 1-based lines a JS/TS fixture marks for `code` in `mode`, with how many
 * findings start there: `// expect: CODE` (both modes), `// expect-typed:` and
 * `// expect-syntax:` (one mode).
 */
export function expectedLines(text: string, code: string, mode: 'typed' | 'syntax'): Map<number, number> {
  const expected = new Map<number, number>();
  const lines = new LineIndex(text);
  for (let line = 0; line < lines.lineCount; line++) {
    for (const marker of lines.lineText(line).matchAll(/\/[/*].*?\bexpect(-typed|-syntax)?:\s*([A-Z0-9 ,]+?)\s*(?:\*\/)?$/g)) {
      if (marker[1] && marker[1] !== `-${mode}`) continue;
      const count = marker[2]!.split(/[\s,]+/).filter((c) => c === code).length;
      if (count) expected.set(line + 1, (expected.get(line + 1) ?? 0) + count);
    }
  }
  return expected;
}
