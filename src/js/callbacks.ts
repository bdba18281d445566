import type * as ts from 'typescript';
import { skipOuter, type FunctionLike, type JsFacts } from './facts';

/** Array methods that call their callback before they return, once per element. */
const ARRAY_CALLBACK_METHODS: ReadonlySet<string> = new Set([
  'forEach', 'map', 'filter', 'flatMap', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reduce', 'reduceRight', 'sort', 'toSorted',
]);

/**
 * Whether a function expression runs where it is written, before the
 * expression around it completes: called on the spot (`(() => …)()`), the
 * executor of `new Promise(…)`, or the callback of an array method whose
 * receiver is an array (its type says so, or it is an array literal). A
 * callback handed to anything else may run later, elsewhere, or never.
 */
export function runsInPlace(facts: JsFacts, fn: FunctionLike): boolean {
  const { ts } = facts;
  if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return false;
  let node: ts.Node = fn;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isCallExpression(parent) && parent.expression === node) return true;
  if (ts.isNewExpression(parent) && parent.arguments?.[0] === node) {
    const callee = skipOuter(ts, parent.expression);
    return ts.isIdentifier(callee) && callee.text === 'Promise' && facts.isUndeclared(callee);
  }
  if (!ts.isCallExpression(parent) || parent.arguments[0] !== node) return false;
  const callee = skipOuter(ts, parent.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || !ARRAY_CALLBACK_METHODS.has(callee.name.text)) return false;
  return isArray(facts, callee.expression);
}

function isArray(facts: JsFacts, expression: ts.Expression): boolean {
  const { ts, checker } = facts;
  if (ts.isArrayLiteralExpression(skipOuter(ts, expression))) return true;
  if (!checker || typeof checker.isArrayType !== 'function' || typeof checker.isTupleType !== 'function') return false;
  try {
    const type = checker.getTypeAtLocation(expression);
    return checker.isArrayType(type) || checker.isTupleType(type);
  } catch {
    return false;
  }
}
