/*
 * JS/TS analysis in the worker, for when tsserver plugins cannot run (VS Code
 * on TypeScript 7, or no TypeScript extension): the same rules, from syntax
 * alone. TypeScript's compiler (several MB) is loaded on the first JS/TS
 * request, never for a Python-only session.
 */

import type * as ts from 'typescript';
import type { LintSettings } from '../../../engine/config';
import type { AnalysisResult } from '../../../engine/types';
import { analyzeJs, JsParseRefusedError, parseJs } from '../../../js/analyze';
import { ownPackageOf } from '../../../project/package-json';

let typescript: typeof ts | undefined;

function loadTypeScript(): typeof ts {
  // A `require` inside a function: the bundle evaluates TypeScript only when this runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  typescript ??= require('typescript') as typeof ts;
  return typescript;
}

const EXTENSION_OF_LANGUAGE: Readonly<Record<string, string>> = {
  javascript: '.js',
  javascriptreact: '.jsx',
  typescript: '.ts',
  typescriptreact: '.tsx',
};

/** The name a document is parsed under: its path, or for an untitled one a name whose extension says its language. */
export function jsFileName(path: string | undefined, languageId: string): string {
  if (path) return path;
  return `untitled${EXTENSION_OF_LANGUAGE[languageId] ?? '.ts'}`;
}

export function analyzeJsDocument(text: string, fileName: string, settings: LintSettings): AnalysisResult {
  const ts = loadTypeScript();
  let sourceFile: ts.SourceFile;
  try {
    sourceFile = parseJs(ts, fileName, text);
  } catch (error) {
    if (error instanceof JsParseRefusedError) return { findings: [], errors: [], syntaxError: error.problem };
    throw error;
  }
  return analyzeJs({ ts, sourceFile, settings, ownPackage: ownPackageOf(fileName) });
}
