import type * as ts from 'typescript';
import type { TextEdit } from '../../engine/types';
import { skipOuter } from '../facts';
import { asyncIteratorStep } from '../iterator-steps';
import { defineJsRule, type JsRuleContext } from '../rule';
import { quote } from '../syntax';

const messages = {
  readAsResult: '{{call}} is not awaited: it returns a promise, so `.done` and `.value` read `undefined`, not the iterator result.',
  tested: '{{call}} is not awaited: this test sees a promise, which is always truthy and never the iterator result.',
  heldAsResult: '{{call}} is not awaited: `{{name}}` holds a promise, so its `.done` and `.value` are `undefined`.',
};

const fixTitles = {
  addAwait: 'Add `await`',
};

type Context = JsRuleContext<keyof typeof messages, keyof typeof fixTitles>;

/**
 * What happens to a value: read as an iterator result (`.done`, `.value`,
 * destructured), tested (a condition, `!`, `===`), stored in a variable
 * (`held`), dropped as a statement, or handed on: awaited, returned, passed
 * to a call, `.then`-ed, put in an array… (anything not listed, so unsure
 * cases stay silent).
 */
type Use =
  | { readonly kind: 'result' | 'test' | 'discarded' | 'handedOn' }
  | { readonly kind: 'held'; readonly variable: ts.Identifier };

const RESULT_KEYS = new Set(['done', 'value']);

/** Where a value goes: up through parentheses, type assertions, and the value of an assignment (`(r = it.next()).done`). */
function valueSite(ts: Context['ts'], node: ts.Expression): { site: ts.Expression; assignment?: ts.BinaryExpression } {
  let current = node;
  let assignment: ts.BinaryExpression | undefined;
  for (;;) {
    const parent = current.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isTypeAssertionExpression(parent)) current = parent;
    else if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === current) {
      assignment ??= parent;
      current = parent;
    } else return { site: current, ...(assignment ? { assignment } : {}) };
  }
}

function namesResultKey(ts: Context['ts'], pattern: ts.ObjectBindingPattern | ts.ObjectLiteralExpression): boolean {
  const keys = ts.isObjectBindingPattern(pattern)
    ? pattern.elements.map((element) => element.propertyName ?? element.name)
    : pattern.properties.map((property) => property.name);
  return keys.some((key) => key !== undefined && (ts.isIdentifier(key) || ts.isStringLiteral(key)) && RESULT_KEYS.has(key.text));
}

const RESULT: Use = { kind: 'result' };
const TEST: Use = { kind: 'test' };
const HANDED_ON: Use = { kind: 'handedOn' };

function useOf(ts: Context['ts'], value: ts.Expression): Use {
  const { site, assignment } = valueSite(ts, value);
  const use = useAt(ts, site);
  // `step = it.next()` (a statement, a `for` update…): the variable now holds the promise.
  if ((use.kind === 'handedOn' || use.kind === 'discarded') && assignment) {
    const target = assignment.left;
    return ts.isIdentifier(target) ? { kind: 'held', variable: target } : HANDED_ON;
  }
  return use;
}

function useAt(ts: Context['ts'], site: ts.Expression): Use {
  const parent = site.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === site) return RESULT_KEYS.has(parent.name.text) ? RESULT : HANDED_ON;
  if (ts.isElementAccessExpression(parent) && parent.expression === site) {
    return ts.isStringLiteral(parent.argumentExpression) && RESULT_KEYS.has(parent.argumentExpression.text) ? RESULT : HANDED_ON;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === site) {
    if (ts.isObjectBindingPattern(parent.name)) return namesResultKey(ts, parent.name) ? RESULT : HANDED_ON;
    return ts.isIdentifier(parent.name) ? { kind: 'held', variable: parent.name } : HANDED_ON;
  }
  if (ts.isBinaryExpression(parent)) {
    const operator = parent.operatorToken.kind;
    if (operator === ts.SyntaxKind.EqualsToken && parent.right === site && ts.isObjectLiteralExpression(parent.left)) return namesResultKey(ts, parent.left) ? RESULT : HANDED_ON;
    const isEquality = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
    return isEquality ? TEST : HANDED_ON;
  }
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && parent.expression === site) return TEST;
  if ((ts.isForStatement(parent) || ts.isConditionalExpression(parent)) && parent.condition === site) return TEST;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return TEST;
  if (ts.isExpressionStatement(parent)) return { kind: 'discarded' };
  return HANDED_ON;
}

interface HeldUse {
  /**
   * `misused` when every read of the variable takes it for the iterator
   * result (or tests it) and every assignment to it stores another step or an
   * awaited value; `unused` when nothing reads it; `handedOn` when any read
   * awaits it or passes it on, anything else is assigned to it, or we cannot tell.
   */
  readonly verdict: 'misused' | 'unused' | 'handedOn';
  /** The unawaited steps stored in the variable: one fix awaits them all, so the variable holds one kind of value. */
  readonly steps: readonly ts.CallExpression[];
}

