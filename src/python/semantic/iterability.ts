import type { Node } from '../parser';
import { hasAsyncKeyword, isAsyncFunction } from '../syntax';
import { classShape, classOfValue, MAX_DEPTH, memberOf } from './classes';
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
}

export const UNKNOWN: Iterability = { kind: 'unknown', what: 'a value of unknown type' };

/** Builtins whose result is a synchronous iterable. */
const SYNC_BUILTIN_CALLS: ReadonlySet<string> = new Set([
  'range', 'list', 'tuple', 'dict', 'set', 'frozenset', 'sorted', 'reversed', 'enumerate', 'zip', 'map',
  'filter', 'str', 'bytes', 'bytearray', 'iter', 'open',
]);
/** Both `for` and `async for` work on these (Python 3.13+ `as_completed`). */
const BOTH_CALLS: ReadonlySet<string> = new Set(['asyncio.as_completed', 'asyncio.tasks.as_completed']);

export function combine(parts: readonly Iterability[]): Iterability {
  if (parts.length === 0 || parts.some((part) => part.kind === 'unknown')) return UNKNOWN;
  const kinds = new Set(parts.map((part) => part.kind));
  if (kinds.size === 1) return parts[0]!;
  return { kind: 'both', what: parts.map((part) => part.what).join(' or ') };
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
    default:
      return UNKNOWN;
  }
}

function describeAs(name: string, result: Iterability): Iterability {
  if (result.kind === 'unknown') return result;
  return { kind: result.kind, what: `${name}, ${result.what}` };
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
      if (!binding.isAsync || binding.value.type !== 'call') return UNKNOWN;
      const callee = binding.value.childForFieldName('function');
      const qualified = callee ? facts.qualifiedName(callee) : undefined;
      if (qualified && facts.known.qualified.has(qualified)) return { kind: 'async', what: `${name}, opened with \`async with ${qualified}(...)\`` };
      return UNKNOWN;
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
    if (facts.known.methods.has(method)) return { kind: 'async', what: `the async iterable returned by \`.${method}()\`` };
    const owner = depth > MAX_DEPTH ? undefined : classOfValue(object, facts);
    if (owner) {
      const member = memberOf(owner, method, facts, depth);
      return member?.type === 'function_definition' ? functionResult(member, facts, depth) : UNKNOWN;
    }
    if (object.type === 'identifier') {
      const binding = facts.singleBinding(object.text, object);
      if (binding?.kind === 'module') return importedCall(binding.module, 0, method, facts);
    }
  }
  return UNKNOWN;
}

function importedCall(module: string, level: number, name: string, facts: PythonFacts): Iterability {
  const { resolver, path } = facts.imports;
  if (!resolver || path === undefined) return UNKNOWN;
  const target = resolveExport(resolver, path, module, level, name);
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
  if (shape.hasAiter) return { kind: 'async', what: `a \`${name}\` object (it has \`__aiter__\` but no \`__iter__\`)` };
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
      return { kind: 'async', what: `a \`${name}\` object (it has \`__aiter__\` but no \`__iter__\`)` };
    case 'sync-iterable-class':
      return { kind: 'sync', what: `a \`${name}\` object` };
    case 'both-iterable-class':
      return { kind: 'both', what: `a \`${name}\` object` };
  }
}
