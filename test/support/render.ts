import { LineIndex, applyFixes } from '../../src/engine/text';
import type { Finding, Fix } from '../../src/engine/types';

/** A fix as a small before/after of the lines it touches. */
export function renderFixDiff(text: string, fix: Fix): string {
  const before = new LineIndex(text);
  const after = applyFixes(text, [fix]).text;
  const afterIndex = new LineIndex(after);
  const first = Math.min(...fix.edits.map((edit) => before.position(edit.range.start).line));
  const last = Math.max(...fix.edits.map((edit) => before.position(edit.range.end).line));
  const delta = afterIndex.lineCount - before.lineCount;
  const out: string[] = [];
  for (let line = first; line <= last; line++) out.push(`  - ${String(line + 1).padStart(4)} | ${before.lineText(line)}`);
  for (let line = first; line <= last + delta; line++) out.push(`  + ${String(line + 1).padStart(4)} | ${afterIndex.lineText(line)}`);
  return out.join('\n');
}

/** Findings the way a reviewer wants to read them: code, range, message, carets, fixes. */
export function renderFindings(text: string, findings: readonly Finding[]): string {
  const lines = new LineIndex(text);
  const blocks = findings.map((finding) => {
    const start = lines.position(finding.range.start);
    const end = lines.position(finding.range.end);
    const lineText = lines.lineText(start.line);
    const caretEnd = end.line === start.line ? end.character : lineText.length;
    const gutter = String(start.line + 1).padStart(4);
    const out = [
      `${finding.code} ${finding.name} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${finding.severity}`,
      `  ${finding.message}`,
      `  ${gutter} | ${lineText}`,
      `  ${' '.repeat(gutter.length)} | ${' '.repeat(start.character)}${'^'.repeat(Math.max(1, caretEnd - start.character))}`,
    ];
    for (const fix of finding.fixes) {
      out.push(`  fix (${fix.safety}): ${fix.title}`);
      out.push(renderFixDiff(text, fix));
    }
    return out.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
