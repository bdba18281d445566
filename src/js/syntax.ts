import type * as ts from 'typescript';
import type { TextRange } from '../engine/types';
import type { TypeScript } from './rule';

/** An expression as messages quote it: its text on one line, shortened. */
export function quote(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  return `\`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\``;
}

/** A loop's head: from `for` to the `)` before its body. */
export function loopHead(ts: TypeScript, loop: ts.ForOfStatement | ts.ForInStatement | ts.ForStatement | ts.WhileStatement, sourceFile: ts.SourceFile): TextRange {
  const close = loop.getChildren(sourceFile).find((child) => child.kind === ts.SyntaxKind.CloseParenToken);
  return { start: loop.getStart(sourceFile), end: close ? close.getEnd() : loop.statement.getFullStart() };
}

export function rangeOf(node: ts.Node, sourceFile: ts.SourceFile): TextRange {
  return { start: node.getStart(sourceFile), end: node.getEnd() };
}
