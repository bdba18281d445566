import type { LineIndex } from '../engine/text';

const NOQA = /#\s*noqa(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?/i;

/**
 * Which codes a `# noqa` comment on a line suppresses: `'all'` for a bare
 * `# noqa`, the listed codes for `# noqa: AIT101, AIT102`, nothing otherwise.
 * Like flake8 and ruff, the comment sits on the line where the finding starts.
 */
function noqaCodes(lines: LineIndex, line: number): 'all' | ReadonlySet<string> | undefined {
  const text = lines.lineText(line);
  const hash = text.indexOf('#');
  if (hash < 0) return undefined;
  const match = NOQA.exec(text.slice(hash));
  if (!match) return undefined;
  if (!match[1]) return 'all';
  return new Set(match[1].toUpperCase().split(/[\s,]+/).filter(Boolean));
}

export function isSuppressed(lines: LineIndex, line: number, code: string): boolean {
  const codes = noqaCodes(lines, line);
  return codes === 'all' || (codes !== undefined && codes.has(code));
}

/**
 * The edit within one line's text that suppresses `code` there: the code is
 * added to the line's `# noqa: …` list, or a `  # noqa: CODE` comment ends
 * the line. None for a line continued with `\\`, where a comment is a syntax
 * error. Offsets are UTF-16 columns in `lineText`.
 */
export function noqaEdit(lineText: string, code: string): { start: number; end: number; newText: string } | undefined {
  if (lineText.trimEnd().endsWith('\\')) return undefined;
  const hash = lineText.indexOf('#');
  const match = hash < 0 ? null : NOQA.exec(lineText.slice(hash));
  if (match?.[1]) {
    const end = hash + match.index + match[0].length;
    return { start: end, end, newText: `, ${code}` };
  }
  return { start: lineText.trimEnd().length, end: lineText.length, newText: `  # noqa: ${code}` };
}
