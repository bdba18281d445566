import type * as ts from 'typescript';
import type { Fix } from '../../engine/types';
import { skipOuter } from '../facts';
import { arrayLiteralOf, promiseArray, typedPromiseArray } from '../promises';
import { defineJsRule, type JsRuleContext } from '../rule';
import { quote, rangeOf } from '../syntax';

const messages = {
  eagerPromises: '`for await` reads {{what}} one at a time, but those promises are all already running: one that rejects while an earlier one is still awaited is an unhandled rejection (Node exits).',
};

const fixTitles = {
  promiseAll: 'Use `for…of` over `await Promise.all(...)`',
};

type Context = JsRuleContext<keyof typeof messages, keyof typeof fixTitles>;

/**
 * Whether the loop iterates running promises whose rejections nothing else
 * handles: from the type when it is known, else from syntax. An array whose
 * every promise has a `.catch` attached where it is made is fine, and so is a
 * named array used anywhere else (handed to `Promise.all`, `.forEach(p =>
 * p.catch(…))`…): something else may handle it.
 */
function iteratesEagerPromises(ctx: Context, loop: ts.ForOfStatement): boolean {
  const { facts } = ctx;
  // A literal of one promise is awaited at once: nothing else is running meanwhile. (Its type is an array all the same.)
  const literal = arrayLiteralOf(facts, loop.expression);
  if (literal && literal.elements.length < 2) return false;
  const syntactic = promiseArray(facts, loop.expression);
  if (syntactic?.handled) return false;
  const typed = typedPromiseArray(facts, loop.expression);
  if (typed === 'other' || (typed === 'unknown' && !syntactic?.started)) return false;
  return !isNameUsedElsewhere(ctx, loop);
}

/** For `for await (const x of promises)`: whether `promises` is mentioned anywhere but its declaration, this loop and `.length`. */
function isNameUsedElsewhere(ctx: Context, loop: ts.ForOfStatement): boolean {
  const { ts, facts, sourceFile } = ctx;
  const iterated = skipOuter(ts, loop.expression);
  if (!ts.isIdentifier(iterated)) return false;
  const declaration = facts.singleDeclaration(iterated);
  if (!declaration) return true;
  const scope = ts.isParameter(declaration) ? declaration.parent : declaration.parent?.parent?.parent ?? sourceFile;
  let used = false;
  const visit = (node: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(node) && node.text === iterated.text && node !== iterated && !isDeclarationName(ts, node)) {
      const parent = node.parent;
      const readsLength = ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text === 'length';
      const isMemberName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!readsLength && !isMemberName) used = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return used;
}

function isDeclarationName(ts: Context['ts'], identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === identifier;
}

/** `for await (const x of ps)` → `for (const x of await Promise.all(ps))`, where the loop may `await`. */
function promiseAllFix(ctx: Context, loop: ts.ForOfStatement): Fix[] {
  const { ts, sourceFile, facts } = ctx;
  const keyword = loop.getFirstToken(sourceFile);
  if (!loop.awaitModifier || keyword?.kind !== ts.SyntaxKind.ForKeyword || !facts.canAwait(loop)) return [];
  const expression = rangeOf(loop.expression, sourceFile);
  return [ctx.fix('promiseAll', 'unsafe', [
    { range: { start: keyword.getEnd(), end: loop.awaitModifier.getEnd() }, newText: '' },
    { range: { start: expression.start, end: expression.start }, newText: 'await Promise.all(' },
    { range: { start: expression.end, end: expression.end }, newText: ')' },
  ])];
}

export const forAwaitOverEagerPromises = defineJsRule({
  meta: {
    code: 'AIT103',
    name: 'for-await-over-eager-promises',
    language: 'javascript',
    defaultSeverity: 'warning',
    summary: '`for await` over an array of already-started promises.',
    messages,
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: fixTitles },
  },
  create(ctx) {
    const { sourceFile } = ctx;
    return {
      ForOfStatement(node) {
        const loop = node as ts.ForOfStatement;
        if (!loop.awaitModifier || !iteratesEagerPromises(ctx, loop)) return;
        ctx.report({ at: loop.expression, messageId: 'eagerPromises', data: { what: quote(loop.expression, sourceFile) }, fixes: promiseAllFix(ctx, loop) });
      },
    };
  },
});
