import { applyFixes } from './text';
import type { AnalysisResult, Finding, Fix, InternalError } from './types';

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
 * `analyze` must return findings whose fixes already follow the text's line
 * breaks (`withTextLineBreaks`).
 */
export function applySafeFixes(text: string, first: AnalysisResult, analyze: (text: string) => AnalysisResult): FixOutcome {
  let current = text;
  let result = first;
  let fixed = 0;
  const errors = [...first.errors];
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fixes = result.findings.flatMap((finding) => {
      const safe = finding.fixes.find((fix) => fix.safety === 'safe');
      return safe ? [safe] : [];
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

/** The line break a text uses (its first one decides; `\n` when it has none). */
function lineBreakOf(text: string): '\n' | '\r\n' {
  const index = text.indexOf('\n');
  return index > 0 && text[index - 1] === '\r' ? '\r\n' : '\n';
}

/** A fix with its inserted line breaks written as `lineBreak` (rules always write `\n`). */
function withLineBreak(fix: Fix, lineBreak: string): Fix {
  if (lineBreak === '\n' || !fix.edits.some((edit) => edit.newText.includes('\n'))) return fix;
  return { ...fix, edits: fix.edits.map((edit) => ({ ...edit, newText: edit.newText.replace(/\r?\n/g, lineBreak) })) };
}

/**
 * Findings whose fixes insert the line breaks `text` uses, so that a fix
 * never mixes `\n` into a `\r\n` file. Frontends call it once on a file's
 * final findings (after any reuse of earlier findings), hosts never need to.
 */
export function withTextLineBreaks(findings: readonly Finding[], text: string): Finding[] {
  const lineBreak = lineBreakOf(text);
  if (lineBreak === '\n') return [...findings];
  return findings.map((finding) => (finding.fixes.length === 0 ? finding : { ...finding, fixes: finding.fixes.map((fix) => withLineBreak(fix, lineBreak)) }));
}
