import { applyFixes } from '../../engine/text';
import type { Fix, InternalError } from '../../engine/types';
import type { AnalysisResult } from '../../python/analyze';
import { lineBreakOf } from '../../python/syntax';

/** Fixes can enable or clash with other fixes; a few rounds settle them, and a fix that never settles must not loop forever. */
export const MAX_FIX_ROUNDS = 10;

export interface FixOutcome {
  readonly text: string;
  /** How many fixes were applied, over all rounds. */
  readonly fixed: number;
  /** The analysis of the final text: what remains. */
  readonly result: AnalysisResult;
  /** Rule failures seen in any round. */
  readonly errors: readonly InternalError[];
}

/**
 * Applies the safe fix of every finding, re-analyses, and repeats until no
 * safe fix is left or the text stops changing. Unsafe fixes are never applied.
 * Inserted line breaks follow the file's own (`\r\n` stays `\r\n`).
 */
export function applySafeFixes(text: string, first: AnalysisResult, analyze: (text: string) => AnalysisResult): FixOutcome {
  const lineBreak = lineBreakOf(text);
  let current = text;
  let result = first;
  let fixed = 0;
  const errors = [...first.errors];
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fixes = result.findings.flatMap((finding) => {
      const safe = finding.fixes.find((fix) => fix.safety === 'safe');
      return safe ? [withLineBreaks(safe, lineBreak)] : [];
    });
    if (fixes.length === 0) break;
    const next = applyFixes(current, fixes);
    if (next.text === current) break;
    current = next.text;
    fixed += next.applied;
    result = analyze(current);
    errors.push(...result.errors);
  }
  return { text: current, fixed, result, errors };
}

function withLineBreaks(fix: Fix, lineBreak: string): Fix {
  if (lineBreak === '\n') return fix;
  return { ...fix, edits: fix.edits.map((edit) => ({ ...edit, newText: edit.newText.replace(/\r?\n/g, lineBreak) })) };
}
