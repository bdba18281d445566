import type { KnownApiTable } from './known-apis';
import { Query, type Node } from './parser';
import type { TextRange } from '../engine/types';
import { resolveExport, type ExportKind, type ModuleResolver } from './project';
import {
  classMembers,
  decoratorNames,
  hasAsyncKeyword,
  isAsyncFunction,
  isGenerator,
  unparenthesize,
} from './syntax';

/**
 * Whether a value can be consumed by `for` (sync), by `async for` (async),
 * by both, or we cannot tell. Rules only act on a definite answer.
 */
export type IterabilityKind = 'async' | 'sync' | 'both' | 'unknown';

export interface Iterability {
  readonly kind: IterabilityKind;
  /** Says what the value is, for messages: "the async generator `ticker()`". */
  readonly what: string;
}

export type Binding =
  | { readonly kind: 'param'; readonly fn: Node; readonly index: number; readonly annotation: Node | undefined }
  | { readonly kind: 'assign'; readonly value: Node | undefined; readonly annotation: Node | undefined }
  | { readonly kind: 'def'; readonly node: Node }
  | { readonly kind: 'class'; readonly node: Node }
  | { readonly kind: 'import'; readonly module: string; readonly level: number; readonly name: string }
  | { readonly kind: 'module'; readonly module: string }
  | { readonly kind: 'with'; readonly value: Node; readonly isAsync: boolean }
  | { readonly kind: 'declared'; readonly declaration: 'global' | 'nonlocal' }
  | { readonly kind: 'other' };

/** The answer to "what is this name?": its bindings in the scope that owns it, or a builtin. */
export type Resolution = { readonly scope: Node; readonly bindings: readonly Binding[] } | 'builtin' | 'unknown';

interface ScopeInfo {
  readonly names: Map<string, Binding[]>;
  readonly hasWildcardImport: boolean;
}

const UNKNOWN: Iterability = { kind: 'unknown', what: 'a value of unknown type' };
const MAX_DEPTH = 12;

const TYPING_MODULES = new Set(['typing', 'typing_extensions', 'collections.abc']);
const ASYNC_TYPES = new Set(['AsyncIterator', 'AsyncIterable', 'AsyncGenerator']);
const SYNC_TYPES = new Set([
  'Iterator', 'Iterable', 'Generator', 'Sequence', 'MutableSequence', 'Mapping', 'MutableMapping',
  'List', 'Dict', 'Tuple', 'Set', 'FrozenSet', 'Collection', 'Reversible', 'KeysView', 'ValuesView',
  'ItemsView', 'Deque', 'AbstractSet', 'MutableSet', 'DefaultDict', 'OrderedDict', 'Counter',
]);
const SYNC_BUILTIN_TYPES = new Set(['list', 'dict', 'tuple', 'set', 'frozenset', 'str', 'bytes', 'bytearray', 'range']);
/** Builtins whose result is a synchronous iterable. */
const SYNC_BUILTIN_CALLS = new Set([
  'range', 'list', 'tuple', 'dict', 'set', 'frozenset', 'sorted', 'reversed', 'enumerate', 'zip', 'map',
  'filter', 'str', 'bytes', 'bytearray', 'iter', 'open',
]);
/** Harmless base classes: they add no `__iter__` / `__aiter__`. */
const NEUTRAL_BASES = new Set(['object', 'Generic', 'typing.Generic', 'ABC', 'abc.ABC', 'Protocol', 'typing.Protocol']);
/** Decorators that keep a function's call result what its body makes. */
const TRANSPARENT_DECORATORS = new Set(['staticmethod', 'classmethod', 'override', 'typing.override', 'abstractmethod', 'abc.abstractmethod']);
/** Both `for` and `async for` work on these (Python 3.13+ `as_completed`). */
const BOTH_CALLS = new Set(['asyncio.as_completed', 'asyncio.tasks.as_completed']);

function literalIterability(type: string): Iterability | undefined {
  switch (type) {
    case 'list':
    case 'list_comprehension':
      return { kind: 'sync', what: 'a list' };
    case 'tuple':
      return { kind: 'sync', what: 'a tuple' };
    case 'set':
    case 'set_comprehension':
      return { kind: 'sync', what: 'a set' };
    case 'dictionary':
    case 'dictionary_comprehension':
      return { kind: 'sync', what: 'a dict' };
    case 'string':
    case 'concatenated_string':
      return { kind: 'sync', what: 'a string' };
    default:
      return undefined;
  }
}

function combine(parts: readonly Iterability[]): Iterability {
  if (parts.length === 0 || parts.some((part) => part.kind === 'unknown')) return UNKNOWN;
  const kinds = new Set(parts.map((part) => part.kind));
  if (kinds.size === 1) return parts[0]!;
  return { kind: 'both', what: parts.map((part) => part.what).join(' or ') };
}

export interface FactsOptions {
  readonly known: KnownApiTable;
  readonly resolver?: ModuleResolver | undefined;
  readonly path?: string | undefined;
  /**
   * Only these parts of the file will be analysed (the editor's changed
   * units plus the module-level code): scopes and bindings are collected
   * there only. Undefined: the whole file.
   */
  readonly regions?: readonly TextRange[] | undefined;
}

