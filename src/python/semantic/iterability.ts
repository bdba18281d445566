import { KNOWN_ASYNC_ATTRIBUTES } from '../known-apis';
import type { Node } from '../parser';
import { hasAsyncKeyword, isAsyncFunction, unparenthesize } from '../syntax';
import { classShape, MAX_DEPTH, memberOf, overridesAgree, receiverClass } from './classes';
import { CALL_PRESERVING, onlyDecoratorsIn } from './decorators';
import { resolveExport, type ExportKind } from './exports';
import type { PythonFacts } from './facts';
import { annotationIterability } from './typing';

/*
 * "Is this an async iterable?": whether a value can be consumed by `for`
 * (sync), by `async for` (async), by both, or we cannot tell. Rules only act
 * on a definite answer; everything unclear is `unknown`.
 */

export type IterabilityKind = 'async' | 'sync' | 'both' | 'unknown';

export interface Iterability {
  readonly kind: IterabilityKind;
  /** Says what the value is, for messages: "the async generator `ticker()`". */
  readonly what: string;
  /**
   * The value may define `__contains__` (an instance of a class that does, or
   * whose class we cannot see), so `x in value` may work without iterating.
   */
  readonly mayContain?: boolean;
}

export const UNKNOWN: Iterability = { kind: 'unknown', what: 'a value of unknown type' };

/** Builtins whose result is a synchronous iterable. */
const SYNC_BUILTIN_CALLS: ReadonlySet<string> = new Set([
  'range', 'list', 'tuple', 'dict', 'set', 'frozenset', 'sorted', 'reversed', 'enumerate', 'zip', 'map',
  'filter', 'str', 'bytes', 'bytearray', 'iter', 'open',
]);
/** Both `for` and `async for` work on these (Python 3.13+ `as_completed`). */
const BOTH_CALLS: ReadonlySet<string> = new Set(['asyncio.as_completed', 'asyncio.tasks.as_completed']);

/**
 * Context managers whose `__enter__` / `__aenter__` hands back their argument
 * (`async with aclosing(agen()) as g`: `g` is that async generator), and the
 * `with` they work in.
 */
const PASSTHROUGH_CONTEXT_MANAGERS: Readonly<Record<string, 'async' | 'sync' | 'both'>> = {
  'contextlib.aclosing': 'async',
  'contextlib.closing': 'sync',
  'contextlib.nullcontext': 'both',
};

/** `stdout=asyncio.subprocess.PIPE` (the same constant as `subprocess.PIPE`). */
const PIPES: ReadonlySet<string> = new Set(['asyncio.subprocess.PIPE', 'subprocess.PIPE']);

export function combine(parts: readonly Iterability[]): Iterability {
  if (parts.length === 0 || parts.some((part) => part.kind === 'unknown')) return UNKNOWN;
  const kinds = new Set(parts.map((part) => part.kind));
  const mayContain = parts.some((part) => part.mayContain);
  if (kinds.size === 1) return mayContain && !parts[0]!.mayContain ? { ...parts[0]!, mayContain } : parts[0]!;
  return { kind: 'both', what: parts.map((part) => part.what).join(' or '), ...(mayContain ? { mayContain } : {}) };
}

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

/** What an expression is, uncached (`PythonFacts.iterability` caches it). */
export function computeIterability(node: Node, facts: PythonFacts, depth: number): Iterability {
  const literal = literalIterability(node.type);
  if (literal) return literal;
  switch (node.type) {
    case 'generator_expression':
      return isAsyncGeneratorExpression(node) ? { kind: 'async', what: 'an async generator expression' } : { kind: 'sync', what: 'a generator expression' };
    case 'conditional_expression': {
      const [whenTrue, , whenFalse] = node.namedChildren;
      if (!whenTrue || !whenFalse) return UNKNOWN;
      return combine([facts.iterability(whenTrue, depth), facts.iterability(whenFalse, depth)]);
    }
    case 'identifier':
      return nameIterability(node, facts, depth);
    case 'call': {
      const callee = node.childForFieldName('function');
      return callee ? callResult(callee, facts, depth) : UNKNOWN;
    }
    case 'attribute':
      return knownAttribute(node, facts);
    default:
      return UNKNOWN;
  }
}

