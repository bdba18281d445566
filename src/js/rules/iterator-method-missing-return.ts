import type * as ts from 'typescript';
import type { Fix, TextEdit } from '../../engine/types';
import { appendStatementEdit, removeModifierEdit } from '../edits';
import { hasModifier, skipOuter, wellKnownSymbolName } from '../facts';
import { ownNodes, ownReturns } from '../flow';
import { containerOf, containerShape, methodCompletion } from '../iterators';
import { defineJsRule, type JsRuleContext } from '../rule';

const messages = {
  noIterator: '`{{method}}` {{exit}}, but {{loop}} needs it to return an iterator: it fails with `TypeError: Result of the {{symbol}} method is not an object`.',
  asyncMethod: '`async {{method}}` returns a Promise, not an iterator: {{loop}} fails with `TypeError: undefined is not a function` (a Promise has no `next()`).',
};

const fixTitles = {
  returnThis: 'Return `this`',
  dropAsync: 'Remove `async`',
  dropAsyncReturnThis: 'Remove `async` and return `this`',
};

type Context = JsRuleContext<keyof typeof messages, keyof typeof fixTitles>;

/** `return;`, `return undefined;`, `return void 0;`, `return null;`: no iterator whatever the path. */
function isValueless(ts: Context['ts'], statement: ts.ReturnStatement): boolean {
  if (!statement.expression) return true;
  const value = skipOuter(ts, statement.expression);
  return value.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(value) || (ts.isIdentifier(value) && value.text === 'undefined');
}

function describeExit(ts: Context['ts'], fallsThrough: boolean, hasReturns: boolean, valueless: readonly ts.ReturnStatement[]): string {
  if (fallsThrough && !hasReturns) return 'never returns a value';
  const first = valueless[0];
  const returnsNothing = first === undefined ? undefined
    : first.expression && skipOuter(ts, first.expression).kind === ts.SyntaxKind.NullKeyword ? 'can return `null`' : 'has a `return` without a value';
  if (fallsThrough && returnsNothing) return `can end without a \`return\` and ${returnsNothing}`;
  return fallsThrough ? 'can end without a `return`' : returnsNothing!;
}

/** A return type `return this` fits without a new type error: none written, `this`, or a named type (`AsyncIterator<T>`). */
function acceptsThis(ts: Context['ts'], method: ts.MethodDeclaration): boolean {
  return !method.type || ts.isTypeReferenceNode(method.type) || ts.isThisTypeNode(method.type);
}

export const iteratorMethodMissingReturn = defineJsRule({
  meta: {
    code: 'AIT201',
    name: 'iterator-method-missing-return',
    language: 'javascript',
    defaultSeverity: 'error',
    summary: '`[Symbol.asyncIterator]()` / `[Symbol.iterator]()` can end without returning an iterator.',
    messages,
    fix: { availability: 'sometimes', safety: ['safe'], titles: fixTitles },
  },
  // TS2504 / TS2488: "Type … must have a '[Symbol.asyncIterator]()' / '[Symbol.iterator]()' method that
  // returns an (async) iterator", which the compiler reports where the object is iterated, not here.
  compilerCodes: [2488, 2504],
  create(ctx) {
    const { ts, sourceFile, facts } = ctx;

    return {
      MethodDeclaration(node) {
        const method = node as ts.MethodDeclaration;
        const symbol = wellKnownSymbolName(ts, method.name);
        const container = containerOf(ts, method);
        const body = method.body;
        if (!symbol || !container || !body || method.asteriskToken) return;
        // A decorator may replace the method, and what it returns with it.
        if (ts.canHaveDecorators(method) && (ts.getDecorators(method)?.length ?? 0) > 0) return;

        const isStatic = hasModifier(ts, method, ts.SyntaxKind.StaticKeyword);
        // With `next()` beside it, the object is its own iterator: `this` is what to return.
        const isOwnIterator = !isStatic && containerShape(ts, container).members.has('next');
        // `[Symbol.iterator]() {}` without `next()`: a stub a subclass fills in.
        if (body.statements.length === 0 && !isOwnIterator) return;

        const data = {
          method: `[Symbol.${symbol}]()`,
          symbol: `Symbol.${symbol}`,
          loop: symbol === 'asyncIterator' ? '`for await`' : '`for…of`',
        };
        const returns = ownReturns(ts, body);
        const valueless = returns.filter((statement) => isValueless(ts, statement));
        const fallsThrough = methodCompletion(ts, facts, body) === 'falls';
        const canReturnThis = isOwnIterator && returns.length === 0 && fallsThrough && acceptsThis(ts, method);

        if (hasModifier(ts, method, ts.SyntaxKind.AsyncKeyword)) {
          ctx.report({ at: method.name, messageId: 'asyncMethod', data, fixes: dropAsyncFixes(ctx, method, body, canReturnThis, valueless.length === 0 && !fallsThrough) });
          return;
        }
        if (!fallsThrough && valueless.length === 0) return;
        const append = canReturnThis ? appendStatementEdit(ts, body, 'return this;', sourceFile) : undefined;
        ctx.report({
          at: method.name,
          messageId: 'noIterator',
          data: { ...data, exit: describeExit(ts, fallsThrough, returns.length > 0, valueless) },
          fixes: append ? [ctx.fix('returnThis', 'safe', [append])] : [],
        });
      },
    };
  },
});

/**
 * Without `async` the method returns what its `return`s say. Only when it
 * awaits nothing and its return type is not written (a `Promise<…>` would
 * then be wrong), and only when that leaves it returning an iterator.
 */
function dropAsyncFixes(ctx: Context, method: ts.MethodDeclaration, body: ts.Block, canReturnThis: boolean, returnsValues: boolean): Fix[] {
  const { ts, sourceFile } = ctx;
  const awaits = ownNodes(ts, body, (node): node is ts.Node => ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined));
  if (awaits.length > 0 || method.type) return [];
  const drop = removeModifierEdit(ts, method, ts.SyntaxKind.AsyncKeyword, sourceFile);
  if (!drop) return [];
  if (returnsValues) return [ctx.fix('dropAsync', 'safe', [drop])];
  const append: TextEdit | undefined = canReturnThis ? appendStatementEdit(ts, body, 'return this;', sourceFile) : undefined;
  return append ? [ctx.fix('dropAsyncReturnThis', 'safe', [drop, append])] : [];
}
