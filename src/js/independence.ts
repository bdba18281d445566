import type * as ts from 'typescript';
import { JsFacts, isAsyncGeneratorFunction, skipOuter, type ModuleReference } from './facts';
import { isArrayLike } from './arrays';
import type { TypeScript } from './rule';
import {
  JS_CLIENT_EXTENDERS, JS_CLIENT_FACTORIES, JS_CLIENT_RECONFIGURERS, JS_CLIENT_STATEFUL_OPTIONS, JS_CLIENT_WORK, JS_KNOWN_WORK, JS_PROMISIFIED_WORK,
  workKey, type ClientKind, type WorkKind,
} from './known-work';

/*
 * "Is this awaited call a piece of independent work?" Most awaits in a loop
 * are one at a time on purpose: writes to one stream or connection, reads
 * from a queue, pacing, retries, steps of a browser session. This module says
 * yes only on evidence that a call does its own I/O and touches nothing
 * shared:
 *   - a call on the known-work table (known-work.ts) through the file's
 *     imports: the global `fetch`, `got`, `axios`, `undici`, `fs/promises`
 *     reads, `dns/promises` lookups, `execa`; `util.promisify` of
 *     `child_process.exec` / `execFile` and of `fs` reads; `import(...)`;
 *     and reading the body of such a request (`got(url).json()`);
 *   - a local `async` function (or a method of `this`'s class) whose own
 *     code only does such work (or only sleeps, standing in for it), writes
 *     nothing outside itself, steps no iterator it did not make, and paces
 *     nothing; a `for await` in it over an async generator of this file
 *     that is itself such work counts as that work (the Python rule's
 *     `async for` over a local async generator);
 *   - with a type checker, the same of an `async` function another file of
 *     the project declares and this one imports.
 * Anything else is "not known to be independent", and the rules stay silent.
 */

/** How deep local functions calling local functions are followed. */
const MAX_DEPTH = 3;

/** Reading the body of a response: part of the same request. */
const BODY_READERS: ReadonlySet<string> = new Set(['json', 'text', 'buffer', 'arrayBuffer', 'blob', 'formData']);

/** Methods that change the object they are called on, send something through it, or step it (`next`). */
const MUTATING: ReadonlySet<string> = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'set', 'add', 'delete', 'clear', 'append',
  'write', 'end', 'send', 'emit', 'publish', 'query', 'execute', 'insert', 'insertOne', 'insertMany', 'update', 'updateOne', 'save', 'commit',
  'next',
]);

/** What kind of independent work awaiting this expression is, or undefined when that is not known. */
export function independentWork(expression: ts.Expression, facts: JsFacts, depth = 0): WorkKind | undefined {
  const { ts } = facts;
  const node = skipOuter(ts, expression);
  if (!ts.isCallExpression(node)) return undefined;
  if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return 'import';
  const callee = skipOuter(ts, node.expression);
  if (ts.isPropertyAccessExpression(callee) && BODY_READERS.has(callee.name.text) && node.arguments.length === 0) {
    const request = independentWork(callee.expression, facts, depth);
    if (request === 'request') return request;
  }
  const known = knownWork(callee, facts);
  if (known === 'request' && writesToOneUrl(node, callee, facts)) return undefined;
  if (known) return known;
  if (depth >= MAX_DEPTH) return undefined;
  const fn = facts.resolveValue(callee, 0);
  if (fn) return isPlainAsyncFunction(ts, fn, facts) && touchesNothingShared(fn as ts.FunctionLikeDeclaration, facts, depth) ? 'local' : undefined;
  const imported = importedFunction(callee, facts);
  return imported && touchesNothingShared(imported.fn, imported.facts, depth) ? 'local' : undefined;
}

/** Request methods that change something on the server: several of them to one URL are ordered writes to one sink. */
const WRITE_METHODS: ReadonlySet<string> = new Set(['post', 'put', 'patch', 'delete']);
const READ_METHODS: ReadonlySet<string> = new Set(['get', 'head', 'options']);

/**
 * A request that writes (`got.post(url, …)`, `fetch(url, { method: 'POST' })`,
 * `app.inject({ method: 'PUT', url })`, or a method not written out) to a URL
 * that is the same every time: nothing in the URL is declared in the loop or
 * function around the call. Like `stream.write` on one stream, those are
 * ordered writes to one sink (an append-only endpoint, a counter, a queue),
 * not independent work. A write to a per-item URL (`PUT /items/${id}`) stays
 * independent work, as does any read.
 */
