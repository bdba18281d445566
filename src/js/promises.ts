import type * as ts from 'typescript';
import { hasModifier, skipOuter, type JsFacts } from './facts';

/**
 * Facts about promises that are already running. A real `Promise` exists
 * only once its work has started, so an array of them is a set of operations
 * in flight. A mere thenable is different: query builders and other lazy
 * thenables start only when `then` is called, so they are never assumed.
 */

/** How deep a chain of `const a = b` is followed. */
const MAX_DEPTH = 8;

/**
 * Functions of Node's promise modules that return a promise (not the ones
 * returning an async iterable: `fs/promises#watch`, `timers/promises#setInterval`).
 */
const PROMISE_FUNCTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  'fs/promises': new Set(['access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir', 'mkdtemp', 'open', 'opendir', 'readdir', 'readFile', 'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs', 'symlink', 'truncate', 'unlink', 'utimes', 'writeFile']),
  'timers/promises': new Set(['setTimeout', 'setImmediate']),
  'stream/promises': new Set(['pipeline', 'finished']),
  'dns/promises': new Set(['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveTxt', 'reverse']),
};

/** Static methods of `Promise` that return a promise. */
const PROMISE_STATICS = new Set(['resolve', 'reject', 'all', 'allSettled', 'any', 'race', 'try']);

/** `Iterator` helpers are lazy: `iterator.map(f)` calls `f` only when the next item is asked for. */
const ITERATOR_SOURCES = new Set(['values', 'keys', 'entries']);

/** Whether `type` is the global `Promise` (every member of a union, `null`/`undefined` aside). */
export function isPromiseType(ts: JsFacts['ts'], type: ts.Type): boolean {
  const members = type.isUnion() ? type.types.filter((member) => !(member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))) : [type];
  return members.length > 0 && members.every((member) => {
    const symbol = member.getSymbol();
    return symbol?.getName() === 'Promise' && (symbol.getDeclarations() ?? []).some((declaration) => isGlobalDeclaration(ts, declaration));
  });
}

/** Declared in a declaration file at global scope (the standard library, or a `declare global` that merges into it). */
function isGlobalDeclaration(ts: JsFacts['ts'], declaration: ts.Declaration): boolean {
  const file = declaration.getSourceFile();
  if (!file.isDeclarationFile) return false;
  const parent = declaration.parent;
  return (ts.isSourceFile(parent) && !ts.isExternalModule(parent)) || (ts.isModuleBlock(parent) && (parent.parent.flags & ts.NodeFlags.GlobalAugmentation) !== 0);
}

/**
 * From the type of an iterated expression: `promises` for an array, or a
 * tuple of two or more elements, whose elements are all promises; `other` for
 * any other array or tuple; `unknown` when the type says nothing (`any`, an
 * element of type `any`, not an array).
 */