/**
 * Lazily computed facts about one parsed Python file: scopes, bindings, and
 * whether an expression is an async or a sync iterable. Everything is
 * conservative: when in doubt the answer is `unknown` and no rule fires.
 */
export class PythonFacts {
  private index: ScopeIndex | undefined;
  private readonly iterabilityCache = new Map<number, Iterability>();
  private readonly generatorOutsideRegions = new Map<number, boolean>();

  constructor(readonly root: Node, private readonly options: FactsOptions) {}

  // ---- scopes and bindings ------------------------------------------------

  private scopeIndex(): ScopeIndex {
    this.index ??= buildScopeIndex(this.root, this.options.regions);
    return this.index;
  }

  scopeInfo(scope: Node): ScopeInfo {
    return this.scopeIndex().infos.get(scope.id) ?? EMPTY_SCOPE;
  }

  /** The function, lambda, class or module whose own code `node` is part of (never `node` itself). */
  scopeOf(node: Node): Node {
    return this.scopeIndex().scopeOf(node);
  }

  /** Whether a function's own code yields (so calling it makes a generator). */
  isGenerator(fn: Node): boolean {
    const index = this.scopeIndex();
    if (index.covers(fn)) return index.generators.has(fn.id);
    let answer = this.generatorOutsideRegions.get(fn.id);
    if (answer === undefined) this.generatorOutsideRegions.set(fn.id, (answer = isGenerator(fn)));
    return answer;
  }

  /** Resolves the identifier `name` as seen from `at`. */
  resolve(name: string, at: Node): Resolution {
    const index = this.scopeIndex();
    const first = index.scopeOf(at);
    let scope: Node | undefined = first;
    // Comprehension targets shadow the scope that holds the comprehension (and
    // are seen from lambdas inside it): check those between a scope and the
    // scope (or node) inside it before the scope's own names.
    let inner: Node = at;
    while (scope) {
      if (index.boundByComprehension(name, at, scope, inner)) return 'unknown';
      const isClassBody = scope.type === 'class_definition';
      if (!isClassBody || scope.id === first.id) {
        const info = this.scopeInfo(scope);
        const bindings = info.names.get(name);
        if (bindings) {
          const declared = bindings.find((binding) => binding.kind === 'declared');
          if (declared?.kind === 'declared') {
            if (declared.declaration === 'global') return this.resolveIn(this.root, name);
            inner = scope;
            scope = index.outer(scope);
            continue;
          }
          return { scope, bindings };
        }
        if (scope.id === this.root.id) return info.hasWildcardImport ? 'unknown' : 'builtin';
      }
      inner = scope;
      scope = index.outer(scope);
    }
    return 'unknown';
  }

  private resolveIn(scope: Node, name: string): Resolution {
    const info = this.scopeInfo(scope);
    const bindings = info.names.get(name);
    if (bindings) return { scope, bindings };
    return info.hasWildcardImport ? 'unknown' : 'builtin';
  }

  /** The single binding of a name, or undefined when there are several or none. */
  singleBinding(name: string, at: Node): Binding | undefined {
    const resolution = this.resolve(name, at);
    if (typeof resolution === 'string' || resolution.bindings.length !== 1) return undefined;
    return resolution.bindings[0];
  }

  /** Whether `name` at `at` is the builtin of that name (not shadowed). */
  isBuiltin(name: string, at: Node): boolean {
    return this.resolve(name, at) === 'builtin';
  }

  /**
   * The dotted name an expression refers to through imports: `aiofiles.open`
   * for `aiofiles.open` after `import aiofiles`, `asyncio.sleep` for `sleep`
   * after `from asyncio import sleep`, `range` for the builtin.
   */
  qualifiedName(expression: Node): string | undefined {
    // Walk down `a.b.c` iteratively: attribute chains can be arbitrarily long.
    const attributes: string[] = [];
    let node = unparenthesize(expression);
    while (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (!object || !attribute || attributes.length > MAX_DEPTH) return undefined;
      attributes.push(attribute.text);
      node = unparenthesize(object);
    }
    if (node.type !== 'identifier') return undefined;
    return this.qualifiedNameOf([node.text, ...attributes.reverse()], node);
  }

  /** `qualifiedName` for a dotted name given as text (from a string annotation), as seen from `at`. */
  private qualifiedNameOf(parts: readonly string[], at: Node): string | undefined {
    const base = this.baseQualifiedName(parts[0]!, at);
    return base === undefined ? undefined : [base, ...parts.slice(1)].join('.');
  }

  private baseQualifiedName(name: string, at: Node): string | undefined {
    const resolution = this.resolve(name, at);
    if (resolution === 'builtin') return name;
    if (typeof resolution === 'string' || resolution.bindings.length !== 1) return undefined;
    const binding = resolution.bindings[0]!;
    if (binding.kind === 'module') return binding.module;
    if (binding.kind === 'import' && binding.level === 0) return `${binding.module}.${binding.name}`;
    return undefined;
  }

  // ---- iterability --------------------------------------------------------