function writesToOneUrl(call: ts.CallExpression, callee: ts.Expression, facts: JsFacts): boolean {
  const { ts } = facts;
  const member = ts.isPropertyAccessExpression(callee) ? callee.name.text.toLowerCase() : undefined;
  const [first, second] = call.arguments;
  const options = objectLiteral(ts, first);
  const url = options ? propertyValue(ts, options, ['url', 'path', 'uri']) : first;
  const methodOptions = options ?? objectLiteral(ts, second);
  let writes: boolean;
  if (member && WRITE_METHODS.has(member)) writes = true;
  else if (member && READ_METHODS.has(member)) writes = false;
  else {
    const method = methodOptions ? propertyValue(ts, methodOptions, ['method']) : undefined;
    const literal = method && skipOuter(ts, method);
    const named = literal && ts.isStringLiteralLike(literal) ? literal.text.toLowerCase() : undefined;
    // No method written: a GET, when the options are written out. Options held elsewhere, spread in, or a
    // method that is not a literal may say anything: a write, for all we know.
    const optionsElsewhere = !options && second !== undefined && !methodOptions;
    writes = optionsElsewhere || hasSpread(ts, methodOptions) || (method !== undefined && (named === undefined || !READ_METHODS.has(named)));
  }
  if (!writes) return false;
  return !url || !dependsOnScope(url, call, facts);
}

function objectLiteral(ts: TypeScript, expression: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const node = expression && skipOuter(ts, expression);
  return node && ts.isObjectLiteralExpression(node) ? node : undefined;
}

function propertyValue(ts: TypeScript, object: ts.ObjectLiteralExpression, names: readonly string[]): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && names.includes(property.name.text)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && names.includes(property.name.text)) return property.name;
  }
  return undefined;
}

function hasSpread(ts: TypeScript, object: ts.ObjectLiteralExpression | undefined): boolean {
  return object?.properties.some((property) => ts.isSpreadAssignment(property)) ?? false;
}

/**
 * Whether an expression reads a name declared in the innermost loop or
 * function around `at` (its item, a value computed from it, a parameter), or
 * a name assigned more than once: then it may differ from one call to the next.
 */
function dependsOnScope(expression: ts.Expression, at: ts.Node, facts: JsFacts): boolean {
  const { ts } = facts;
  let scope: ts.Node | undefined = at.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isIterationStatement(scope, false)) scope = scope.parent;
  if (!scope) return true;
  let depends = false;
  const visit = (node: ts.Node): void => {
    if (depends) return;
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      if (!facts.isUndeclared(node)) {
        const declaration = facts.singleDeclaration(node);
        if (!declaration || (declaration.pos >= scope!.pos && declaration.end <= scope!.end)) depends = true;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return depends;
}

// The facts of the other files an analysis follows imported functions into, one per file.
const otherFiles = new WeakMap<JsFacts, Map<ts.SourceFile, JsFacts>>();

/**
 * With a type checker: the `async` function of another file of the project
 * that an imported name (or a member of a namespace import) declares
 * (`import { download } from './net'`), with the facts of its file, to be
 * judged as a local function is. Never one of a declaration file or of a
 * dependency (`node_modules`): only code whose body is there to read.
 */
function importedFunction(callee: ts.Expression, facts: JsFacts): { fn: ts.FunctionLikeDeclaration; facts: JsFacts } | undefined {
  const { ts, checker } = facts;
  if (!checker) return undefined;
  const node = skipOuter(ts, callee);
  const name = ts.isPropertyAccessExpression(node) ? node.name : node;
  if (!ts.isIdentifier(name)) return undefined;
  let symbol: ts.Symbol | undefined;
  try {
    symbol = checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  } catch {
    return undefined;
  }
  const declarations = symbol?.declarations ?? [];
  if (declarations.length !== 1) return undefined;
  const declaration = declarations[0]!;
  // A function, not a method: what an instance's method touches depends on the instance.
  if (!ts.isFunctionDeclaration(declaration) && !ts.isVariableDeclaration(declaration)) return undefined;
  const sourceFile = declaration.getSourceFile();
  if (sourceFile === facts.sourceFile || sourceFile.isDeclarationFile || /[\\/]node_modules[\\/]/.test(sourceFile.fileName)) return undefined;
  let files = otherFiles.get(facts);
  if (!files) otherFiles.set(facts, (files = new Map()));
  let other = files.get(sourceFile);
  if (!other) files.set(sourceFile, (other = new JsFacts(ts, sourceFile, checker, facts.known, facts.ownPackage)));
  // Declared once in its file and never assigned again: the function that runs.
  const declaredName = (declaration as ts.NamedDeclaration).name;
  if (!declaredName || !ts.isIdentifier(declaredName) || other.singleDeclaration(declaredName) !== declaration) return undefined;
  const fn = ts.isVariableDeclaration(declaration) ? other.resolveValue(declaredName, 0) : declaration;
  return fn && isPlainAsyncFunction(ts, fn, other) ? { fn: fn as ts.FunctionLikeDeclaration, facts: other } : undefined;
}

function isPlainAsyncFunction(ts: JsFacts['ts'], node: ts.Node, facts: JsFacts): boolean {
  if (!(ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node))) return false;
  return facts.isAsync(node) && !isAsyncGeneratorFunction(ts, node) && node.body !== undefined;
}