function describeAs(name: string, result: Iterability): Iterability {
  if (result.kind === 'unknown') return result;
  return { ...result, what: `${name}, ${result.what}` };
}

/** The only positional argument of a call, if it has exactly one and nothing else. */
function soleArgument(call: Node): Node | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((arg): arg is Node => !!arg && arg.type !== 'comment') ?? [];
  return args.length === 1 && !['keyword_argument', 'list_splat', 'dictionary_splat'].includes(args[0]!.type) ? args[0] : undefined;
}

/**
 * An attribute of an object a well-known API hands back
 * (`KNOWN_ASYNC_ATTRIBUTES`): `proc.stdout` after
 * `proc = await asyncio.create_subprocess_exec(..., stdout=PIPE)`.
 */
function knownAttribute(node: Node, facts: PythonFacts): Iterability {
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute')?.text;
  if (!object || !attribute) return UNKNOWN;
  const origin = originOf(unparenthesize(object), facts);
  if (!origin) return UNKNOWN;
  const entry = KNOWN_ASYNC_ATTRIBUTES.find((known) => known.source === origin.qualified && known.attribute === attribute && (known.via === 'type') === !origin.call);
  if (!entry) return UNKNOWN;
  if (entry.pipe && !(origin.call && passesPipe(origin.call, entry.pipe, facts))) return UNKNOWN;
  const from = !origin.call ? `an object annotated \`${origin.qualified}\``
    : origin.entered ? `what \`async with ${origin.qualified}(...)\` enters` : `the result of \`await ${origin.qualified}(...)\``;
  return { kind: 'async', what: `\`${node.text}\`, the \`${entry.type}\` of ${from}` };
}

/**
 * Where an object comes from, for `knownAttribute`: the call it is the
 * awaited result or the entered context of (`await f(...)`, a name assigned
 * once from it, `async with f(...) as x`), or the type it is annotated with.
 */
function originOf(object: Node, facts: PythonFacts): { qualified: string; call?: Node; entered?: boolean } | undefined {
  const fromCall = (call: Node | undefined, entered: boolean) => {
    const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
    const qualified = callee ? facts.qualifiedName(callee) : undefined;
    return qualified ? { qualified, call: call!, entered } : undefined;
  };
  const awaited = (value: Node | undefined) => {
    const inner = value ? unparenthesize(value) : undefined;
    return inner?.type === 'await' ? fromCall(inner.firstNamedChild ? unparenthesize(inner.firstNamedChild) : undefined, false) : undefined;
  };
  if (object.type === 'await') return awaited(object);
  if (object.type !== 'identifier') return undefined;
  const binding = facts.singleBinding(object.text, object);
  if (!binding) return undefined;
  const annotation = binding.kind === 'param' || binding.kind === 'assign' ? binding.annotation : undefined;
  if (annotation) {
    const type = annotation.type === 'type' ? annotation.firstNamedChild : annotation;
    const qualified = type && (type.type === 'identifier' || type.type === 'attribute') ? facts.qualifiedName(type) : undefined;
    return qualified ? { qualified } : undefined;
  }
  if (binding.kind === 'assign') return awaited(binding.value);
  if (binding.kind === 'with' && binding.isAsync) return fromCall(unparenthesize(binding.value), true);
  return undefined;
}

/** Whether a call passes `keyword=` a pipe (`stdout=asyncio.subprocess.PIPE`). */
function passesPipe(call: Node, keyword: string, facts: PythonFacts): boolean {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).some((arg) => {
    if (arg?.type !== 'keyword_argument' || arg.childForFieldName('name')?.text !== keyword) return false;
    const value = arg.childForFieldName('value');
    const qualified = value ? facts.qualifiedName(value) : undefined;
    return qualified !== undefined && PIPES.has(qualified);
  });
}