  iterability(expression: Node, depth = 0): Iterability {
    const cached = this.iterabilityCache.get(expression.id);
    if (cached) return cached;
    const result = depth > MAX_DEPTH ? UNKNOWN : this.computeIterability(unparenthesize(expression), depth + 1);
    this.iterabilityCache.set(expression.id, result);
    return result;
  }

  private computeIterability(node: Node, depth: number): Iterability {
    const literal = literalIterability(node.type);
    if (literal) return literal;
    switch (node.type) {
      case 'generator_expression': {
        const isAsync = isAsyncGeneratorExpression(node);
        return isAsync ? { kind: 'async', what: 'an async generator expression' } : { kind: 'sync', what: 'a generator expression' };
      }
      case 'conditional_expression': {
        const [whenTrue, , whenFalse] = node.namedChildren;
        if (!whenTrue || !whenFalse) return UNKNOWN;
        return combine([this.iterability(whenTrue, depth), this.iterability(whenFalse, depth)]);
      }
      case 'identifier':
        return this.nameIterability(node, depth);
      case 'call':
        return this.callIterability(node, depth);
      default:
        return UNKNOWN;
    }
  }

  private nameIterability(node: Node, depth: number): Iterability {
    const binding = this.singleBinding(node.text, node);
    if (!binding) return UNKNOWN;
    const name = `\`${node.text}\``;
    switch (binding.kind) {
      case 'param':
        return binding.annotation ? this.describeAs(name, this.annotationIterability(binding.annotation, depth)) : UNKNOWN;
      case 'assign':
        if (binding.annotation) return this.describeAs(name, this.annotationIterability(binding.annotation, depth));
        return binding.value ? this.describeAs(name, this.iterability(binding.value, depth)) : UNKNOWN;
      case 'with': {
        if (!binding.isAsync || binding.value.type !== 'call') return UNKNOWN;
        const callee = binding.value.childForFieldName('function');
        const qualified = callee ? this.qualifiedName(callee) : undefined;
        if (qualified && this.options.known.qualified.has(qualified)) {
          return { kind: 'async', what: `${name}, opened with \`async with ${qualified}(...)\`` };
        }
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private describeAs(name: string, result: Iterability): Iterability {
    if (result.kind === 'unknown') return result;
    return { kind: result.kind, what: `${name}, ${result.what}` };
  }

  private callIterability(call: Node, depth: number): Iterability {
    const callee = call.childForFieldName('function');
    return callee ? this.callResult(callee, depth) : UNKNOWN;
  }

  /** What calling `callee` gives (for `callee(...)`). */
  callResult(callee: Node, depth = 0): Iterability {
    const qualified = this.qualifiedName(callee);
    if (qualified) {
      if (BOTH_CALLS.has(qualified)) return { kind: 'both', what: `\`${qualified}()\`` };
      if (this.options.known.qualified.has(qualified)) return { kind: 'async', what: `the async iterable returned by \`${qualified}()\`` };
      if (qualified === 'aiter') return { kind: 'async', what: 'the async iterator returned by `aiter()`' };
      if (SYNC_BUILTIN_CALLS.has(qualified)) return { kind: 'sync', what: `\`${qualified}(...)\`` };
    }
    if (callee.type === 'identifier') {
      const binding = this.singleBinding(callee.text, callee);
      if (!binding) return UNKNOWN;
      if (binding.kind === 'def') return this.functionResult(binding.node, depth);
      if (binding.kind === 'class') return this.instanceOf(binding.node, depth);
      if (binding.kind === 'import') return this.importedCall(binding.module, binding.level, binding.name);
      return UNKNOWN;
    }
    if (callee.type === 'attribute') {
      const object = callee.childForFieldName('object');
      const method = callee.childForFieldName('attribute')?.text;
      if (!object || !method) return UNKNOWN;
      if (this.options.known.methods.has(method)) return { kind: 'async', what: `the async iterable returned by \`.${method}()\`` };
      const owner = this.classOfValue(object, depth);
      if (owner) {
        const member = this.memberOf(owner, method, depth);
        if (member?.type === 'function_definition') return this.functionResult(member, depth);
        return UNKNOWN;
      }
      if (object.type === 'identifier') {
        const binding = this.singleBinding(object.text, object);
        if (binding?.kind === 'module') return this.importedCall(binding.module, 0, method);
      }
    }
    return UNKNOWN;
  }

  private importedCall(module: string, level: number, name: string): Iterability {
    const { resolver, path } = this.options;
    if (!resolver || path === undefined) return UNKNOWN;
    const target = resolveExport(resolver, path, module, level, name);
    return target ? exportCallIterability(name, target.kind) : UNKNOWN;
  }

  /** What calling a function gives, judged from its definition. */
  functionResult(fn: Node, depth: number): Iterability {
    const name = fn.childForFieldName('name')?.text ?? 'function';
    const decorators = decoratorNames(fn);
    if (decorators.some((decorator) => !TRANSPARENT_DECORATORS.has(decorator))) return UNKNOWN;
    const isAsync = isAsyncFunction(fn);
    if (this.isGenerator(fn)) {
      return isAsync
        ? { kind: 'async', what: `the async generator \`${name}()\`` }
        : { kind: 'sync', what: `the generator \`${name}()\`` };
    }
    const returns = fn.childForFieldName('return_type');
    if (!isAsync && returns) {
      const declared = this.annotationIterability(returns, depth);
      if (declared.kind !== 'unknown') return { kind: declared.kind, what: `the result of \`${name}()\` (${declared.what})` };
    }
    return UNKNOWN;
  }

  /** What an instance of a class is, from its own methods and its bases. */
  instanceOf(cls: Node, depth: number): Iterability {
    const shape = this.classShape(cls, depth);
    if (!shape) return UNKNOWN;
    const name = cls.childForFieldName('name')?.text ?? 'class';
    if (shape.hasAiter && shape.hasIter) return { kind: 'both', what: `a \`${name}\` object` };
    if (shape.hasAiter) return { kind: 'async', what: `a \`${name}\` object (it has \`__aiter__\` but no \`__iter__\`)` };
    if (shape.hasIter) return { kind: 'sync', what: `a \`${name}\` object (it has \`__iter__\` but no \`__aiter__\`)` };
    return UNKNOWN;
  }

  /**
   * Which iteration methods a class has, counting its bases; undefined when a
   * base is not known (it might add either method).
   */
  classShape(cls: Node, depth: number): { hasAiter: boolean; hasIter: boolean; hasAnext: boolean } | undefined {
    if (depth > MAX_DEPTH || !hasPlainShape(cls)) return undefined;
    const members = classMembers(cls);
    const shape = { hasAiter: members.has('__aiter__'), hasIter: members.has('__iter__') || members.has('__getitem__'), hasAnext: members.has('__anext__') };
    const bases = cls.childForFieldName('superclasses');
    for (const base of bases?.namedChildren ?? []) {
      if (!base) continue;
      if (base.type === 'keyword_argument') continue;
      const head = base.type === 'subscript' ? base.childForFieldName('value') : base;
      if (!head) return undefined;
      const qualified = this.qualifiedName(head);
      if (qualified && (NEUTRAL_BASES.has(qualified) || qualified === 'typing.Generic' || qualified.endsWith('.Generic'))) continue;
      const typingName = qualified ? typingType(qualified) : undefined;
      if (typingName && ASYNC_TYPES.has(typingName)) {
        shape.hasAiter = true;
        continue;
      }
      if (typingName && SYNC_TYPES.has(typingName)) {
        shape.hasIter = true;
        continue;
      }
      if (head.type === 'identifier') {
        const binding = this.singleBinding(head.text, head);
        if (binding?.kind === 'class' && binding.node.id !== cls.id) {
          const inherited = this.classShape(binding.node, depth + 1);
          if (!inherited) return undefined;
          shape.hasAiter ||= inherited.hasAiter;
          shape.hasIter ||= inherited.hasIter;
          shape.hasAnext ||= inherited.hasAnext;
          continue;
        }
      }
      return undefined;
    }
    return shape;
  }

  /** A method or attribute defined in a class or its local bases. */
  memberOf(cls: Node, name: string, depth: number): Node | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const own = classMembers(cls).get(name);
    if (own) return own;
    for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (base?.type !== 'identifier') continue;
      const binding = this.singleBinding(base.text, base);
      if (binding?.kind === 'class' && binding.node.id !== cls.id) {
        const inherited = this.memberOf(binding.node, name, depth + 1);
        if (inherited) return inherited;
      }
    }
    return undefined;
  }

  /**
   * The local class of which `expression` is an instance: `self` / `cls` in
   * a method, or a name assigned once from `SomeClass(...)`.
   */
  classOfValue(expression: Node, depth: number): Node | undefined {
    if (expression.type !== 'identifier' || depth > MAX_DEPTH) return undefined;
    const binding = this.singleBinding(expression.text, expression);
    if (!binding) return undefined;
    if (binding.kind === 'param' && binding.index === 0) {
      const decorators = decoratorNames(binding.fn);
      if (decorators.includes('staticmethod')) return undefined;
      let parent = binding.fn.parent;
      if (parent?.type === 'decorated_definition') parent = parent.parent;
      const owner = parent?.type === 'block' ? parent.parent : undefined;
      return owner?.type === 'class_definition' ? owner : undefined;
    }
    if (binding.kind === 'assign' && binding.value?.type === 'call') {
      const callee = binding.value.childForFieldName('function');
      if (callee?.type !== 'identifier') return undefined;
      const classBinding = this.singleBinding(callee.text, callee);
      return classBinding?.kind === 'class' ? classBinding.node : undefined;
    }
    return undefined;
  }

  annotationIterability(annotation: Node, depth: number): Iterability {
    if (depth > MAX_DEPTH) return UNKNOWN;
    let node = annotation.type === 'type' ? annotation.firstNamedChild : annotation;
    if (!node) return UNKNOWN;
    node = unparenthesize(node);
    if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '|') {
      const parts = [node.childForFieldName('left'), node.childForFieldName('right')]
        .filter((part): part is Node => !!part && part.type !== 'none')
        .map((part) => this.annotationIterability(part, depth + 1));
      return combine(parts);
    }
    if (node.type === 'generic_type' || node.type === 'subscript') {
      const head = node.type === 'subscript' ? node.childForFieldName('value') : node.firstNamedChild;
      if (!head) return UNKNOWN;
      const qualified = this.qualifiedName(head);
      const typingName = qualified ? typingType(qualified) : undefined;
      if (typingName === 'Optional' || typingName === 'Union') {
        const args = node.type === 'subscript' ? node.namedChildren.slice(1) : node.namedChildren.slice(1).flatMap((child) => child?.namedChildren ?? []);
        return combine(args.filter((arg): arg is Node => !!arg && arg.text !== 'None').map((arg) => this.annotationIterability(arg, depth + 1)));
      }
      return this.typeNameIterability(head, depth);
    }
    if (node.type === 'identifier' || node.type === 'attribute') return this.typeNameIterability(node, depth);
    if (node.type === 'string') return this.stringAnnotationIterability(node, depth);
    return UNKNOWN;
  }