/**
 * The async generator of this file a `for await` consumes: a call to one
 * (`belt(name)`), directly or through a `const` the function holds
 * (`const plates = belt(name)`); never a generator object from elsewhere,
 * which other code may be consuming too.
 */
function localAsyncGenerator(expression: ts.Expression, facts: JsFacts): ts.FunctionLikeDeclaration | undefined {
  const { ts } = facts;
  let node = skipOuter(ts, expression);
  if (ts.isIdentifier(node)) {
    const declaration = facts.singleDeclaration(node);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
    if (facts.enclosingFunction(declaration) !== facts.enclosingFunction(node)) return undefined;
    node = skipOuter(ts, declaration.initializer);
  }
  if (!ts.isCallExpression(node)) return undefined;
  const fn = facts.resolveValue(node.expression, 0);
  return fn && isAsyncGeneratorFunction(ts, fn) && (fn as ts.FunctionLikeDeclaration).body ? (fn as ts.FunctionLikeDeclaration) : undefined;
}

/** `app.inject`, `api.get`, `api` itself: a request through a client made in this file (see `JS_CLIENT_FACTORIES`). */
function clientCall(callee: ts.Expression, facts: JsFacts): WorkKind | undefined {
  const { ts } = facts;
  let receiver = callee;
  let member = '';
  if (ts.isPropertyAccessExpression(callee)) {
    receiver = skipOuter(ts, callee.expression);
    member = callee.name.text;
  }
  if (!ts.isIdentifier(receiver)) return undefined;
  const kind = clientKind(receiver, facts, 0);
  return kind && JS_CLIENT_WORK.get(kind)?.has(member) ? 'request' : undefined;
}

/**
 * The kind of client a name holds: a `const` made by a client factory of
 * the table (`Fastify()`, `got.extend({ prefixUrl })`, `require('fastify')()`)
 * or by extending such a client, with options that keep no state between
 * requests, and never reconfigured by the file afterwards.
 */
function clientKind(name: ts.Identifier, facts: JsFacts, depth: number): ClientKind | undefined {
  const { ts } = facts;
  if (depth > MAX_DEPTH) return undefined;
  const declaration = facts.singleDeclaration(name);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  if (!(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
  const call = skipOuter(ts, declaration.initializer);
  if (!ts.isCallExpression(call)) return undefined;
  const factory = skipOuter(ts, call.expression);
  let kind: ClientKind | undefined;
  const reference = facts.moduleReference(factory) ?? requireCall(factory, facts);
  if (reference) kind = JS_CLIENT_FACTORIES.get(workKey(reference.module, reference.path));
  else if (ts.isPropertyAccessExpression(factory) && ts.isIdentifier(factory.expression)) {
    const base = clientKind(factory.expression, facts, depth + 1);
    if (base && JS_CLIENT_EXTENDERS.get(base) === factory.name.text) kind = base;
  }
  if (!kind || !statelessOptions(call.arguments, JS_CLIENT_STATEFUL_OPTIONS.get(kind), facts)) return undefined;
  if (kind !== 'fastify' && isReconfigured(declaration, facts)) return undefined;
  return kind;
}

/** `require('fastify')` as a callee: the module itself. */
function requireCall(expression: ts.Expression, facts: JsFacts): ModuleReference | undefined {
  const { ts } = facts;
  if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression) || expression.expression.text !== 'require' || !facts.isUndeclared(expression.expression)) return undefined;
  const [specifier] = expression.arguments;
  return expression.arguments.length === 1 && specifier && ts.isStringLiteralLike(specifier) ? { module: facts.moduleOf(specifier.text), path: [] } : undefined;
}

