import * as path from 'node:path';
import * as ts from 'typescript';
import type { LintSettings } from '../../src/engine/config';
import type { Finding } from '../../src/engine/types';
import { analyzeJs, parseJs } from '../../src/js/analyze';
import type { JsRule } from '../../src/js/rule';

/** The compiler options of the typed test programs: a modern Node project with `@types/node`. */
export const TEST_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.esnext.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: ['node'],
  strict: true,
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  jsx: ts.JsxEmit.Preserve,
};

/** Library files parsed once for every test program. */
const shared = new Map<string, ts.SourceFile | undefined>();
const ROOT = path.join(__dirname, '..', '..');

/** A program of one in-memory file (at `fileName`, under the repository so `@types/node` resolves) with the real libraries. */
export function typedProgram(fileName: string, text: string, options: ts.CompilerOptions = TEST_COMPILER_OPTIONS): { program: ts.Program; sourceFile: ts.SourceFile } {
  const absolute = path.resolve(ROOT, 'test', 'fixtures', 'js', path.basename(fileName));
  const host = ts.createCompilerHost(options, true);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    if (path.resolve(name) === absolute) return ts.createSourceFile(name, text, languageVersion, true);
    const key = `${name}\0${JSON.stringify(languageVersion)}`;
    if (!shared.has(key)) shared.set(key, read(name, languageVersion, onError, shouldCreate));
    return shared.get(key);
  };
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === absolute || exists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (path.resolve(name) === absolute ? text : readFile(name));
  const program = ts.createProgram([absolute], options, host);
  return { program, sourceFile: program.getSourceFile(absolute)! };
}

export type JsMode = 'typed' | 'syntax';

export interface JsLintOptions {
  readonly fileName?: string;
  readonly mode?: JsMode;
  readonly settings?: LintSettings;
  readonly rules?: readonly JsRule[];
}

/** Lints `text` with only `code` enabled (or the given settings), typed or from syntax alone. */
export function lintJs(text: string, code: string | undefined, options: JsLintOptions = {}): Finding[] {
  const fileName = options.fileName ?? 'test.ts';
  const settings: LintSettings = { ...(code ? { select: [code] } : {}), ...options.settings };
  let result;
  if ((options.mode ?? 'typed') === 'typed') {
    const { program, sourceFile } = typedProgram(fileName, text);
    result = analyzeJs({ ts, sourceFile, checker: program.getTypeChecker(), settings, ...(options.rules ? { rules: options.rules } : {}) });
  } else {
    result = analyzeJs({ ts, sourceFile: parseJs(ts, fileName, text), settings, ...(options.rules ? { rules: options.rules } : {}) });
  }
  if (result.errors.length > 0) throw new Error(`internal rule errors: ${JSON.stringify(result.errors)}`);
  return result.findings;
}

/** The parser's complaints about `text`. */
export function jsSyntaxErrorCount(fileName: string, text: string): number {
  const sourceFile = parseJs(ts, fileName, text) as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] };
  return sourceFile.parseDiagnostics?.length ?? 0;
}

/** The type checker's errors about `text` as a TypeScript file (what a fix must not add). */
export function jsTypeErrors(fileName: string, text: string): string[] {
  const { program, sourceFile } = typedProgram(fileName, text, { ...TEST_COMPILER_OPTIONS, checkJs: true });
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].map((diagnostic) => {
    const where = diagnostic.start === undefined ? '' : `${sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1}: `;
    return `${where}TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
