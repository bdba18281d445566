import type * as ts from 'typescript';
import type { TextEdit } from '../engine/types';
import { hasModifier, type FunctionLike } from './facts';
import type { TypeScript } from './rule';

/**
 * Edits the JS/TS rules share. Each returns undefined when the edit cannot be
 * made exactly; the rule then offers no fix.
 */

/** `for (…of…)` → `for await (…of…)`. */
export function forAwaitEdit(ts: TypeScript, loop: ts.ForOfStatement, sourceFile: ts.SourceFile): TextEdit | undefined {
  const keyword = loop.getFirstToken(sourceFile);
  if (!keyword || keyword.kind !== ts.SyntaxKind.ForKeyword) return undefined;
  const end = keyword.getEnd();
  return { range: { start: end, end }, newText: ' await' };
}

/**
 * Makes a function `async`: before `function`, before an arrow function's
 * parameters, before a method's name (and its `*`). None for constructors,
 * getters and setters, which cannot be async, and for functions that already are.
 */
export function makeAsyncEdit(ts: TypeScript, fn: FunctionLike, sourceFile: ts.SourceFile): TextEdit | undefined {
  if (hasModifier(ts, fn, ts.SyntaxKind.AsyncKeyword)) return undefined;
  if (ts.isConstructorDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) return undefined;
  let at: number | undefined;
  if (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) {
    const keyword = fn.getChildren(sourceFile).find((child) => child.kind === ts.SyntaxKind.FunctionKeyword);
    at = keyword?.getStart(sourceFile);
  } else if (ts.isArrowFunction(fn)) {
    const typeParameters = fn.typeParameters;
    // `<T>(x: T) => …` in a .tsx file would need `async <T,>(…)`; leave it.
    if (typeParameters && sourceFile.languageVariant === ts.LanguageVariant.JSX) return undefined;
    at = typeParameters ? typeParameters.pos - 1 : fn.parameters.pos - (sourceFile.text[fn.parameters.pos - 1] === '(' ? 1 : 0);
    if (!fn.typeParameters && sourceFile.text[fn.parameters.pos - 1] !== '(') at = fn.parameters[0]?.getStart(sourceFile);
  } else if (ts.isMethodDeclaration(fn)) {
    at = fn.asteriskToken ? fn.asteriskToken.getStart(sourceFile) : fn.name.getStart(sourceFile);
  }
  if (at === undefined || at < 0) return undefined;
  return { range: { start: at, end: at }, newText: 'async ' };
}