/** Options written out in full (object literals of plain keys), none of them `stateful`; `undefined` accepts any. */
function statelessOptions(args: readonly ts.Expression[], stateful: ReadonlySet<string> | undefined, facts: JsFacts): boolean {
  const { ts } = facts;
  if (!stateful) return true;
  return args.every((argument) => {
    const node = skipOuter(ts, argument);
    if (!ts.isObjectLiteralExpression(node)) return false;
    return node.properties.every((property) => {
      if (!(ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property) || ts.isMethodDeclaration(property))) return false;
      const key = property.name;
      const text = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
      return text !== undefined && !stateful.has(text);
    });
  });
}

// Whether each client declaration is reached through a reconfiguring member somewhere in its file.
const reconfigured = new WeakMap<ts.SourceFile, Set<string>>();

/** Whether the file reaches a client through `interceptors` or `defaults` (`api.interceptors.request.use(…)`). */
function isReconfigured(declaration: ts.VariableDeclaration, facts: JsFacts): boolean {
  const { ts, sourceFile } = facts;
  let names = reconfigured.get(sourceFile);
  if (!names) {
    const found = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && JS_CLIENT_RECONFIGURERS.has(node.name.text)) {
        const receiver = skipOuter(ts, node.expression);
        if (ts.isIdentifier(receiver)) found.add(receiver.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    reconfigured.set(sourceFile, (names = found));
  }
  // By name (any scope): a client handed to a helper under another name and reconfigured there is not seen.
  return names.has((declaration.name as ts.Identifier).text);
}

/** A callee on the known-work table, directly or promisified. */
function knownWork(callee: ts.Expression, facts: JsFacts): WorkKind | undefined {
  const { ts } = facts;
  if (ts.isIdentifier(callee) && facts.isUndeclared(callee)) return JS_KNOWN_WORK.get(`#${callee.text}`);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'globalThis' && facts.isUndeclared(callee.expression)) {
    return JS_KNOWN_WORK.get(`#globalThis.${callee.name.text}`);
  }
  const reference = facts.moduleReference(callee);
  if (reference) return JS_KNOWN_WORK.get(workKey(reference.module, reference.path));
  const client = clientCall(callee, facts);
  if (client) return client;
  // const exec = promisify(childProcess.exec)
  if (!ts.isIdentifier(callee)) return undefined;
  const declaration = facts.singleDeclaration(callee);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const initializer = skipOuter(ts, declaration.initializer);
  if (!ts.isCallExpression(initializer) || initializer.arguments.length !== 1) return undefined;
  const promisify = facts.moduleReference(initializer.expression);
  if (!promisify || promisify.module !== 'util' || workKey(promisify.module, promisify.path) !== 'util#promisify') return undefined;
  const wrapped = facts.moduleReference(initializer.arguments[0]!);
  return wrapped ? JS_PROMISIFIED_WORK.get(workKey(wrapped.module, wrapped.path)) : undefined;
}

/**
 * A sleep standing in for work, or pacing: `new Promise((r) => setTimeout(r, ms))`,
 * `setTimeout(ms)` of `timers/promises`, `scheduler.wait(ms)`, or a local
 * function that returns one of those.
 */
