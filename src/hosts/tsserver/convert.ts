import type * as ts from 'typescript';
import type { Finding, Fix, Severity, TextEdit } from '../../engine/types';
import type { TypeScript } from '../../js/rule';

/*
 * Findings and fixes in tsserver's terms. Offsets stay offsets: tsserver
 * counts UTF-16 code units of the file's text, as the engine does.
 */

/** The `source` of every diagnostic the plugin adds, the same as the extension's own: VS Code shows `Async Lens(AIT101)`. */
const DIAGNOSTIC_SOURCE = 'Async Lens';

/**
 * The code of our diagnostics is the rule's code, `AIT101`, as the Python
 * diagnostics show it. tsserver's types say a diagnostic code is a number,
 * but tsserver and VS Code pass it through as it is (VS Code shows
 * `Async Lens(AIT101)` in the hover and the Problems panel). What comes back
 * differs by client: VS Code asks for fixes with `+code`, which is `NaN`
 * (`null` once serialised), others echo the string; `isOurCode` accepts both.
 */
export function diagnosticCode(ruleCode: string): number {
  return ruleCode as unknown as number;
}

/** A requested error code that stands for our diagnostics: a rule code, or what VS Code makes of one (`NaN`, sent as `null`). */
export function isOurCode(code: unknown): boolean {
  return code === null || (typeof code === 'number' && Number.isNaN(code)) || (typeof code === 'string' && /^AIT\d{3}$/.test(code));
}

const FIX_ID_PREFIX = 'async-lens:';

/** The id of "apply every safe fix of this rule in the file" (tsserver's combined code fix). */
function fixIdOf(ruleCode: string): string {
  return `${FIX_ID_PREFIX}${ruleCode}`;
}

/** The rule a combined-fix id is for, when it is one of ours. */
export function ruleOfFixId(fixId: unknown): string | undefined {
  return typeof fixId === 'string' && fixId.startsWith(FIX_ID_PREFIX) ? fixId.slice(FIX_ID_PREFIX.length) : undefined;
}

/** `hint` and `info` findings are suggestion diagnostics (VS Code shows those as hints: it has no "information" for tsserver diagnostics). */
export function isSuggestion(severity: Severity): boolean {
  return severity === 'hint' || severity === 'info';
}

function category(ts: TypeScript, severity: Severity): ts.DiagnosticCategory {
  if (severity === 'error') return ts.DiagnosticCategory.Error;
  if (severity === 'warning') return ts.DiagnosticCategory.Warning;
  return ts.DiagnosticCategory.Suggestion;
}

export function toDiagnostic(ts: TypeScript, sourceFile: ts.SourceFile, finding: Finding, docs: ts.DiagnosticRelatedInformation | undefined): ts.Diagnostic {
  return {
    file: sourceFile,
    start: finding.range.start,
    length: finding.range.end - finding.range.start,
    messageText: finding.message,
    category: category(ts, finding.severity),
    code: diagnosticCode(finding.code),
    source: DIAGNOSTIC_SOURCE,
    ...(docs ? { relatedInformation: [docs] } : {}),
  };
}

export function toTextChanges(edits: readonly TextEdit[]): ts.TextChange[] {
  return [...edits]
    .sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end)
    .map((edit) => ({ span: { start: edit.range.start, length: edit.range.end - edit.range.start }, newText: edit.newText }));
}

/** Safe fixes first; a safe fix also offers "fix all" of its rule in the file, which applies safe fixes only. */
export function toCodeFixActions(fileName: string, finding: Finding): ts.CodeFixAction[] {
  const ordered: Fix[] = [...finding.fixes.filter((fix) => fix.safety === 'safe'), ...finding.fixes.filter((fix) => fix.safety !== 'safe')];
  return ordered.map((fix) => ({
    fixName: fixIdOf(finding.code),
    description: fix.title,
    changes: [{ fileName, textChanges: toTextChanges(fix.edits) }],
    ...(fix.safety === 'safe' ? { fixId: fixIdOf(finding.code), fixAllDescription: `Apply every safe ${finding.code} fix in this file` } : {}),
  }));
}
