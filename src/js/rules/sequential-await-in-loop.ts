import type * as ts from 'typescript';
import type { Fix } from '../../engine/types';
import { loopCondition } from '../dataflow';
import { skipOuter, type JsFacts } from '../facts';
import { defineJsRule, type JsRuleContext } from '../rule';
import { sequentialWork, type SequentialWork } from '../sequential';
import { quote } from '../syntax';
import { isArrayLike } from '../arrays';

const messages = {
  sequential: '{{call}} is awaited for one item of {{items}} at a time: each one waits for the one before it, '
    + 'so the loop takes the sum of their times. They do not depend on each other: run them concurrently.',
  sequentialForAwait: '{{call}} is awaited in the body of a `for await` over {{items}}: the next item is not even requested until it settles, '
    + 'so the loop takes the sum of their times. They do not depend on each other: run them concurrently '
    + '(gather the items first, or keep a bounded number in flight).',
  sequentialRound: '{{call}} is awaited once per round of the loop on {{condition}}: each one waits for the one before it, '
    + 'so the loop takes the sum of their times. They do not depend on each other: run them concurrently.',
};

const fixTitles = {
  promiseAll: 'Run them concurrently with `Promise.all` (results in the same order)',
};

type Context = JsRuleContext<keyof typeof messages, keyof typeof fixTitles>;

export const sequentialAwaitInLoop = defineJsRule({
  meta: {
    code: 'AIT301',
    name: 'sequential-await-in-loop',
    language: 'javascript',
    defaultSeverity: 'warning',
    summary: 'A loop awaits independent work one item at a time.',
    messages,
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: fixTitles },
  },
  create(ctx) {
    const { ts, facts, sourceFile } = ctx;
    const check = (node: ts.Node): void => {
      const found = sequentialWork(node, facts);
      // A loop that yields feeds its consumer one item at a time: that is AIT302's.
      if (!found || found.flow.yields.length > 0) return;
      const loop = found.flow.loop;
      const call = quote(found.site.awaited, sourceFile);
      if (ts.isForOfStatement(loop) && loop.awaitModifier) {
        // No fix: the items arrive one by one from the source; gathering them first, or a pool, is the author's call.
        ctx.report({ at: found.site.node, messageId: 'sequentialForAwait', data: { call, items: quote(loop.expression, sourceFile) } });
        return;
      }
      if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
        const fix = ts.isForOfStatement(loop) ? promiseAllFix(ctx, loop, found) : undefined;
        ctx.report({ at: found.site.node, messageId: 'sequential', data: { call, items: quote(loop.expression, sourceFile) }, fixes: fix ? [fix] : [] });
        return;
      }
      // No fix: which items a `while` loop visits is known only by running it.
      const condition = loopCondition(ts, loop);
      ctx.report({ at: found.site.node, messageId: 'sequentialRound', data: { call, condition: condition ? quote(condition, sourceFile) : '`…`' } });
    };
    return { ForStatement: check, ForOfStatement: check, ForInStatement: check, WhileStatement: check, DoStatement: check };
  },
});

/**
 * A rewrite that keeps every value where it was, for two shapes of a
 * `for…of` over an array: "collect one result per item"
 * (`results.push(await work(x))` → `results.push(...(await
 * Promise.all(items.map(async (x) => work(x)))))`) and "do one thing per
 * item" (`await work(x);` → `await Promise.all(items.map(async (x) => {
 * await work(x); }))`). The loop's body must be that one statement (no
 * comment lost), its variable a `const` or `let` of its own.
 */