  /** `"AsyncIterator[int]"` (a forward reference): judged by its dotted head, resolved where the string stands. */
  private stringAnnotationIterability(node: Node, depth: number): Iterability {
    const content = /^(['"])(.*)\1$/s.exec(node.text)?.[2];
    const head = content && /^\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(?:\[.*\])?\s*(?:\|\s*None\s*)?$/s.exec(content)?.[1];
    if (!head) return UNKNOWN;
    const parts = head.split('.');
    const qualified = this.qualifiedNameOf(parts, node);
    const typed = qualified ? this.typeNameIterabilityOf(qualified) : undefined;
    if (typed) return typed;
    if (parts.length === 1) {
      const binding = this.singleBinding(parts[0]!, node);
      if (binding?.kind === 'class') return this.instanceOf(binding.node, depth);
    }
    return UNKNOWN;
  }

  /** What a type given by its qualified name says, for the typing names, builtins and known APIs. */
  private typeNameIterabilityOf(qualified: string): Iterability | undefined {
    const typingName = typingType(qualified);
    if (typingName && ASYNC_TYPES.has(typingName)) return { kind: 'async', what: `annotated \`${typingName}\`` };
    if (typingName && SYNC_TYPES.has(typingName)) return { kind: 'sync', what: `annotated \`${typingName}\`` };
    if (SYNC_BUILTIN_TYPES.has(qualified)) return { kind: 'sync', what: `annotated \`${qualified}\`` };
    if (this.options.known.qualified.has(qualified)) return { kind: 'async', what: `annotated \`${qualified}\`` };
    return undefined;
  }

  private typeNameIterability(head: Node, depth: number): Iterability {
    const qualified = this.qualifiedName(head);
    const typed = qualified ? this.typeNameIterabilityOf(qualified) : undefined;
    if (typed) return typed;
    if (head.type === 'identifier') {
      const binding = this.singleBinding(head.text, head);
      if (binding?.kind === 'class') return this.instanceOf(binding.node, depth);
    }
    return UNKNOWN;
  }
}

/**
 * A generator expression is asynchronous when it has an `async for` clause,
 * or when its own code awaits (`await`, or an async list/set/dict
 * comprehension, outside nested lambdas and generator expressions).
 */
function isAsyncGeneratorExpression(node: Node): boolean {
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'await') return true;
    if (current.type === 'for_in_clause' && hasAsyncKeyword(current)) return true;
    // A nested generator expression is only created here, not run: its awaits are its own.
    if (current.type === 'lambda' || (current.type === 'generator_expression' && current.id !== node.id)) continue;
    for (const child of current.namedChildren) if (child) stack.push(child);
  }
  return false;
}

