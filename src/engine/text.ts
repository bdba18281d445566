import type { TextEdit, TextRange } from './types';

export interface LineColumn {
  /** 0-based line. */
  readonly line: number;
  /** 0-based column in UTF-16 code units. */
  readonly character: number;
}

/** Converts between offsets and 0-based lines/columns for one text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */) this.starts.push(i + 1);
      else if (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): LineColumn {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.starts[low]! };
  }

  offset(position: LineColumn): number {
    const line = Math.max(0, Math.min(position.line, this.starts.length - 1));
    return Math.min(this.starts[line]! + Math.max(0, position.character), this.lineEnd(line));
  }

  lineStart(line: number): number {
    return this.starts[line]!;
  }

  /** Offset of the end of `line`, before its line break. */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    let end = next;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.starts[line]!, this.lineEnd(line));
  }
}

export function rangesOverlap(a: TextRange, b: TextRange): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The fixes that can be applied together, in order: a fix whose edits clash
 * with an edit already taken is left out, so no fix is ever applied in part.
 */
export function compatibleFixes<F extends { readonly edits: readonly TextEdit[] }>(fixes: readonly F[]): F[] {
  const taken: TextEdit[] = [];
  const compatible: F[] = [];
  for (const fix of fixes) {
    if (fix.edits.some((edit) => taken.some((other) => editsClash(edit, other)))) continue;
    taken.push(...fix.edits);
    compatible.push(fix);
  }
  return compatible;
}

/**
 * Applies whole fixes to a text: a fix whose edits overlap an edit already
 * taken is left out (and counted), so no fix is ever applied in part.
 */
export function applyFixes(text: string, fixes: readonly { readonly edits: readonly TextEdit[] }[]): { text: string; applied: number; skipped: number } {
  const compatible = compatibleFixes(fixes);
  const applied = compatible.length;
  const skipped = fixes.length - applied;
  const sorted = compatible.flatMap((fix) => fix.edits).sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  return { text: result, applied, skipped };
}

/** Two edits clash when they overlap (an insertion inside a range included) or start at the same point. */
function editsClash(a: TextEdit, b: TextEdit): boolean {
  return rangesOverlap(a.range, b.range) || a.range.start === b.range.start;
}

/**
 * The smallest single edit that turns `before` into `after`: editors keep the
 * cursor, folding and undo history of untouched text. Never splits a
 * surrogate pair.
 */
export function minimalEdit(before: string, after: string): TextEdit {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let suffix = 0;
  while (suffix < shorter - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { range: { start, end: before.length - suffix }, newText: after.slice(start, after.length - suffix) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
