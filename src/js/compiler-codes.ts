import type { Finding, TextRange } from '../engine/types';
import type { JsRule } from './rule';
import { JS_RULES } from './rules';

/*
 * Some problems the rules find, the TypeScript compiler reports too (TS2488
 * for a `for…of` over an async iterable in checked code). A host that shows
 * the compiler's diagnostics (tsserver, an editor running TypeScript 7)
 * attaches the rule's fix to the compiler's diagnostic instead of adding a
 * second one on the same code: these say which is which.
 */

/** A compiler diagnostic, as far as telling duplicates apart needs it: its code and where it is (offsets in the file's text). */
export interface CompilerDiagnosticSpan extends TextRange {
  readonly code: number;
}

/** The codes of the rules whose problems a compiler diagnostic with this code also reports. */
export function rulesReportedAs(compilerCode: number, rules: readonly JsRule[] = JS_RULES): string[] {
  return rules.filter((rule) => rule.compilerCodes?.includes(compilerCode)).map((rule) => rule.meta.code);
}

/** Every compiler code some rule shares. */
export function sharedCompilerCodes(rules: readonly JsRule[] = JS_RULES): number[] {
  return [...new Set(rules.flatMap((rule) => rule.compilerCodes ?? []))].sort((a, b) => a - b);
}

/** Whether the compiler already reports this finding: a diagnostic with one of its rule's compiler codes overlaps its range. */
export function reportedByCompiler(finding: Finding, diagnostics: readonly CompilerDiagnosticSpan[], rules: readonly JsRule[] = JS_RULES): boolean {
  const codes = rules.find((rule) => rule.meta.code === finding.code)?.compilerCodes;
  if (!codes || codes.length === 0) return false;
  return diagnostics.some((diagnostic) => codes.includes(diagnostic.code) && overlaps(diagnostic, finding.range));
}

/** Overlapping ranges, or an empty one touching the other. */
export function overlaps(a: TextRange, b: TextRange): boolean {
  if (a.start === a.end || b.start === b.end) return a.start <= b.end && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}
