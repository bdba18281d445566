import type * as ts from 'typescript';
import { hasModifier, skipOuter, wellKnownSymbolName, type JsFacts } from './facts';
import { blockCompletion, ownReturns, type Completion } from './flow';
import type { TypeScript } from './rule';

/**
 * Hand-written iterators: the classes and object literals that implement the
 * iteration protocols themselves (`next()`, `[Symbol.asyncIterator]()`…),
 * which AIT201, AIT205, AIT206 and AIT207 check.
 */

export type IteratorContainer = ts.ClassLikeDeclaration | ts.ObjectLiteralExpression;

/** Protocol member names: `next`, `return`…, and the well-known symbols as `@@iterator` / `@@asyncIterator`. */
export type MemberKey = string;

export const ASYNC_ITERATOR_KEY: MemberKey = '@@asyncIterator';
export const ITERATOR_KEY: MemberKey = '@@iterator';

export interface ContainerShape {
  /** Instance members (a class's non-static ones) by key, in source order. */
  readonly members: ReadonlyMap<MemberKey, readonly (ts.ClassElement | ts.ObjectLiteralElementLike)[]>;
  /** Members may come from elsewhere: a base class, a spread, a name computed at run time. */
  readonly open: boolean;
}

/** A member's key: an identifier, string or number literal, or a well-known symbol; undefined for any other computed name. */
export function memberKey(ts: TypeScript, name: ts.PropertyName | undefined): MemberKey | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return name.text;
  const symbol = wellKnownSymbolName(ts, name);
  if (symbol) return `@@${symbol}`;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

export function containerShape(ts: TypeScript, container: IteratorContainer): ContainerShape {
  const members = new Map<MemberKey, (ts.ClassElement | ts.ObjectLiteralElementLike)[]>();
  let open = ts.isClassLike(container) && (container.heritageClauses?.some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword) ?? false);
  const list: readonly (ts.ClassElement | ts.ObjectLiteralElementLike)[] = ts.isClassLike(container) ? container.members : container.properties;
  for (const member of list) {
    if (ts.isSpreadAssignment(member)) {
      open = true;
      continue;
    }
    if (ts.isClassStaticBlockDeclaration(member) || ts.isSemicolonClassElement(member) || ts.isConstructorDeclaration(member) || ts.isIndexSignatureDeclaration(member)) continue;
    if (ts.isClassElement(member) && hasModifier(ts, member, ts.SyntaxKind.StaticKeyword)) continue;
    const key = memberKey(ts, member.name);
    if (key === undefined) {
      open = true;
      continue;
    }
    const same = members.get(key);
    if (same) same.push(member);
    else members.set(key, [member]);
  }
  return { members, open };
}

/** The container a method or property belongs to, when it is a class or an object literal. */
export function containerOf(ts: TypeScript, member: ts.Node): IteratorContainer | undefined {
  const parent = member.parent;
  return parent && (ts.isClassLike(parent) || ts.isObjectLiteralExpression(parent)) ? parent : undefined;
}

/** A method with a body that is not a generator: the kind whose `return`s the protocol reads. */
export function isPlainMethod(ts: TypeScript, node: ts.Node): node is ts.MethodDeclaration & { body: ts.Block } {
  return ts.isMethodDeclaration(node) && !node.asteriskToken && node.body !== undefined;
}

/** Whether every `return` of a method hands back `this` (and there is one). */
function returnsOnlyThis(ts: TypeScript, method: ts.MethodDeclaration & { body: ts.Block }): boolean {
  const returns = ownReturns(ts, method.body);
  return returns.length > 0 && returns.every((statement) => statement.expression !== undefined && skipOuter(ts, statement.expression).kind === ts.SyntaxKind.ThisKeyword);
}

/** How an object is an iterator, and for which protocols. */
export interface IteratorRole {
  readonly sync: boolean;
  readonly async: boolean;
  /** `[Symbol.asyncIterator]() { return { next() {…} }; }`: the method that makes the literal; its body belongs to the iterator. */
  readonly factory?: ts.MethodDeclaration;
}

/** Members whose assignment from outside changes how an object iterates (a computed key may be a symbol). */
const PROTOCOL_NAMES = new Set(['next', 'return', 'throw']);

const INTERFACES: Readonly<Record<string, 'sync' | 'async'>> = {
  Iterator: 'sync',
  IterableIterator: 'sync',
  AsyncIterator: 'async',
  AsyncIterableIterator: 'async',
};

/**
 * The hand-written iterators of one file: a class or object literal whose
 * `[Symbol.iterator]()` / `[Symbol.asyncIterator]()` returns `this`; an object
 * literal such a method returns (`return { next() {…} }`); a local class it
 * instantiates (`return new PageIterator(this)`); a class that `implements`
 * `Iterator` / `AsyncIterator`. Built once per file, on first use.
 */
class IteratorIndex {
  private readonly roles = new Map<IteratorContainer, { sync: boolean; async: boolean; factory?: ts.MethodDeclaration }>();
  private readonly patched = new Set<string>();