function promiseAllFix(ctx: Context, loop: ts.ForOfStatement, { site }: SequentialWork): Fix | undefined {
  const { ts, sourceFile, facts } = ctx;
  if (loop.awaitModifier || ts.isLabeledStatement(loop.parent) || !ts.isVariableDeclarationList(loop.initializer)) return undefined;
  const list = loop.initializer;
  const declaration = list.declarations[0];
  if (list.declarations.length !== 1 || !declaration || declaration.type || !(list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) return undefined;
  const only = onlyStatement(ts, loop.statement, sourceFile);
  const statement = only?.statement;
  if (!only || !statement || !ts.isExpressionStatement(statement) || !isArrayLike(facts, loop.expression, 0) || hasHoles(ts, loop.expression)) return undefined;
  const text = sourceFile.text;
  const items = parenthesizedIfNeeded(ts, loop.expression, sourceFile);
  const binding = declaration.name.getText(sourceFile);
  const expression = skipOuter(ts, statement.expression);
  let newText: string | undefined;
  if (expression === site.node) {
    // Do one thing per item: nothing else may be written, or the order of the writes would change.
    if (writesAnything(ts, statement)) return undefined;
    newText = `await Promise.all(${items}.map(async (${binding}) => { ${statement.getText(sourceFile)} }));`;
  } else if (ts.isCallExpression(expression) && expression.arguments.length === 1 && expression.arguments[0] === site.node) {
    // Collect one result per item, in the items' order: into an array (a stream's or a queue's `push` takes one value, not many).
    const callee = skipOuter(ts, expression.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'push' || !isPlainReceiver(ts, callee.expression, declaration.name)) return undefined;
    if (!isArrayLike(facts, callee.expression, 0)) return undefined;
    const awaited = (site.node as ts.AwaitExpression).expression;
    if (writesAnything(ts, awaited)) return undefined;
    let work = awaited.getText(sourceFile);
    if (work.startsWith('{')) work = `(${work})`;
    newText = `${callee.expression.getText(sourceFile)}.push(...(await Promise.all(${items}.map(async (${binding}) => ${work}))));`;
  }
  if (newText === undefined || text.slice(loop.getStart(sourceFile), statement.getStart(sourceFile)).includes('/')) return undefined;
  return ctx.fix('promiseAll', 'unsafe', [{ range: { start: loop.getStart(sourceFile), end: loop.getEnd() }, newText: `${newText}${only.trailing}` }]);
}

/**
 * The one statement of a loop's body, when nothing else is in it but a
 * `//` comment ending its line (kept after the rewrite): no other comment
 * would survive it.
 */
function onlyStatement(ts: JsFacts['ts'], body: ts.Statement, sourceFile: ts.SourceFile): { statement: ts.Statement; trailing: string } | undefined {
  if (!ts.isBlock(body)) return { statement: body, trailing: '' };
  if (body.statements.length !== 1) return undefined;
  const only = body.statements[0]!;
  const text = sourceFile.text;
  const before = text.slice(body.getStart(sourceFile) + 1, only.getStart(sourceFile));
  const after = text.slice(only.getEnd(), body.getEnd() - 1);
  if (before.trim() !== '') return undefined;
  if (after.trim() === '') return { statement: only, trailing: '' };
  const comment = /^[ \t]*(\/\/[^\r\n]*)\s*$/.exec(after);
  return comment ? { statement: only, trailing: ` ${comment[1]!.trimEnd()}` } : undefined;
}

/**
 * An array literal with holes (`['a', , 'c']`): `for…of` visits a hole as
 * `undefined`, `.map` skips it, so the rewrite would drop that item's work.
 */
function hasHoles(ts: JsFacts['ts'], items: ts.Expression): boolean {
  const node = skipOuter(ts, items);
  return ts.isArrayLiteralExpression(node) && node.elements.some((element) => ts.isOmittedExpression(element));
}

function parenthesizedIfNeeded(ts: JsFacts['ts'], expression: ts.Expression, sourceFile: ts.SourceFile): string {
  const text = expression.getText(sourceFile);
  const simple = ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression)
    || ts.isCallExpression(expression) || ts.isArrayLiteralExpression(expression) || ts.isParenthesizedExpression(expression);
  return simple ? text : `(${text})`;
}

/** `results`, `this.results`: a receiver that is no function of the item and calls nothing. */
function isPlainReceiver(ts: JsFacts['ts'], receiver: ts.Expression, item: ts.BindingName): boolean {
  const names = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (ts.isBindingElement(element)) collect(element.name);
  };
  collect(item);
  let node = skipOuter(ts, receiver);
  while (ts.isPropertyAccessExpression(node)) node = skipOuter(ts, node.expression);
  return (ts.isIdentifier(node) && !names.has(node.text)) || node.kind === ts.SyntaxKind.ThisKeyword;
}

/** Whether a piece of code assigns, changes in place or defines a function (whose effects would run in another order). */
function writesAnything(ts: JsFacts['ts'], root: ts.Node): boolean {
  let writes = false;
  const visit = (node: ts.Node): void => {
    if (writes) return;
    if (ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isDeleteExpression(node)) writes = true;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) writes = true;
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) writes = true;
    else if (ts.isCallExpression(node)) {
      const callee = skipOuter(ts, node.expression);
      if (ts.isPropertyAccessExpression(callee) && /^(?:push|pop|shift|unshift|splice|sort|reverse|set|add|delete|clear|append|write)$/.test(callee.name.text)) writes = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return writes;
}
