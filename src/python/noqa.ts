import type { LineIndex } from '../engine/text';

const NOQA = /#\s*noqa(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?/i;

/**
 * Which codes a `# noqa` comment on a line suppresses: `'all'` for a bare
 * `# noqa`, the listed codes for `# noqa: AIT101, AIT102`, nothing otherwise.
 * Like flake8 and ruff, the comment sits on the line where the finding starts.
 */
export function noqaCodes(lines: LineIndex, line: number): 'all' | ReadonlySet<string> | undefined {
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
