import type * as ts from 'typescript';
import type { SourceCode } from '@typescript-eslint/utils/ts-eslint';
import { analyzeJs, JsParseRefusedError, parseJs } from '../../js/analyze';
import type { JsRule } from '../../js/rule';
import type { LintSettings } from '../../engine/config';
import type { Finding, InternalError } from '../../engine/types';
import { parsingTypeScript, typeScriptOf } from './typescript';

/*
 * One analysis per file, shared by every Async Lens rule ESLint runs on it.
 * Each rule's `create` enlists its code; the first rule to reach the
 * `Program` node analyses the file with the enlisted rules only (ESLint calls
 * every rule's `create` before it walks the tree), and each rule then reports
 * its own findings. The cost therefore lands on whichever Async Lens rule
 * ESLint runs first (see bench/eslint.ts).
 */

export interface FileAnalysis {
  readonly findings: readonly Finding[];
  readonly errors: readonly InternalError[];
  /** Whether a program's types answered (typescript-eslint with type information). */
  readonly typed: boolean;
}

interface PendingFile {
  readonly codes: Set<string>;
  result?: FileAnalysis;
}

const files = new WeakMap<SourceCode, PendingFile>();

/** Says that the rule with `code` runs on this file. */
export function enlist(sourceCode: SourceCode, code: string): void {
  let file = files.get(sourceCode);
  if (!file) files.set(sourceCode, (file = { codes: new Set() }));
  file.codes.add(code);
}

/** The program's view of the file, when typescript-eslint built one whose text is the text ESLint lints. */
function programFile(sourceCode: SourceCode, fileName: string): { ts: typeof ts; sourceFile: ts.SourceFile; checker: ts.TypeChecker } | undefined {
  const program = (sourceCode.parserServices as { program?: ts.Program | null } | undefined)?.program;
  if (!program) return undefined;
  const sourceFile = program.getSourceFile(fileName);
  if (!sourceFile || sourceFile.text !== sourceCode.text) return undefined;
  const typescript = typeScriptOf(sourceFile);
  return typescript ? { ts: typescript, sourceFile, checker: program.getTypeChecker() } : undefined;
}

function analyse(sourceCode: SourceCode, fileName: string, rules: readonly JsRule[], settings: LintSettings): FileAnalysis {
  const typed = programFile(sourceCode, fileName);
  if (typed) return { ...analyzeJs({ ...typed, rules, settings, eslintComments: false }), typed: true };
  const typescript = parsingTypeScript();
  if (!typescript) return { findings: [], errors: [], typed: false };
  try {
    const sourceFile = parseJs(typescript, fileName, sourceCode.text);
    return { ...analyzeJs({ ts: typescript, sourceFile, rules, settings, eslintComments: false }), typed: false };
  } catch (error) {
    // Too deeply nested for TypeScript's parser: ESLint's own rules still run, ours say nothing.
    if (error instanceof JsParseRefusedError) return { findings: [], errors: [], typed: false };
    throw error;
  }
}

/** The analysis of the file `sourceCode` holds by the enlisted rules among `rules`: made once, by the first rule that asks. */
export function analysisOf(sourceCode: SourceCode, fileName: string, rules: readonly JsRule[], settings: LintSettings): FileAnalysis {
  let file = files.get(sourceCode);
  if (!file) files.set(sourceCode, (file = { codes: new Set() }));
  if (!file.result) {
    const enlisted = rules.filter((rule) => file.codes.has(rule.meta.code));
    try {
      file.result = analyse(sourceCode, fileName, enlisted, settings);
    } catch (error) {
      // analyzeJs contains each rule's failure; this is a failure around them, said by every rule on this file rather than crashing ESLint's run.
      const message = error instanceof Error ? error.message : String(error);
      file.result = { findings: [], errors: enlisted.map((rule) => ({ code: rule.meta.code, message })), typed: false };
    }
  }
  return file.result;
}
