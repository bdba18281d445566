import type * as ts from 'typescript';
import { skipOuter, type JsFacts } from './facts';

/*
 * "Does iterating this value go through an array?" Asked by AIT301's fix
 * (`.map` exists and keeps the order) and by the independence judgement
 * (iterating an array a function did not make reads it; iterating an
 * iterator it did not make takes elements from whoever else holds it).
 */

/** Array-producing calls: `Object.keys(o)`, `Array.from(xs)`… */
const ARRAY_FACTORIES: ReadonlySet<string> = new Set(['Object.keys', 'Object.values', 'Object.entries', 'Array.from', 'Array.of']);
/** Array methods that return a new array. */
const ARRAY_METHODS: ReadonlySet<string> = new Set(['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'toSorted', 'toReversed', 'toSpliced', 'with']);

/**
 * Whether iterating the expression goes through an array (so `.map` exists
 * and keeps the order): from the type when there is one; else an array
 * literal, `Object.keys/values/entries(…)`, `Array.from(…)`, a copying array
 * method on one of those, or a name declared with one or with an array type.
 */
export function isArrayLike(facts: JsFacts, expression: ts.Expression, depth = 0): boolean {
  const { ts, checker } = facts;
  const node = skipOuter(ts, expression);
  if (checker && depth === 0) {
    const typed = typedArray(facts, node);
    if (typed !== undefined) return typed;
  }
  if (depth > 4) return false;
  if (ts.isArrayLiteralExpression(node)) return true;
  if (ts.isCallExpression(node)) {
    const callee = skipOuter(ts, node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    if (ts.isIdentifier(callee.expression) && facts.isUndeclared(callee.expression) && ARRAY_FACTORIES.has(`${callee.expression.text}.${callee.name.text}`)) return true;
    return ARRAY_METHODS.has(callee.name.text) && isArrayLike(facts, callee.expression, depth + 1);
  }
  if (!ts.isIdentifier(node)) return false;
  const declaration = facts.singleDeclaration(node);
  if (!declaration || !(ts.isVariableDeclaration(declaration) || ts.isParameter(declaration))) return false;
  if (declaration.type) return isArrayType(ts, declaration.type);
  return ts.isVariableDeclaration(declaration) && !!declaration.initializer && isArrayLike(facts, declaration.initializer, depth + 1);
}

function isArrayType(ts: JsFacts['ts'], type: ts.TypeNode): boolean {
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return true;
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return isArrayType(ts, type.type);
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && (type.typeName.text === 'Array' || type.typeName.text === 'ReadonlyArray');
}

/** From the type: true for arrays and tuples, false for any other known type, undefined when the type says nothing. */
function typedArray(facts: JsFacts, expression: ts.Expression): boolean | undefined {
  const { ts } = facts;
  const checker = facts.checker!;
  if (typeof checker.isArrayType !== 'function' || typeof checker.isTupleType !== 'function') return undefined;
  let type: ts.Type;
  try {
    type = checker.getTypeAtLocation(expression);
  } catch {
    return undefined;
  }
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  const members = type.isUnion() ? type.types : [type];
  return members.every((member) => checker.isArrayType(member) || checker.isTupleType(member));
}
