import type * as ts from 'typescript';
import type { Fix } from '../../engine/types';
import { forAwaitEdit, makeAsyncEdit } from '../edits';
import { skipOuter } from '../facts';
import { defineJsRule, type JsRuleContext } from '../rule';
import { loopHead, quote, rangeOf } from '../syntax';

const messages = {
  forOf: '`for…of` cannot iterate {{what}}: it is an async iterable, which only `for await` can consume (`TypeError: … is not iterable`).',
  spread: 'Spreading {{what}} fails: it is an async iterable, and `...` only takes synchronous iterables.',
  arrayFrom: '`Array.from` cannot read {{what}}: it is an async iterable; `Array.fromAsync` can.',
  destructuring: 'Array destructuring cannot read {{what}}: it is an async iterable, and destructuring iterates synchronously.',
  consumer: '`{{consumer}}` cannot consume {{what}}: it only accepts synchronous iterables.',
  yieldStar: '`yield*` in a synchronous generator cannot delegate to {{what}}: it is an async iterable; only an `async function*` can.',
};

const fixTitles = {
  forAwait: 'Use `for await`',
  forAwaitMakeAsync: 'Use `for await` and make the function `async`',
  fromAsync: 'Use `await Array.fromAsync(...)`',
};

type Context = JsRuleContext<keyof typeof messages, keyof typeof fixTitles>;

/** Constructors and static methods that iterate an argument synchronously. */
const CONSUMERS: Readonly<Record<string, string>> = {
  'Promise.all': 'Promise.all()',
  'Promise.allSettled': 'Promise.allSettled()',
  'Promise.any': 'Promise.any()',
  'Promise.race': 'Promise.race()',
  'new Set': 'new Set()',
  'new Map': 'new Map()',
  'new WeakSet': 'new WeakSet()',
  'new WeakMap': 'new WeakMap()',
  'Object.fromEntries': 'Object.fromEntries()',
};

function calleeName(ts: Context['ts'], expression: ts.Expression): string | undefined {
  const node = skipOuter(ts, expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) return `${node.expression.text}.${node.name.text}`;
  return undefined;
}

/** Fixes for `for…of` → `for await`: safe inside an `async` function, unsafe when the function must become `async` (its callers then get a promise). */
function forAwaitFixes(ctx: Context, loop: ts.ForOfStatement): Fix[] {
  const { ts, sourceFile, facts } = ctx;
  const edit = forAwaitEdit(ts, loop, sourceFile);
  if (!edit) return [];
  const fn = facts.enclosingFunction(loop);
  if (!fn) return facts.isModule() ? [ctx.fix('forAwait', 'safe', [edit])] : [];
  if (facts.isAsync(fn)) return [ctx.fix('forAwait', 'safe', [edit])];
  const makeAsync = makeAsyncEdit(ts, fn, sourceFile);
  return makeAsync ? [ctx.fix('forAwaitMakeAsync', 'unsafe', [makeAsync, edit])] : [];
}

export const syncIterationOverAsyncIterable = defineJsRule({
  meta: {
    code: 'AIT101',
    name: 'sync-iteration-over-async-iterable',
    language: 'javascript',
    defaultSeverity: 'error',
    summary: 'A synchronous loop, call or unpacking consumes an async iterable.',
    messages,
    fix: { availability: 'sometimes', safety: ['safe', 'unsafe'], titles: fixTitles },
  },
  // TS2488: "Type … must have a '[Symbol.iterator]()' method that returns an iterator."
  // TS2548/TS2549: the same for spread and destructuring of non-array types.
  compilerCodes: [2488, 2548, 2549],
  create(ctx) {
    const { ts, sourceFile, facts } = ctx;
    const isAsync = (expression: ts.Expression) => facts.iterability(expression) === 'async';

    return {
      ForOfStatement(node) {
        const loop = node as ts.ForOfStatement;
        if (loop.awaitModifier || !isAsync(loop.expression)) return;
        ctx.report({ at: loopHead(ts, loop, sourceFile), messageId: 'forOf', data: { what: quote(loop.expression, sourceFile) }, fixes: forAwaitFixes(ctx, loop) });
      },
      SpreadElement(node) {
        const spread = node as ts.SpreadElement;
        if (!isAsync(spread.expression)) return;
        ctx.report({ at: spread, messageId: 'spread', data: { what: quote(spread.expression, sourceFile) } });
      },
      CallExpression(node) {
        const call = node as ts.CallExpression;
        const name = calleeName(ts, call.expression);
        const argument = call.arguments[0];
        if (!name || !argument || ts.isSpreadElement(argument)) return;
        if (name === 'Array.from') {
          if (!isAsync(argument)) return;
          const fn = facts.enclosingFunction(call);
          const canAwait = fn ? facts.isAsync(fn) : facts.isModule();
          const callee = skipOuter(ts, call.expression) as ts.PropertyAccessExpression;
          const fixes = canAwait
            ? [ctx.fix('fromAsync', 'unsafe', [
                { range: { start: call.getStart(sourceFile), end: call.getStart(sourceFile) }, newText: needsParentheses(ts, call) ? '(await ' : 'await ' },
                { range: rangeOf(callee.name, sourceFile), newText: 'fromAsync' },
                ...(needsParentheses(ts, call) ? [{ range: { start: call.getEnd(), end: call.getEnd() }, newText: ')' }] : []),
              ])]
            : [];
          ctx.report({ at: argument, messageId: 'arrayFrom', data: { what: quote(argument, sourceFile) }, fixes });
          return;
        }
        const consumer = CONSUMERS[name];
        if (consumer && isAsync(argument)) ctx.report({ at: argument, messageId: 'consumer', data: { consumer, what: quote(argument, sourceFile) } });
      },
      NewExpression(node) {
        const call = node as ts.NewExpression;
        const name = calleeName(ts, call.expression);
        const argument = call.arguments?.[0];
        const consumer = name && CONSUMERS[`new ${name}`];
        if (!consumer || !argument || ts.isSpreadElement(argument) || !isAsync(argument)) return;
        ctx.report({ at: argument, messageId: 'consumer', data: { consumer, what: quote(argument, sourceFile) } });
      },
      VariableDeclaration(node) {
        const declaration = node as ts.VariableDeclaration;
        if (!ts.isArrayBindingPattern(declaration.name) || !declaration.initializer || !isAsync(declaration.initializer)) return;
        ctx.report({ at: declaration.initializer, messageId: 'destructuring', data: { what: quote(declaration.initializer, sourceFile) } });
      },
      BinaryExpression(node) {
        const assignment = node as ts.BinaryExpression;
        if (assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isArrayLiteralExpression(skipOuter(ts, assignment.left)) || !isAsync(assignment.right)) return;
        ctx.report({ at: assignment.right, messageId: 'destructuring', data: { what: quote(assignment.right, sourceFile) } });
      },
      YieldExpression(node) {
        const expression = node as ts.YieldExpression;
        if (!expression.asteriskToken || !expression.expression) return;
        const fn = facts.enclosingFunction(expression);
        if (!fn || facts.isAsync(fn) || !isAsync(expression.expression)) return;
        ctx.report({ at: expression, messageId: 'yieldStar', data: { what: quote(expression.expression, sourceFile) } });
      },
    };
  },
});

/** `await x` binds tighter than a member access or call that follows: `Array.from(s).length` needs `(await Array.fromAsync(s)).length`. */
function needsParentheses(ts: Context['ts'], call: ts.CallExpression): boolean {
  const parent = call.parent;
  return (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === call
    || ts.isCallExpression(parent) && parent.expression === call
    || ts.isTaggedTemplateExpression(parent);
}
