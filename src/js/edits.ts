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

/** Removes one modifier (`async`) and the spaces after it. */
export function removeModifierEdit(ts: TypeScript, node: ts.Node, kind: ts.SyntaxKind, sourceFile: ts.SourceFile): TextEdit | undefined {
  const modifier = ts.canHaveModifiers(node) ? ts.getModifiers(node)?.find((candidate) => candidate.kind === kind) : undefined;
  if (!modifier) return undefined;
  const text = sourceFile.text;
  let end = modifier.getEnd();
  while (text[end] === ' ' || text[end] === '\t') end++;
  return { range: { start: modifier.getStart(sourceFile), end }, newText: '' };
}

/**
 * Appends a statement to a block body: on a line of its own after the last
 * statement (and after a `//` comment ending that line), indented like it; in
 * a body written on one line, after the last statement on that line. An empty
 * body gets the statement alone; one holding only comments, after them.
 */
export function appendStatementEdit(ts: TypeScript, body: ts.Block, statement: string, sourceFile: ts.SourceFile): TextEdit | undefined {
  const text = sourceFile.text;
  const open = body.getStart(sourceFile);
  const close = body.getEnd() - 1;
  if (text[open] !== '{' || text[close] !== '}') return undefined;
  const last = body.statements[body.statements.length - 1];
  if (!last) {
    const inside = text.slice(open + 1, close);
    if (inside.trim() === '') {
      if (!inside.includes('\n')) return { range: { start: open + 1, end: close }, newText: ` ${statement} ` };
      const indent = indentationAt(text, close);
      return { range: { start: open + 1, end: close }, newText: `\n${indent}${indentUnit(text)}${statement}\n${indent}` };
    }
    // Only comments: after the last one, on its line's indentation, or on the same line when the body is one line.
    const after = open + 1 + inside.trimEnd().length;
    if (!/[\r\n]/.test(text.slice(after, close))) return { range: { start: after, end: after }, newText: ` ${statement}` };
    const commentLine = lineStartAt(text, after - 1);
    const indent = commentLine > open ? indentationAt(text, after - 1) : `${indentationAt(text, close)}${indentUnit(text)}`;
    return { range: { start: after, end: after }, newText: `\n${indent}${statement}` };
  }
  const end = last.getEnd();
  const lineEnd = lineEndAt(text, end);
  if (close < lineEnd) return { range: { start: end, end }, newText: `${needsSemicolon(ts, last, sourceFile) ? ';' : ''} ${statement}` };
  const at = /^[ \t]*(\/\/.*)?$/.test(text.slice(end, lineEnd)) ? lineEnd : end;
  return { range: { start: at, end: at }, newText: `\n${indentationAt(text, last.getStart(sourceFile))}${statement}` };
}

/**
 * Inserts a class member or object literal property just before `member`
 * (and the comments on the lines above it): on a line of its own, indented
 * like it (and followed by a blank line when one precedes it), or before it
 * on its line when something else precedes it there.
 * In an object literal it gets its comma; a class field without `;` just
 * before gets one, or it would run into the computed name that follows.
 */
export function insertMemberBeforeEdits(ts: TypeScript, member: ts.ClassElement | ts.ObjectLiteralElementLike, memberText: string, sourceFile: ts.SourceFile): TextEdit[] {
  const text = sourceFile.text;
  const container = member.parent as ts.ClassLikeDeclaration | ts.ObjectLiteralExpression;
  let start = member.getStart(sourceFile);
  for (const comment of ts.getLeadingCommentRanges(text, member.getFullStart()) ?? []) {
    if (/^[ \t]*$/.test(text.slice(lineStartAt(text, comment.pos), comment.pos))) {
      start = comment.pos;
      break;
    }
  }
  const edits: TextEdit[] = [];
  if (ts.isClassLike(container)) {
    const previous = container.members[container.members.indexOf(member as ts.ClassElement) - 1];
    if (previous && ts.isPropertyDeclaration(previous) && !previous.getText(sourceFile).endsWith(';')) edits.push({ range: { start: previous.getEnd(), end: previous.getEnd() }, newText: ';' });
  }
  const separator = ts.isObjectLiteralExpression(container) ? ',' : '';
  const lineStart = lineStartAt(text, start);
  const before = text.slice(lineStart, start);
  if (/^[ \t]*$/.test(before)) {
    // Members set apart by blank lines get one after the new member too.
    const previousLine = text.slice(lineStartAt(text, Math.max(lineStart - 1, 0)), lineStart);
    const gap = lineStart > 0 && previousLine.trim() === '' ? '\n' : '';
    edits.push({ range: { start: lineStart, end: lineStart }, newText: `${before}${memberText}${separator}\n${gap}` });
  }
  else edits.push({ range: { start, end: start }, newText: `${memberText}${separator} ` });
  return edits;
}

/** Whether a statement needs a `;` before another statement on the same line. */
function needsSemicolon(ts: TypeScript, statement: ts.Statement, sourceFile: ts.SourceFile): boolean {
  let tail = statement;
  for (;;) {
    if (ts.isIfStatement(tail)) tail = tail.elseStatement ?? tail.thenStatement;
    else if (ts.isLabeledStatement(tail) || ts.isWhileStatement(tail) || ts.isForStatement(tail) || ts.isForOfStatement(tail) || ts.isForInStatement(tail) || ts.isWithStatement(tail)) tail = tail.statement;
    else break;
  }
  if (ts.isBlock(tail) || ts.isTryStatement(tail) || ts.isSwitchStatement(tail) || ts.isFunctionDeclaration(tail) || ts.isClassDeclaration(tail)) return false;
  return !tail.getText(sourceFile).endsWith(';');
}

function lineStartAt(text: string, position: number): number {
  return Math.max(text.lastIndexOf('\n', position - 1), text.lastIndexOf('\r', position - 1)) + 1;
}

/** Where the line holding `position` ends, before its line break. */
function lineEndAt(text: string, position: number): number {
  const match = /\r?\n|\r/g;
  match.lastIndex = position;
  const found = match.exec(text);
  return found ? found.index : text.length;
}

/** The spaces and tabs that start the line holding `position`. */
function indentationAt(text: string, position: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartAt(text, position), position))![0];
}

/** One level of indentation as the file writes it: a tab, or its smallest run of leading spaces outside comment blocks (two when it has none). */
function indentUnit(text: string): string {
  let smallest = Infinity;
  for (const match of text.matchAll(/^([ \t]+)[^\s*]/gm)) {
    if (match[1]!.startsWith('\t')) return '\t';
    smallest = Math.min(smallest, match[1]!.length);
  }
  return smallest === Infinity ? '  ' : ' '.repeat(smallest);
}