/** `typing.AsyncIterator` → `AsyncIterator`; undefined for names outside typing modules. */
function typingType(qualified: string): string | undefined {
  const dot = qualified.lastIndexOf('.');
  if (dot < 0) return undefined;
  return TYPING_MODULES.has(qualified.slice(0, dot)) ? qualified.slice(dot + 1) : undefined;
}

function exportCallIterability(name: string, kind: ExportKind): Iterability {
  switch (kind) {
    case 'async-generator-function':
      return { kind: 'async', what: `the async generator \`${name}()\`` };
    case 'sync-generator-function':
      return { kind: 'sync', what: `the generator \`${name}()\`` };
    case 'async-iterable-function':
      return { kind: 'async', what: `the async iterable returned by \`${name}()\`` };
    case 'async-iterable-class':
      return { kind: 'async', what: `a \`${name}\` object (it has \`__aiter__\` but no \`__iter__\`)` };
    case 'sync-iterable-class':
      return { kind: 'sync', what: `a \`${name}\` object` };
    case 'both-iterable-class':
      return { kind: 'both', what: `a \`${name}\` object` };
    default:
      return UNKNOWN;
  }
}

/** Class decorators that add no iteration methods. */
const PLAIN_CLASS_DECORATORS = new Set(['dataclass', 'dataclasses.dataclass', 'final', 'typing.final', 'total_ordering', 'functools.total_ordering']);

/**
 * Whether a class's methods can all be read off its body: no method defined
 * under `if`/`try` (version-dependent definitions), no decorator that could
 * add methods.
 */
