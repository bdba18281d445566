import type * as ts from 'typescript';
import { isAsyncGeneratorFunction, skipOuter, type JsFacts } from './facts';
import { isPromiseType } from './promises';

/** The methods that step an iterator by hand. */
export type StepMethod = 'next' | 'return' | 'throw';

const STEP_METHODS: ReadonlySet<string> = new Set<StepMethod>(['next', 'return', 'throw']);

/** How deep a chain of `const a = b` is followed. */
const MAX_DEPTH = 8;

/**
 * Whether `call` steps an async iterator by hand (`it.next()`,
 * `it.return()`, `it.throw(e)`), whose result is a promise of the iterator
 * result. With types: the receiver's `next` returns a `Promise` of something
 * with `done`, and so does the method called (`AsyncGenerator`,
 * `AsyncIterator`, `AsyncIterableIterator`…); a receiver whose type says it is
 * anything else is never one. When the type says nothing (`any`, no checker),
 * from syntax: the result of calling a local `async function*` (directly, as a
 * method, through a `const`), or of `x[Symbol.asyncIterator]()`.
 */
export function asyncIteratorStep(facts: JsFacts, call: ts.CallExpression): StepMethod | undefined {
  const { ts } = facts;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !STEP_METHODS.has(callee.name.text)) return undefined;
  const method = callee.name.text as StepMethod;
  const typed = typedVerdict(facts, callee.expression, call);
  if (typed === 'yes') return method;
  if (typed === 'no') return undefined;
  if (!mayMakeAsyncIterators(facts.sourceFile)) return undefined;
  return isSyntacticAsyncIterator(facts, callee.expression, 0) ? method : undefined;
}

const makesAsyncIterators = new WeakMap<ts.SourceFile, boolean>();

/**
 * Whether the file has anything the syntactic answer could find: an async
 * generator or `Symbol.asyncIterator`. Most files have neither, and their
 * many `x.next(v)` calls (observers, cursors) need no declaration index.
 */
function mayMakeAsyncIterators(sourceFile: ts.SourceFile): boolean {
  let found = makesAsyncIterators.get(sourceFile);
  if (found === undefined) makesAsyncIterators.set(sourceFile, (found = /\basync\b[^;{}()]*\*|\bSymbol\.asyncIterator\b/.test(sourceFile.text)));
  return found;
}

function typedVerdict(facts: JsFacts, receiver: ts.Expression, call: ts.CallExpression): 'yes' | 'no' | 'unknown' {
  const { ts } = facts;
  const checker = facts.checker;
  if (!checker) return 'unknown';
  try {
    // The call's own type first (the checker knows it already): a step of an async iterator gives a promise of a result.
    const result = checker.getTypeAtLocation(call);
    if (!(result.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) && !isIteratorResultPromise(facts, checker, result)) return 'no';
    const type = checker.getTypeAtLocation(receiver);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'unknown';
    const next = checker.getApparentType(type).getProperty('next');
    if (!next) return 'no';
    const signatures = checker.getTypeOfSymbolAtLocation(next, receiver).getCallSignatures();
    if (signatures.length === 0) return 'no';
    const stepsAsync = signatures.every((signature) => isIteratorResultPromise(facts, checker, signature.getReturnType()));
    return stepsAsync && isIteratorResultPromise(facts, checker, checker.getTypeAtLocation(call)) ? 'yes' : 'no';
  } catch {
    return 'unknown';
  }
}

/** A `Promise` of an iterator result: every member of what it resolves to has `done`. */
function isIteratorResultPromise(facts: JsFacts, checker: ts.TypeChecker, type: ts.Type): boolean {
  const { ts } = facts;
  if (!isPromiseType(ts, type)) return false;
  const awaited = checker.getAwaitedType(type);
  if (!awaited) return false;
  // `it.return?.()` may be `undefined` as well.
  const members = (awaited.isUnion() ? awaited.types : [awaited]).filter((member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
  return members.length > 0 && members.every((member) => checker.getApparentType(member).getProperty('done') !== undefined);
}

function isSyntacticAsyncIterator(facts: JsFacts, expression: ts.Expression, depth: number): boolean {
  const { ts } = facts;
  if (depth > MAX_DEPTH) return false;
  const node = skipOuter(ts, expression);
  if (ts.isIdentifier(node)) {
    const declaration = facts.singleDeclaration(node);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) return false;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return false;
    return isSyntacticAsyncIterator(facts, declaration.initializer, depth + 1);
  }
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuter(ts, node.expression);
  // x[Symbol.asyncIterator]()
  if (ts.isElementAccessExpression(callee)) {
    const argument = callee.argumentExpression;
    return ts.isPropertyAccessExpression(argument) && argument.name.text === 'asyncIterator'
      && ts.isIdentifier(argument.expression) && argument.expression.text === 'Symbol' && facts.isUndeclared(argument.expression);
  }
  const target = facts.resolveValue(callee, depth + 1);
  return target !== undefined && isAsyncGeneratorFunction(ts, target);
}