export function typedPromiseArray(facts: JsFacts, expression: ts.Expression): 'promises' | 'other' | 'unknown' {
  const { ts } = facts;
  const checker = facts.checker;
  if (!checker || typeof checker.isArrayType !== 'function' || typeof checker.isTupleType !== 'function') return 'unknown';
  let type: ts.Type;
  try {
    type = checker.getTypeAtLocation(expression);
  } catch {
    return 'unknown';
  }
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'unknown';
  const isArray = checker.isArrayType(type);
  if (!isArray && !checker.isTupleType(type)) return 'unknown';
  const elements = checker.getTypeArguments(type as ts.TypeReference);
  if (elements.some((element) => element.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return 'unknown';
  if (!isArray && elements.length < 2) return 'other';
  return elements.length > 0 && elements.every((element) => isPromiseType(ts, element)) ? 'promises' : 'other';
}

/**
 * From syntax: whether an expression makes a promise that is running now:
 * `fetch(…)`, `new Promise(…)`, `Promise.resolve(…)` and the other statics, a
 * call of a local `async` function or method, an `async` function called on
 * the spot, a function of Node's promise modules (`fs/promises`,
 * `fs.promises`, `timers/promises`…), `.then` / `.catch` / `.finally` on one
 * of those, or a `const` bound to one.
 */
function isStartedPromise(facts: JsFacts, expression: ts.Expression, depth = 0): boolean {
  const { ts } = facts;
  if (depth > MAX_DEPTH) return false;
  const node = skipOuter(ts, expression);
  if (ts.isNewExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === 'Promise' && facts.isUndeclared(node.expression);
  if (ts.isIdentifier(node)) {
    const declaration = constInitializer(facts, node);
    return declaration !== undefined && isStartedPromise(facts, declaration, depth + 1);
  }
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuter(ts, node.expression);
  if (ts.isIdentifier(callee) && callee.text === 'fetch' && facts.isUndeclared(callee)) return true;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const receiver = skipOuter(ts, callee.expression);
    if (ts.isIdentifier(receiver) && receiver.text === 'Promise' && facts.isUndeclared(receiver)) return PROMISE_STATICS.has(method);
    if ((method === 'then' || method === 'catch' || method === 'finally') && isStartedPromise(facts, receiver, depth + 1)) return true;
  }
  if (isAsyncFunction(facts, callee, depth)) return true;
  const reference = facts.moduleReference(callee);
  if (!reference) return false;
  const [first, second, ...rest] = reference.path;
  if (first !== undefined && second === undefined && PROMISE_FUNCTIONS[reference.module]?.has(first)) return true;
  // `fs.promises.readFile`, `dns.promises.lookup`
  return first === 'promises' && second !== undefined && rest.length === 0 && (PROMISE_FUNCTIONS[`${reference.module}/promises`]?.has(second) ?? false);
}

/** Whether a promise made by `expression` has its rejection handled where it is made: `p.catch(…)`, `p.then(onFulfilled, onRejected)`. */
function isHandledPromise(facts: JsFacts, expression: ts.Expression): boolean {
  const { ts } = facts;
  const node = skipOuter(ts, expression);
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const method = node.expression.name.text;
  return (method === 'catch' && node.arguments.length > 0) || (method === 'then' && node.arguments.length > 1);
}

/** What the elements of an array made from syntax are. */
export interface PromiseArray {
  /** Every element is a promise already running. */
  readonly started: boolean;
  /** Every element's rejection is handled where it is made. */
  readonly handled: boolean;
}

/**
 * An array of running promises as syntax shows it: an array literal of two or
 * more of them, `xs.map(f)` / `Array.from(xs, f)` where `f` is `async` or
 * returns one (`(u) => fetch(u)`, a local `async function`, `fetch`), or a
 * `const` bound to one of those. `xs.map` on an iterator (`xs.values()`, a
 * generator) is lazy and never counts.
 */
export function promiseArray(facts: JsFacts, expression: ts.Expression, depth = 0): PromiseArray | undefined {
  const { ts } = facts;
  if (depth > MAX_DEPTH) return undefined;
  const node = skipOuter(ts, expression);
  if (ts.isIdentifier(node)) {
    const initializer = constInitializer(facts, node);
    return initializer ? promiseArray(facts, initializer, depth + 1) : undefined;
  }
  if (ts.isArrayLiteralExpression(node)) {
    const elements = node.elements;
    if (elements.length < 2 || elements.some((element) => ts.isSpreadElement(element) || ts.isOmittedExpression(element))) return undefined;
    if (!elements.every((element) => isStartedPromise(facts, element))) return undefined;
    return { started: true, handled: elements.every((element) => isHandledPromise(facts, element)) };
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuter(ts, node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  let mapper: ts.Expression | undefined;
  if (callee.name.text === 'map' && node.arguments.length >= 1 && !isLazyIterator(facts, callee.expression, depth + 1)) mapper = node.arguments[0];
  else if (callee.name.text === 'from' && node.arguments.length >= 2 && ts.isIdentifier(callee.expression) && callee.expression.text === 'Array' && facts.isUndeclared(callee.expression)) mapper = node.arguments[1];
  return mapper && !ts.isSpreadElement(mapper) ? mapperResult(facts, mapper, depth) : undefined;
}

/** What calling a mapping function gives: a running promise (handled or not), or undefined when unknown. */
function mapperResult(facts: JsFacts, mapper: ts.Expression, depth: number): PromiseArray | undefined {
  const { ts } = facts;
  const node = skipOuter(ts, mapper);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    if (node.asteriskToken) return undefined;
    if (hasModifier(ts, node, ts.SyntaxKind.AsyncKeyword)) return { started: true, handled: catchesEverything(facts, node.body) };
    const returned = returnedExpression(ts, node.body);
    if (!returned || !isStartedPromise(facts, returned)) return undefined;
    return { started: true, handled: isHandledPromise(facts, returned) };
  }
  if (ts.isIdentifier(node) && node.text === 'fetch' && facts.isUndeclared(node)) return { started: true, handled: false };
  if (isAsyncFunction(facts, node, depth)) return { started: true, handled: false };
  return undefined;
}

/** The one expression a function body returns: an arrow's expression body, or a block that is a single `return`. */
function returnedExpression(ts: JsFacts['ts'], body: ts.ConciseBody): ts.Expression | undefined {
  if (!ts.isBlock(body)) return body;
  const only = body.statements.length === 1 ? body.statements[0] : undefined;
  return only && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** An `async` body that is one `try … catch` whose handler throws nothing: the promise it makes cannot reject. */
function catchesEverything(facts: JsFacts, body: ts.ConciseBody): boolean {
  const { ts } = facts;
  if (!ts.isBlock(body)) return isHandledPromise(facts, body);
  const only = body.statements.length === 1 ? body.statements[0] : undefined;
  if (!only || !ts.isTryStatement(only) || !only.catchClause) return false;
  let throws = false;
  const visit = (node: ts.Node): void => {
    if (throws || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isThrowStatement(node)) throws = true;
    else ts.forEachChild(node, visit);
  };
  visit(only.catchClause.block);
  if (only.finallyBlock) visit(only.finallyBlock);
  return !throws;
}

/** A local `async` function (not an async generator) that `callee` names, directly or through `this.method` and `const` bindings. */
function isAsyncFunction(facts: JsFacts, callee: ts.Expression, depth: number): boolean {
  const { ts } = facts;
  const target = facts.resolveValue(callee, depth + 1);
  if (!target || !(ts.isFunctionDeclaration(target) || ts.isFunctionExpression(target) || ts.isArrowFunction(target) || ts.isMethodDeclaration(target))) return false;
  return !target.asteriskToken && hasModifier(ts, target, ts.SyntaxKind.AsyncKeyword);
}

/** `xs.values()`, `Iterator.from(…)`, a generator's result, or a helper chained on one: `map` on those is lazy. */
function isLazyIterator(facts: JsFacts, expression: ts.Expression, depth: number): boolean {
  const { ts } = facts;
  if (depth > MAX_DEPTH) return false;
  const node = skipOuter(ts, expression);
  if (ts.isIdentifier(node)) {
    const initializer = constInitializer(facts, node);
    return initializer !== undefined && isLazyIterator(facts, initializer, depth + 1);
  }
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuter(ts, node.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (ITERATOR_SOURCES.has(method) && node.arguments.length === 0) return true;
    if (method === 'from' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Iterator') return true;
    if (['map', 'filter', 'take', 'drop', 'flatMap'].includes(method) && isLazyIterator(facts, callee.expression, depth + 1)) return true;
  }
  const target = facts.resolveValue(callee, depth + 1);
  return target !== undefined && (ts.isFunctionDeclaration(target) || ts.isFunctionExpression(target) || ts.isMethodDeclaration(target)) && target.asteriskToken !== undefined;
}

/** The array literal an expression is, directly or through `const` bindings. */
export function arrayLiteralOf(facts: JsFacts, expression: ts.Expression, depth = 0): ts.ArrayLiteralExpression | undefined {
  const { ts } = facts;
  if (depth > MAX_DEPTH) return undefined;
  const node = skipOuter(ts, expression);
  if (ts.isArrayLiteralExpression(node)) return node;
  const initializer = ts.isIdentifier(node) ? constInitializer(facts, node) : undefined;
  return initializer ? arrayLiteralOf(facts, initializer, depth + 1) : undefined;
}

/** The initializer of the one `const` declaration `identifier` names. */
function constInitializer(facts: JsFacts, identifier: ts.Identifier): ts.Expression | undefined {
  const { ts } = facts;
  const declaration = facts.singleDeclaration(identifier);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0 ? declaration.initializer : undefined;
}
