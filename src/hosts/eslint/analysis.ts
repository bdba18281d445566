import type * as ts from 'typescript';
import type { SourceCode } from '@typescript-eslint/utils/ts-eslint';
import { analyzeJs, JsParseRefusedError, parseJs } from '../../js/analyze';
import type { JsRule } from '../../js/rule';
import { jsTriggerPattern } from '../../js/triggers';
import type { LintSettings } from '../../engine/config';
import type { Finding, InternalError } from '../../engine/types';
import { parsingTypeScript, typeScriptOf } from './typescript';
import { ownPackageOf } from '../../project/package-json';

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

interface ParserServices {
  readonly program?: ts.Program | null;
  readonly esTreeNodeToTSNodeMap?: { get(node: unknown): ts.Node | undefined };
}

interface TypeScriptFile {
  readonly ts: typeof ts;
  readonly sourceFile: ts.SourceFile;
  readonly checker?: ts.TypeChecker;
}

/**
 * TypeScript's tree of the file as typescript-eslint made it, when its text
 * is the text ESLint lints: the program's file and its checker with type
 * information; without, the file typescript-estree parsed (with parent
 * links), so the text is not parsed twice.
 */
function parsedFile(sourceCode: SourceCode, fileName: string): TypeScriptFile | undefined {
  const services = sourceCode.parserServices as ParserServices | undefined;
  if (!services) return undefined;
  const program = services.program;
  const sourceFile = program ? program.getSourceFile(fileName) : services.esTreeNodeToTSNodeMap?.get(sourceCode.ast) as ts.SourceFile | undefined;
  if (!sourceFile || sourceFile.text !== sourceCode.text) return undefined;
  const typescript = typeScriptOf(sourceFile);
  if (!typescript) return undefined;
  return program ? { ts: typescript, sourceFile, checker: program.getTypeChecker() } : { ts: typescript, sourceFile };
}

const NOTHING: FileAnalysis = { findings: [], errors: [] };

function analyse(sourceCode: SourceCode, fileName: string, rules: readonly JsRule[], settings: LintSettings): FileAnalysis {
  const parsed = parsedFile(sourceCode, fileName);
  // Without types, a file with none of the words the rules react to cannot have a finding (as in the CLI).
  if (!parsed?.checker && !jsTriggerPattern(settings).test(sourceCode.text)) return NOTHING;
  if (parsed) return analyzeJs({ ...parsed, rules, settings, eslintComments: false, ownPackage: ownPackageOf(fileName) });
  const typescript = parsingTypeScript();
  if (!typescript) return NOTHING;
  try {
    const sourceFile = parseJs(typescript, fileName, sourceCode.text);
    return analyzeJs({ ts: typescript, sourceFile, rules, settings, eslintComments: false, ownPackage: ownPackageOf(fileName) });
  } catch (error) {
    // Too deeply nested for TypeScript's parser: ESLint's own rules still run, ours say nothing.
    if (error instanceof JsParseRefusedError) return NOTHING;
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
      file.result = { findings: [], errors: enlisted.map((rule) => ({ code: rule.meta.code, message })) };
    }
  }
  return file.result;
}