  constructor(private readonly ts: TypeScript, private readonly facts: JsFacts) {
    const stack: ts.Node[] = [facts.sourceFile];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (ts.isMethodDeclaration(node)) this.addFactory(node);
      else if (ts.isClassLike(node)) this.addImplements(node);
      else if (ts.isCallExpression(node) || ts.isBinaryExpression(node)) this.addPatch(node);
      ts.forEachChild(node, (child) => {
        stack.push(child);
      });
    }
  }

  roleOf(container: IteratorContainer): IteratorRole | undefined {
    return this.roles.get(container);
  }

  /**
   * Whether the file adds members to `name` from outside its definition:
   * `Name.prototype[Symbol.asyncIterator] = …`, `name[Symbol.iterator] = …`,
   * `Object.defineProperty(Name.prototype, …)`, `Object.assign(name, …)`.
   */
  isPatched(name: string): boolean {
    return this.patched.has(name);
  }

  private mark(container: IteratorContainer, protocol: 'sync' | 'async', factory?: ts.MethodDeclaration): void {
    const role = this.roles.get(container) ?? { sync: false, async: false };
    role[protocol] = true;
    if (factory) role.factory = factory;
    this.roles.set(container, role);
  }

  private addFactory(method: ts.MethodDeclaration): void {
    const { ts } = this;
    const symbol = wellKnownSymbolName(ts, method.name);
    const container = containerOf(ts, method);
    if (!symbol || !container || !isPlainMethod(ts, method) || hasModifier(ts, method, ts.SyntaxKind.StaticKeyword)) return;
    const protocol = symbol === 'asyncIterator' ? 'async' : 'sync';
    for (const statement of ownReturns(ts, method.body)) {
      const value = statement.expression && skipOuter(ts, statement.expression);
      if (!value) continue;
      if (value.kind === ts.SyntaxKind.ThisKeyword) {
        if (returnsOnlyThis(ts, method)) this.mark(container, protocol);
      } else if (ts.isObjectLiteralExpression(value)) {
        this.mark(value, protocol, method);
      } else if (ts.isNewExpression(value)) {
        const target = this.facts.resolveValue(value.expression, 0);
        if (target && ts.isClassLike(target)) this.mark(target, protocol);
      }
    }
  }

  private addImplements(declaration: ts.ClassLikeDeclaration): void {
    const { ts } = this;
    for (const clause of declaration.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
      for (const type of clause.types) {
        const protocol = ts.isIdentifier(type.expression) ? INTERFACES[type.expression.text] : undefined;
        if (protocol) this.mark(declaration, protocol);
      }
    }
  }

  private addPatch(node: ts.CallExpression | ts.BinaryExpression): void {
    const { ts } = this;
    let target: ts.Expression | undefined;
    if (ts.isBinaryExpression(node)) {
      if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
      const left = skipOuter(ts, node.left);
      const protocolMember = ts.isElementAccessExpression(left) ? !ts.isStringLiteralLike(left.argumentExpression) || PROTOCOL_NAMES.has(left.argumentExpression.text)
        : ts.isPropertyAccessExpression(left) && PROTOCOL_NAMES.has(left.name.text);
      if (!protocolMember) return;
      target = (left as ts.ElementAccessExpression | ts.PropertyAccessExpression).expression;
    } else {
      const callee = skipOuter(ts, node.expression);
      if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object') return;
      if (!['defineProperty', 'defineProperties', 'assign', 'setPrototypeOf'].includes(callee.name.text)) return;
      target = node.arguments[0];
    }
    let base = target && skipOuter(ts, target);
    while (base && ts.isPropertyAccessExpression(base) && base.name.text === 'prototype') base = skipOuter(ts, base.expression);
    if (base && ts.isIdentifier(base)) this.patched.add(base.text);
  }
}

const indexes = new WeakMap<JsFacts, IteratorIndex>();

/** The file's hand-written iterators, shared by every rule that asks. */
export function iteratorIndex(facts: JsFacts): IteratorIndex {
  let index = indexes.get(facts);
  if (!index) indexes.set(facts, (index = new IteratorIndex(facts.ts, facts)));
  return index;
}

/** The name a container is known by in this file: its class name, or the `const` an object literal initialises. */
export function containerName(ts: TypeScript, container: IteratorContainer): ts.Identifier | undefined {
  if (ts.isClassLike(container)) {
    if (container.name) return container.name;
  }
  let node: ts.Node = container;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name : undefined;
}

/**
 * How a method's body ends. A call ends it when it never returns:
 * `process.exit()`, a call typed `never`, or a local function or method
 * whose body always throws.
 */
export function methodCompletion(ts: TypeScript, facts: JsFacts, body: ts.Block): Completion {
  const checker = facts.checker;
  const throwing = new Map<ts.Node, boolean>();
  const neverReturns = (call: ts.CallExpression): boolean => {
    const callee = skipOuter(ts, call.expression);
    const reference = facts.moduleReference(callee);
    if (reference && reference.module === '' && reference.path.join('.').match(/^process\.(exit|abort)$/)) return true;
    if (checker) {
      try {
        if (checker.getTypeAtLocation(call).flags & ts.TypeFlags.Never) return true;
      } catch {
        // A checker that cannot answer says nothing.
      }
    }
    const target = facts.resolveValue(callee, 0);
    if (!target || !(ts.isFunctionDeclaration(target) || ts.isMethodDeclaration(target) || ts.isFunctionExpression(target) || ts.isArrowFunction(target))) return false;
    const targetBody = target.body;
    if (!targetBody || !ts.isBlock(targetBody) || target.asteriskToken || hasModifier(ts, target, ts.SyntaxKind.AsyncKeyword)) return false;
    if (!throwing.has(target)) {
      // Recursion reads as "may return": the entry is false while the body is read.
      throwing.set(target, false);
      throwing.set(target, ownReturns(ts, targetBody).length === 0 && blockCompletion(ts, targetBody.statements, neverReturns) === 'exits');
    }
    return throwing.get(target)!;
  };
  return blockCompletion(ts, body.statements, neverReturns);
}
