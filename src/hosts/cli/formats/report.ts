import type { LineIndex } from '../../../engine/text';
import type { TextRange } from '../../../engine/types';
import type { FileFindings } from '../check';

/** What every output format is given. */
export interface Report {
  readonly files: readonly FileFindings[];
  /** Whether `--fix` ran, and how many fixes it applied. */
  readonly fixMode: boolean;
  readonly fixed: number;
  /** Some paths or files could not be checked (the errors went to stderr). */
  readonly incomplete: boolean;
  /** The directory relative paths are relative to. */
  readonly cwd: string;
}

/** Turns a report into what goes to stdout. */
export type Formatter = (report: Report) => string;

/** A region as every output format states it: 1-based lines, 1-based UTF-16 columns, the end exclusive. */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** The one place engine offsets become the 1-based positions the outputs use. */
export function spanOf(lines: LineIndex, range: TextRange): Span {
  const start = lines.position(range.start);
  const end = lines.position(range.end);
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function hasSafeFix(finding: { readonly fixes: readonly { readonly safety: string }[] }): boolean {
  return finding.fixes.some((fix) => fix.safety === 'safe');
}