/** How a variable that holds a step's promise (`const r = it.next()`, `step = it.next()`) is used. */
function heldUse(ctx: Context, variable: ts.Identifier): HeldUse {
  const { ts, facts, sourceFile } = ctx;
  const unsure: HeldUse = { verdict: 'handedOn', steps: [] };
  const declaration = facts.declarationOf(variable);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return unsure;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || (list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) === 0) return unsure;
  const name = declaration.name;
  const steps: ts.CallExpression[] = [];
  const stepOf = (value: ts.Expression | undefined) => {
    const node = value && skipOuter(ts, value);
    return node && ts.isCallExpression(node) && asyncIteratorStep(facts, node) ? node : undefined;
  };
  const initial = stepOf(declaration.initializer);
  if (initial) steps.push(initial);
  const scope = facts.enclosingFunction(declaration) ?? sourceFile;
  let misused = false;
  let handedOn = false;
  const visit = (node: ts.Node): void => {
    if (handedOn) return;
    if (ts.isIdentifier(node) && node.text === name.text && node !== name) {
      const kind = mentionKind(ts, node);
      // Another variable of the same name may be read below it: too unsure to judge.
      if (kind === 'declaration') handedOn = true;
      else if (kind === 'assigned') {
        const value = (node.parent as ts.BinaryExpression).right;
        const step = stepOf(value);
        if (step) steps.push(step);
        else if (!ts.isAwaitExpression(skipOuter(ts, value))) handedOn = true;
      } else if (kind === 'read') {
        const use = useOf(ts, node).kind;
        if (use === 'result' || use === 'test') misused = true;
        else handedOn = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  if (handedOn) return unsure;
  return { verdict: misused ? 'misused' : 'unused', steps };
}

/** How an identifier is mentioned: read, assigned with `=`, as a member name or key (not a mention of the variable), or declaring a name. */
function mentionKind(ts: Context['ts'], identifier: ts.Identifier): 'read' | 'assigned' | 'key' | 'declaration' {
  const parent = identifier.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === identifier) return 'key';
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return 'key';
  if (ts.isBinaryExpression(parent) && parent.left === identifier && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return 'assigned';
  const declares = ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isFunctionExpression(parent);
  return declares && parent.name === identifier ? 'declaration' : 'read';
}

/** `await` before the call; `(await it.next()).done` where a member access or call follows, since `await` binds looser. */
function awaitEdits(ts: Context['ts'], call: ts.CallExpression, sourceFile: ts.SourceFile): TextEdit[] {
  const start = call.getStart(sourceFile);
  const parent = call.parent;
  const trailed = ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) && parent.expression === call) || ts.isTaggedTemplateExpression(parent);
  if (!trailed) return [{ range: { start, end: start }, newText: 'await ' }];
  return [
    { range: { start, end: start }, newText: '(await ' },
    { range: { start: call.getEnd(), end: call.getEnd() }, newText: ')' },
  ];
}

export const unawaitedAnext = defineJsRule({
  meta: {
    code: 'AIT104',
    name: 'unawaited-anext',
    language: 'javascript',
    defaultSeverity: 'error',
    summary: 'The next item of an async iterator is requested but never awaited.',
    messages,
    fix: { availability: 'sometimes', safety: ['safe'], titles: fixTitles },
  },
  create(ctx) {
    const { ts, sourceFile, facts } = ctx;
    return {
      CallExpression(node) {
        const call = node as ts.CallExpression;
        if (!asyncIteratorStep(facts, call)) return;
        const use = useOf(ts, call);
        const canAwait = facts.canAwait(call);
        let messageId: keyof typeof messages;
        let name: string | undefined;
        let steps: readonly ts.CallExpression[] = [call];
        switch (use.kind) {
          case 'result':
            messageId = 'readAsResult';
            break;
          case 'test':
            messageId = 'tested';
            break;
          case 'discarded':
            // A step dropped on purpose is common and correct: `it.return()` to cancel a source without waiting
            // for it, `it.next()` to queue a request a producer answers later. Awaiting it would change (or hang)
            // the code, so only steps read as if they were the result are reported.
            return;
          case 'held': {
            const held = heldUse(ctx, use.variable);
            // Held and never read is the same as dropped: only a held step read as the result is a mistake.
            if (held.verdict !== 'misused') return;
            messageId = 'heldAsResult';
            name = use.variable.text;
            steps = held.steps;
            break;
          }
          default:
            return;
        }
        // A test of the result was meant as `!(await it.next()).done`; adding `await` alone would test an always-truthy object.
        const fixes = canAwait && use.kind !== 'test' ? [ctx.fix('addAwait', 'safe', steps.flatMap((step) => awaitEdits(ts, step, sourceFile)))] : [];
        ctx.report({ at: call, messageId, data: { call: quote(call, sourceFile), ...(name ? { name } : {}) }, fixes });
      },
    };
  },
});