function hasPlainShape(cls: Node): boolean {
  const parent = cls.parent;
  if (parent?.type === 'decorated_definition') {
    for (const decorator of parent.namedChildren) {
      if (decorator?.type !== 'decorator') continue;
      const name = decorator.text.replace(/^@\s*/, '').replace(/\(.*$/s, '').trim();
      if (!PLAIN_CLASS_DECORATORS.has(name)) return false;
    }
  }
  const body = cls.childForFieldName('body');
  return !(body?.namedChildren ?? []).some((statement) =>
    statement !== null && statement.type !== 'function_definition' && statement.type !== 'decorated_definition' && statement.type !== 'class_definition'
    && statement.descendantsOfType('function_definition').length > 0);
}

function identifiersIn(pattern: Node): string[] {
  if (pattern.type === 'identifier') return [pattern.text];
  return pattern.descendantsOfType('identifier').filter((node): node is Node => !!node && node.parent?.type !== 'attribute' && node.parent?.type !== 'subscript').map((node) => node.text);
}

const EMPTY_SCOPE: ScopeInfo = { names: new Map(), hasWildcardImport: false };

const SCOPE_QUERY_SOURCE = `
[(function_definition) (lambda) (class_definition)] @scope
[(list_comprehension) (set_comprehension) (dictionary_comprehension) (generator_expression)] @comprehension
[(assignment) (augmented_assignment) (named_expression) (for_statement) (with_statement) (except_clause)
 (import_statement) (import_from_statement) (global_statement) (nonlocal_statement) (case_pattern) (as_pattern)] @site
(yield) @yield
`;

let scopeQuery: Query | undefined;

/**
 * Every scope of a file with its bindings, built from one tree-sitter query
 * (matched inside the wasm module) and a stack of open scopes, instead of a
 * walk per scope. Scopes nest, so "which scope owns this node" is a binary
 * search over their start offsets plus a climb through enclosing scopes.
 */
class ScopeIndex {
  readonly infos = new Map<number, ScopeInfo>();
  readonly generators = new Set<number>();
  /** Scopes in document order (the module first) and each one's enclosing scope. */
  private readonly scopes: Node[] = [];
  private readonly parents: number[] = [];
  /** Where each scope's own code starts: its body (defaults, annotations and bases belong to the scope around it). */
  private readonly bodyStarts: number[] = [];
  private readonly comprehensions: Node[] = [];
  private readonly comprehensionTargets = new Map<number, readonly string[]>();

  constructor(readonly root: Node, private readonly regions: readonly TextRange[] | undefined) {}

  /** Whether the whole of `node` was indexed. */
  covers(node: Node): boolean {
    return !this.regions || this.regions.some((region) => region.start <= node.startIndex && node.endIndex <= region.end);
  }

  register(scope: Node, parent: number): number {
    this.scopes.push(scope);
    this.parents.push(parent);
    this.bodyStarts.push(scope.id === this.root.id ? scope.startIndex : (scope.childForFieldName('body')?.startIndex ?? scope.endIndex));
    return this.scopes.length - 1;
  }

  /** Where the own code of the scope in `slot` starts. */
  bodyStart(slot: number): number {
    return this.bodyStarts[slot]!;
  }

  addComprehension(node: Node): void {
    this.comprehensions.push(node);
  }

  private innermost(start: number, end: number, excluding: number): number {
    let low = 0;
    let high = this.scopes.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.scopes[mid]!.startIndex <= start) low = mid;
      else high = mid - 1;
    }
    for (let at = low; at > 0; at = this.parents[at]!) {
      const scope = this.scopes[at]!;
      if (scope.id !== excluding && this.bodyStarts[at]! <= start && end <= scope.endIndex) return at;
    }
    return 0;
  }

  scopeOf(node: Node): Node {
    return this.scopes[this.innermost(node.startIndex, node.endIndex, node.id)]!;
  }

  outer(scope: Node): Node | undefined {
    // The root is `module`, or `ERROR` when the file is badly broken.
    if (scope.id === this.root.id) return undefined;
    const at = this.innermost(scope.startIndex, scope.endIndex, scope.id);
    return this.scopes[at];
  }

  /** Whether `name` at `at` is a target of a comprehension around `at` that lies in `scope` and starts before `inner`. */
  boundByComprehension(name: string, at: Node, scope: Node, inner: Node): boolean {
    // Comprehensions are in document order: only those between the scope's start and `inner` can hold it.
    let low = 0;
    let high = this.comprehensions.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.comprehensions[mid]!.startIndex < scope.startIndex) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.comprehensions.length; i++) {
      const comprehension = this.comprehensions[i]!;
      if (comprehension.startIndex > inner.startIndex || (inner.id !== at.id && comprehension.startIndex === inner.startIndex)) break;
      if (comprehension.endIndex < at.endIndex || comprehension.endIndex > scope.endIndex || comprehension.id === at.id) continue;
      let targets = this.comprehensionTargets.get(comprehension.id);
      if (!targets) {
        targets = comprehension.namedChildren
          .filter((clause): clause is Node => clause?.type === 'for_in_clause')
          .flatMap((clause) => {
            const left = clause.childForFieldName('left');
            return left ? identifiersIn(left) : [];
          });
        this.comprehensionTargets.set(comprehension.id, targets);
      }
      if (targets.includes(name)) return true;
    }
    return false;
  }
}