function nameIterability(node: Node, facts: PythonFacts, depth: number): Iterability {
  const binding = facts.singleBinding(node.text, node);
  if (!binding) return UNKNOWN;
  const name = `\`${node.text}\``;
  switch (binding.kind) {
    case 'param':
      return binding.annotation ? describeAs(name, annotationIterability(binding.annotation, facts, depth)) : UNKNOWN;
    case 'assign':
      if (binding.annotation) return describeAs(name, annotationIterability(binding.annotation, facts, depth));
      return binding.value ? describeAs(name, facts.iterability(binding.value, depth)) : UNKNOWN;
    case 'with': {
      if (binding.value.type !== 'call') return UNKNOWN;
      const callee = binding.value.childForFieldName('function');
      const qualified = callee ? facts.qualifiedName(callee) : undefined;
      if (!qualified) return UNKNOWN;
      if (binding.isAsync && facts.known.qualified.has(qualified)) return { kind: 'async', what: `${name}, opened with \`async with ${qualified}(...)\`` };
      // `async with aclosing(agen()) as g`: `g` is the argument itself.
      const passthrough = PASSTHROUGH_CONTEXT_MANAGERS[qualified];
      const argument = soleArgument(binding.value);
      if (!passthrough || !argument || (passthrough !== 'both' && (passthrough === 'async') !== binding.isAsync)) return UNKNOWN;
      const short = qualified.slice(qualified.lastIndexOf('.') + 1);
      return describeAs(`${name} (entered with \`${short}(...)\`)`, facts.iterability(argument, depth));
    }
    default:
      return UNKNOWN;
  }
}

/** What calling `callee` gives (for `callee(...)`). */
export function callResult(callee: Node, facts: PythonFacts, depth = 0): Iterability {
  const qualified = facts.qualifiedName(callee);
  if (qualified) {
    if (BOTH_CALLS.has(qualified)) return { kind: 'both', what: `\`${qualified}()\`` };
    if (facts.known.qualified.has(qualified)) return { kind: 'async', what: `the async iterable returned by \`${qualified}()\`` };
    if (qualified === 'aiter') return { kind: 'async', what: 'the async iterator returned by `aiter()`' };
    if (SYNC_BUILTIN_CALLS.has(qualified)) return { kind: 'sync', what: `\`${qualified}(...)\`` };
  }
  if (callee.type === 'identifier') {
    const binding = facts.singleBinding(callee.text, callee);
    if (!binding) return UNKNOWN;
    if (binding.kind === 'def') return functionResult(binding.node, facts, depth);
    if (binding.kind === 'class') return instanceOf(binding.node, facts, depth);
    if (binding.kind === 'import') return importedCall(binding.module, binding.level, binding.name, facts);
    return UNKNOWN;
  }
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text;
    if (!object || !method) return UNKNOWN;
    // A project module imported by name (`streams.fetch()`): its summary says what `fetch` is.
    const module = depth > MAX_DEPTH ? undefined : projectModuleOf(unparenthesize(object), facts);
    if (module?.found) return importedCall(module.module, module.level, method, facts, module.from);
    // The project's own definition wins over the `.method` table (a local `def iter_chunks`).
    const receiver = depth > MAX_DEPTH ? undefined : receiverClass(unparenthesize(object), facts);
    const member = receiver ? memberOf(receiver.cls, method, facts, depth) : undefined;
    if (receiver && member) {
      if (member.type !== 'function_definition') return UNKNOWN;
      const result = functionResult(member, facts, depth);
      return receiver.exact || overridesAgree(receiver.cls, method, result.kind, facts, depth) ? result : UNKNOWN;
    }
    if (facts.known.methods.has(method)) return { kind: 'async', what: `the async iterable returned by \`.${method}()\`` };
  }
  return UNKNOWN;
}

/** A module as the resolver finds it: `module` with `level` leading dots, imported from the file at `from`. */
interface ModuleRef {
  readonly from: string;
  readonly module: string;
  readonly level: number;
  /** Whether the resolver found it (`import pkg.mod` binds `pkg`, which may be a namespace package without a file). */
  readonly found: boolean;
}

/**
 * The project module an expression names, as the resolver finds it:
 * `streams` after `import streams` or `from . import streams` (a submodule,
 * unless the package itself binds that name to something else), `pkg.mod`
 * after `import pkg.mod`. Undefined for anything else or a module not found.
 */