function isSleep(expression: ts.Expression, facts: JsFacts, depth = 0): boolean {
  const { ts } = facts;
  const node = skipOuter(ts, expression);
  if (ts.isNewExpression(node)) {
    const executor = node.arguments?.[0];
    if (!ts.isIdentifier(node.expression) || node.expression.text !== 'Promise' || !executor) return false;
    let calls = false;
    const visit = (child: ts.Node): void => {
      if (ts.isCallExpression(child) && ts.isIdentifier(child.expression) && child.expression.text === 'setTimeout') calls = true;
      ts.forEachChild(child, visit);
    };
    visit(executor);
    return calls;
  }
  if (!ts.isCallExpression(node)) return false;
  const reference = facts.moduleReference(node.expression);
  if (reference && reference.module === 'timers/promises') {
    const key = reference.path.join('.');
    return key === 'setTimeout' || key === 'scheduler.wait';
  }
  if (depth >= MAX_DEPTH) return false;
  const fn = facts.resolveValue(node.expression, 0);
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) || !fn.body) return false;
  if (!ts.isBlock(fn.body)) return isSleep(fn.body, facts, depth + 1);
  const only = fn.body.statements.length === 1 ? fn.body.statements[0] : undefined;
  return !!only && ts.isReturnStatement(only) && !!only.expression && isSleep(only.expression, facts, depth + 1);
}

/**
 * Whether an `async` function does only independent work: every await in
 * its code is such work, a follow-up on a value of its own
 * (`await response.json()`), or a sleep standing in for work (never a sleep
 * beside real work: that is pacing); and it writes nothing that outlives
 * the call: no variable of an outer scope, no member of a parameter, of
 * `this` or of an outer value, no such object changed in place.
 */
function touchesNothingShared(fn: ts.FunctionLikeDeclaration, facts: JsFacts, depth: number): boolean {
  const { ts } = facts;
  const declared = new Set<string>();
  const parameters = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isBindingElement(node)) {
      if (ts.isIdentifier(node.name)) declared.add(node.name.text);
    } else if (ts.isParameter(node) && ts.isIdentifier(node.name)) parameters.add(node.name.text);
    else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) declared.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(fn);
  const rootName = (expression: ts.Expression): string | undefined => {
    let node = skipOuter(ts, expression);
    while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) node = skipOuter(ts, node.expression);
    return ts.isIdentifier(node) ? node.text : undefined;
  };
  /** A value the function made itself (not a parameter, not `this`, not an outer value). */
  const isOwn = (expression: ts.Expression): boolean => {
    const root = rootName(expression);
    return root !== undefined && declared.has(root);
  };
  const isMine = (name: string) => declared.has(name) || parameters.has(name);

  let shared = false;
  let sleeps = 0;
  let work = 0;
  const writes = (target: ts.Expression): void => {
    const node = skipOuter(ts, target);
    if (ts.isIdentifier(node)) {
      if (!isMine(node.text)) shared = true;
    } else if (ts.isArrayLiteralExpression(node)) {
      for (const element of node.elements) writes(ts.isSpreadElement(element) ? element.expression : element);
    } else if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isShorthandPropertyAssignment(property)) writes(property.name);
        else if (ts.isPropertyAssignment(property)) writes(property.initializer);
        else if (ts.isSpreadAssignment(property)) writes(property.expression);
      }
    } else if (!isOwn(node)) shared = true;
  };
  const visit = (node: ts.Node): void => {
    if (shared) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) writes(node.left);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) writes(node.operand);
    else if (ts.isDeleteExpression(node)) writes(node.expression);
    else if (ts.isForOfStatement(node) && node.awaitModifier) {
      // Consuming an async generator of this file that itself only does independent work is that work; any other source may be shared (a queue, a stream).
      const generator = localAsyncGenerator(node.expression, facts);
      if (generator && depth + 1 < MAX_DEPTH && touchesNothingShared(generator, facts, depth + 1)) work++;
      else shared = true;
    } else if (ts.isForOfStatement(node) && !isOwn(node.expression) && !isArrayLike(facts, node.expression)) {
      // Stepping an iterator someone else holds takes its elements from them (workers sharing one iterator).
      shared = true;
    }
    else if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.AwaitUsing) shared = true;
    else if (ts.isCallExpression(node)) {
      const callee = skipOuter(ts, node.expression);
      if (ts.isPropertyAccessExpression(callee) && MUTATING.has(callee.name.text) && !isOwn(callee.expression)) shared = true;
    } else if (ts.isAwaitExpression(node)) {
      if (isSleep(node.expression, facts)) sleeps++;
      else if (independentWork(node.expression, facts, depth + 1)) work++;
      else if (!isOwn(node.expression)) shared = true;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  // Sleeping beside real work paces it; sleeping alone stands in for the work (examples, tests).
  return !shared && (work > 0 ? sleeps === 0 : sleeps > 0);
}