/** The captures of the scope query over the whole tree, or over some regions of it (document order, outer first). */
function scopeCaptures(root: Node, regions: readonly TextRange[] | undefined): { name: string; node: Node }[] {
  scopeQuery ??= new Query(root.tree.language, SCOPE_QUERY_SOURCE);
  if (!regions) return scopeQuery.captures(root);
  const seen = new Set<number>();
  const captures: { name: string; node: Node }[] = [];
  for (const region of regions) {
    // Query ranges count bytes of the UTF-16 text web-tree-sitter parses: two per code unit.
    for (const capture of scopeQuery.captures(root, { startIndex: region.start * 2, endIndex: region.end * 2 })) {
      if (seen.has(capture.node.id)) continue;
      seen.add(capture.node.id);
      captures.push(capture);
    }
  }
  return captures.sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex);
}

function buildScopeIndex(root: Node, regions: readonly TextRange[] | undefined): ScopeIndex {
  const index = new ScopeIndex(root, regions);
  const moduleInfo = { names: new Map<string, Binding[]>(), hasWildcardImport: false };
  index.infos.set(root.id, moduleInfo);
  const stack: { node: Node; slot: number; info: { names: Map<string, Binding[]>; hasWildcardImport: boolean } }[] = [
    { node: root, slot: index.register(root, 0), info: moduleInfo },
  ];

  for (const { name: capture, node } of scopeCaptures(root, regions)) {
    while (stack.length > 1 && node.startIndex >= stack[stack.length - 1]!.node.endIndex) stack.pop();
    const owner = stack[stack.length - 1]!;
    const names = owner.info.names;
    const bind = (name: string, binding: Binding) => addBinding(names, name, binding);
    const bindPattern = (pattern: Node, single: (name: string) => Binding) => {
      if (pattern.type === 'identifier') bind(pattern.text, single(pattern.text));
      else for (const name of identifiersIn(pattern)) bind(name, { kind: 'other' });
    };
    switch (capture) {
      case 'scope': {
        if (node.type !== 'lambda') {
          const name = node.childForFieldName('name');
          if (name) bind(name.text, node.type === 'function_definition' ? { kind: 'def', node } : { kind: 'class', node });
        }
        const info = { names: new Map<string, Binding[]>(), hasWildcardImport: false };
        index.infos.set(node.id, info);
        const scope = { node, slot: index.register(node, owner.slot), info };
        stack.push(scope);
        if (node.type !== 'class_definition') {
          collectParameters(node, (name, binding) => addBinding(info.names, name, binding));
        }
        continue;
      }
      case 'comprehension':
        index.addComprehension(node);
        continue;
      case 'yield':
        // A `yield` in a default value is not the function's own.
        if (node.startIndex >= index.bodyStart(owner.slot)) index.generators.add(owner.node.id);
        continue;
      default:
        bindSite(node, bind, bindPattern, () => {
          owner.info.hasWildcardImport = true;
        });
    }
  }
  if (regions) bindTopLevelDefinitions(root, index, moduleInfo.names);
  return index;
}

/** With regions, top-level functions and classes outside them still bind their names in the module. */
function bindTopLevelDefinitions(root: Node, index: ScopeIndex, names: Map<string, Binding[]>): void {
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (!definition || (definition.type !== 'function_definition' && definition.type !== 'class_definition')) continue;
    if (index.infos.has(definition.id)) continue;
    const name = definition.childForFieldName('name')?.text;
    if (!name) continue;
    addBinding(names, name, definition.type === 'function_definition' ? { kind: 'def', node: definition } : { kind: 'class', node: definition });
  }
}

function addBinding(names: Map<string, Binding[]>, name: string, binding: Binding): void {
  const list = names.get(name);
  if (list) list.push(binding);
  else names.set(name, [binding]);
}