function projectModuleOf(expression: Node, facts: PythonFacts, hops = 0): ModuleRef | undefined {
  const { resolver, path } = facts.imports;
  if (!resolver || path === undefined || hops > MAX_DEPTH) return undefined;
  const ref = (from: string, module: string, level: number): ModuleRef => ({ from, module, level, found: resolver.summary(from, module, level) !== undefined });
  const join = (module: string, name: string) => (module ? `${module}.${name}` : name);
  const submodule = (parent: ModuleRef, name: string): ModuleRef | undefined => {
    // `from pkg import name` / `pkg.name`: what the package itself binds to `name` comes first.
    const own = parent.found ? resolver.summary(parent.from, parent.module, parent.level) : undefined;
    const entry = own?.exports.get(name);
    if (typeof entry === 'string') return undefined;
    // `from . import name` (or `from .impl import name`) in the package: a module only if that names one.
    const child = entry ? ref(own!.path, join(entry.module, entry.name), entry.level) : ref(parent.from, join(parent.module, name), parent.level);
    return child.found ? child : undefined;
  };
  if (expression.type === 'identifier') {
    const binding = facts.singleBinding(expression.text, expression);
    if (binding?.kind === 'module') return ref(path, binding.module, 0);
    if (binding?.kind === 'import') return submodule(ref(path, binding.module, binding.level), binding.name);
    return undefined;
  }
  if (expression.type === 'attribute') {
    const object = expression.childForFieldName('object');
    const name = expression.childForFieldName('attribute')?.text;
    const parent = object && name ? projectModuleOf(unparenthesize(object), facts, hops + 1) : undefined;
    return parent ? submodule(parent, name!) : undefined;
  }
  return undefined;
}

function importedCall(module: string, level: number, name: string, facts: PythonFacts, from = facts.imports.path): Iterability {
  const { resolver } = facts.imports;
  if (!resolver || from === undefined) return UNKNOWN;
  const target = resolveExport(resolver, from, module, level, name);
  return target ? exportCallIterability(name, target.kind) : UNKNOWN;
}

/** What calling a function gives, judged from its definition. */
export function functionResult(fn: Node, facts: PythonFacts, depth = 0): Iterability {
  const name = fn.childForFieldName('name')?.text ?? 'function';
  if (!onlyDecoratorsIn(fn, facts, CALL_PRESERVING)) return UNKNOWN;
  const isAsync = isAsyncFunction(fn);
  if (facts.isGenerator(fn)) {
    return isAsync ? { kind: 'async', what: `the async generator \`${name}()\`` } : { kind: 'sync', what: `the generator \`${name}()\`` };
  }
  const returns = fn.childForFieldName('return_type');
  if (!isAsync && returns) {
    const declared = annotationIterability(returns, facts, depth);
    if (declared.kind !== 'unknown') return { kind: declared.kind, what: `the result of \`${name}()\` (${declared.what})` };
  }
  return UNKNOWN;
}

/** What an instance of a class is, from its own methods and its bases. */
export function instanceOf(cls: Node, facts: PythonFacts, depth = 0): Iterability {
  const shape = classShape(cls, facts, depth);
  if (!shape) return UNKNOWN;
  const name = cls.childForFieldName('name')?.text ?? 'class';
  if (shape.hasAiter && shape.hasIter) return { kind: 'both', what: `a \`${name}\` object` };
  if (shape.hasAiter) {
    const mayContain = memberOf(cls, '__contains__', facts, depth) !== undefined;
    return { kind: 'async', what: `a \`${name}\` object (it has \`__aiter__\` but no \`__iter__\`)`, ...(mayContain ? { mayContain } : {}) };
  }
  if (shape.hasIter) return { kind: 'sync', what: `a \`${name}\` object (it has \`__iter__\` but no \`__aiter__\`)` };
  return UNKNOWN;
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

function exportCallIterability(name: string, kind: ExportKind): Iterability {
  switch (kind) {
    case 'async-generator-function':
      return { kind: 'async', what: `the async generator \`${name}()\`` };
    case 'sync-generator-function':
      return { kind: 'sync', what: `the generator \`${name}()\`` };
    case 'async-iterable-function':
      return { kind: 'async', what: `the async iterable returned by \`${name}()\`` };
    case 'async-iterable-class':
      // Its summary does not say whether it defines `__contains__`.
      return { kind: 'async', what: `a \`${name}\` object (it has \`__aiter__\` but no \`__iter__\`)`, mayContain: true };
    case 'sync-iterable-class':
      return { kind: 'sync', what: `a \`${name}\` object` };
    case 'both-iterable-class':
      return { kind: 'both', what: `a \`${name}\` object` };
  }
}