/** The names one statement or pattern binds in the scope that owns it. */
function bindSite(
  node: Node,
  bind: (name: string, binding: Binding) => void,
  bindPattern: (pattern: Node, single: (name: string) => Binding) => void,
  markWildcard: () => void,
): void {
  switch (node.type) {
    case 'assignment': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const annotation = node.childForFieldName('type') ?? undefined;
      if (!left) return;
      // `a = b = value`: tree-sitter nests the second assignment as the right side.
      let value: Node | undefined = right ?? undefined;
      while (value?.type === 'assignment') value = value.childForFieldName('right') ?? undefined;
      bindPattern(left, () => ({ kind: 'assign', value, annotation }));
      return;
    }
    case 'augmented_assignment':
    case 'named_expression': {
      const target = node.childForFieldName(node.type === 'named_expression' ? 'name' : 'left');
      if (target) bindPattern(target, () => ({ kind: 'other' }));
      return;
    }
    case 'for_statement': {
      const left = node.childForFieldName('left');
      if (left) bindPattern(left, () => ({ kind: 'other' }));
      return;
    }
    case 'with_statement': {
      const isAsync = hasAsyncKeyword(node);
      const clause = node.namedChildren.find((child) => child?.type === 'with_clause');
      for (const item of clause?.namedChildren ?? []) {
        if (item?.type !== 'with_item') continue;
        const value = item.childForFieldName('value');
        if (value?.type !== 'as_pattern') continue;
        const target = value.childForFieldName('alias')?.firstNamedChild;
        const source = value.firstNamedChild;
        if (target && source) bindPattern(target, () => ({ kind: 'with', value: source, isAsync }));
      }
      return;
    }
    case 'except_clause': {
      const alias = node.childForFieldName('alias') ?? node.namedChildren.find((child) => child?.type === 'as_pattern')?.childForFieldName('alias');
      if (alias) bindPattern(alias, () => ({ kind: 'other' }));
      return;
    }
    case 'as_pattern': {
      if (node.parent?.type === 'case_clause' || node.parent?.type === 'case_pattern') {
        const alias = node.childForFieldName('alias');
        if (alias) bindPattern(alias, () => ({ kind: 'other' }));
      }
      return;
    }
    case 'case_pattern':
      for (const name of identifiersIn(node)) bind(name, { kind: 'other' });
      return;
    case 'import_statement':
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'dotted_name') bind(child.text.split('.')[0]!, { kind: 'module', module: child.text.split('.')[0]! });
        else if (child.type === 'aliased_import') {
          const module = child.childForFieldName('name')?.text;
          const alias = child.childForFieldName('alias')?.text;
          if (module && alias) bind(alias, { kind: 'module', module });
        }
      }
      return;
    case 'import_from_statement': {
      const moduleNode = node.childForFieldName('module_name');
      if (!moduleNode) return;
      let module = moduleNode.text;
      let level = 0;
      if (moduleNode.type === 'relative_import') {
        const prefix = moduleNode.firstNamedChild?.type === 'import_prefix' ? moduleNode.firstNamedChild.text : moduleNode.text.match(/^\.*/)![0];
        level = prefix.length;
        module = moduleNode.text.slice(prefix.length);
      }
      if (node.namedChildren.some((child) => child?.type === 'wildcard_import')) markWildcard();
      for (const child of node.childrenForFieldName('name')) {
        if (!child) continue;
        if (child.type === 'dotted_name') bind(child.text, { kind: 'import', module, level, name: child.text });
        else if (child.type === 'aliased_import') {
          const name = child.childForFieldName('name')?.text;
          const alias = child.childForFieldName('alias')?.text;
          if (name && alias) bind(alias, { kind: 'import', module, level, name });
        }
      }
      return;
    }
    case 'global_statement':
    case 'nonlocal_statement':
      for (const child of node.namedChildren) {
        if (child?.type === 'identifier') bind(child.text, { kind: 'declared', declaration: node.type === 'global_statement' ? 'global' : 'nonlocal' });
      }
      return;
    case 'delete_statement':
      return;
    default:
      return;
  }
}

function collectParameters(fn: Node, bind: (name: string, binding: Binding) => void): void {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return;
  let index = 0;
  for (const parameter of parameters.namedChildren) {
    if (!parameter) continue;
    let nameNode: Node | null = null;
    let annotation: Node | undefined;
    switch (parameter.type) {
      case 'identifier':
        nameNode = parameter;
        break;
      case 'typed_parameter':
        nameNode = parameter.firstNamedChild;
        annotation = parameter.childForFieldName('type') ?? undefined;
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        nameNode = parameter.childForFieldName('name');
        annotation = parameter.childForFieldName('type') ?? undefined;
        break;
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        nameNode = parameter.firstNamedChild;
        break;
      default:
        continue;
    }
    if (nameNode?.type === 'identifier') {
      // `*args: X` annotates each element, not the tuple.
      const isSplat = parameter.type.endsWith('splat_pattern') || nameNode.parent?.type?.endsWith('splat_pattern');
      bind(nameNode.text, isSplat ? { kind: 'other' } : { kind: 'param', fn, index, annotation });
    } else if (nameNode && (nameNode.type === 'list_splat_pattern' || nameNode.type === 'dictionary_splat_pattern')) {
      const inner = nameNode.firstNamedChild;
      if (inner?.type === 'identifier') bind(inner.text, { kind: 'other' });
    }
    index++;
  }
}

/** What a module's top-level names are, for other files that import them. */
export function summarizeExports(facts: PythonFacts): Map<string, ExportKind | { module: string; level: number; name: string }> {
  const exports = new Map<string, ExportKind | { module: string; level: number; name: string }>();
  for (const [name, bindings] of facts.scopeInfo(facts.root).names) {
    if (bindings.length !== 1) continue;
    const binding = bindings[0]!;
    if (binding.kind === 'def') {
      const result = facts.functionResult(binding.node, 0);
      const isGen = facts.isGenerator(binding.node);
      if (result.kind === 'async') exports.set(name, isGen ? 'async-generator-function' : 'async-iterable-function');
      else if (result.kind === 'sync' && isGen) exports.set(name, 'sync-generator-function');
    } else if (binding.kind === 'class') {
      const instance = facts.instanceOf(binding.node, 0);
      if (instance.kind === 'async') exports.set(name, 'async-iterable-class');
      else if (instance.kind === 'sync') exports.set(name, 'sync-iterable-class');
      else if (instance.kind === 'both') exports.set(name, 'both-iterable-class');
    } else if (binding.kind === 'import') {
      exports.set(name, { module: binding.module, level: binding.level, name: binding.name });
    }
  }
  return exports;
}
