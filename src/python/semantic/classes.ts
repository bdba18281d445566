import type { Node } from '../parser';
import { classMembers, classOfMethod } from '../syntax';
import { CLASS_SHAPE_PRESERVING, hasDecoratorIn, onlyDecoratorsIn } from './decorators';
import type { PythonFacts } from './facts';
import { ASYNC_TYPES, SYNC_TYPES, typingType } from './typing';

/*
 * The shape of classes: which iteration methods a class has (counting its
 * local bases), where a member is defined, and of which class a value is an
 * instance. Undefined means "cannot tell": an unknown base might add anything.
 */

export interface ClassShape {
  readonly hasAiter: boolean;
  readonly hasIter: boolean;
  readonly hasAnext: boolean;
}

export const MAX_DEPTH = 12;

/** Harmless base classes: they add no `__iter__` / `__aiter__`. */
const NEUTRAL_BASES: ReadonlySet<string> = new Set(['object', 'Generic', 'typing.Generic', 'ABC', 'abc.ABC', 'Protocol', 'typing.Protocol']);

/**
 * Whether a class's methods can all be read off its body: no method defined
 * under `if`/`try` (version-dependent definitions), no decorator that could
 * add methods.
 */
function hasPlainShape(cls: Node, facts: PythonFacts): boolean {
  if (!onlyDecoratorsIn(cls, facts, CLASS_SHAPE_PRESERVING)) return false;
  const body = cls.childForFieldName('body');
  return !(body?.namedChildren ?? []).some((statement) =>
    statement !== null && statement.type !== 'function_definition' && statement.type !== 'decorated_definition' && statement.type !== 'class_definition'
    && statement.descendantsOfType('function_definition').length > 0);
}

/** The head of a base class expression (`Base` of `Base[T]`), or undefined for keyword arguments like `metaclass=`. */
function baseHeads(cls: Node): (Node | undefined)[] {
  const heads: (Node | undefined)[] = [];
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!base || base.type === 'keyword_argument') continue;
    heads.push(base.type === 'subscript' ? (base.childForFieldName('value') ?? undefined) : base);
  }
  return heads;
}

/** Which iteration methods a class has, counting its bases; undefined when a base is not known (it might add either method). */
export function classShape(cls: Node, facts: PythonFacts, depth = 0): ClassShape | undefined {
  if (depth > MAX_DEPTH || !hasPlainShape(cls, facts)) return undefined;
  const members = classMembers(cls);
  const shape = { hasAiter: members.has('__aiter__'), hasIter: members.has('__iter__') || members.has('__getitem__'), hasAnext: members.has('__anext__') };
  for (const head of baseHeads(cls)) {
    if (!head) return undefined;
    const qualified = facts.qualifiedName(head);
    if (qualified && (NEUTRAL_BASES.has(qualified) || qualified.endsWith('.Generic'))) continue;
    const typingName = qualified ? typingType(qualified) : undefined;
    if (typingName && ASYNC_TYPES.has(typingName)) {
      shape.hasAiter = true;
      continue;
    }
    if (typingName && SYNC_TYPES.has(typingName)) {
      shape.hasIter = true;
      continue;
    }
    const local = localBaseClass(head, cls, facts);
    if (!local) return undefined;
    const inherited = classShape(local, facts, depth + 1);
    if (!inherited) return undefined;
    shape.hasAiter ||= inherited.hasAiter;
    shape.hasIter ||= inherited.hasIter;
    shape.hasAnext ||= inherited.hasAnext;
  }
  return shape;
}

/** A base named by a plain name bound once to a class of this file. */
function localBaseClass(head: Node, cls: Node, facts: PythonFacts): Node | undefined {
  if (head.type !== 'identifier') return undefined;
  const binding = facts.singleBinding(head.text, head);
  return binding?.kind === 'class' && binding.node.id !== cls.id ? binding.node : undefined;
}

/** A method or attribute defined in a class or its local bases. */
export function memberOf(cls: Node, name: string, facts: PythonFacts, depth = 0): Node | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const own = classMembers(cls).get(name);
  if (own) return own;
  for (const head of baseHeads(cls)) {
    const local = head ? localBaseClass(head, cls, facts) : undefined;
    const inherited = local ? memberOf(local, name, facts, depth + 1) : undefined;
    if (inherited) return inherited;
  }
  return undefined;
}

/**
 * The local class of which `expression` is an instance: `self` / `cls` in
 * a method, or a name assigned once from `SomeClass(...)`.
 */
export function classOfValue(expression: Node, facts: PythonFacts): Node | undefined {
  if (expression.type !== 'identifier') return undefined;
  const binding = facts.singleBinding(expression.text, expression);
  if (!binding) return undefined;
  if (binding.kind === 'param' && binding.index === 0) {
    if (hasDecoratorIn(binding.fn, facts, STATIC)) return undefined;
    return classOfMethod(binding.fn);
  }
  if (binding.kind === 'assign' && binding.value?.type === 'call') {
    const callee = binding.value.childForFieldName('function');
    if (callee?.type !== 'identifier') return undefined;
    const classBinding = facts.singleBinding(callee.text, callee);
    return classBinding?.kind === 'class' ? classBinding.node : undefined;
  }
  return undefined;
}

const STATIC: ReadonlySet<string> = new Set(['staticmethod']);

/**
 * The local class of a method call's receiver, and whether the value is
 * exactly an instance of it (`x = Source()`) or may be one of a subclass
 * (`self`, a parameter annotated `src: Source` or `"Source"`, `x: Source = ...`).
 * Exact: `Source(...)` itself, or a name assigned once from it.
 */
export function receiverClass(expression: Node, facts: PythonFacts): { cls: Node; exact: boolean } | undefined {
  if (expression.type === 'call') {
    // `Source(rows).items()`
    const callee = expression.childForFieldName('function');
    const binding = callee?.type === 'identifier' ? facts.singleBinding(callee.text, callee) : undefined;
    return binding?.kind === 'class' ? { cls: binding.node, exact: true } : undefined;
  }
  if (expression.type !== 'identifier') return undefined;
  const own = classOfValue(expression, facts);
  if (own) {
    const binding = facts.singleBinding(expression.text, expression);
    return { cls: own, exact: binding?.kind === 'assign' && !binding.annotation };
  }
  const binding = facts.singleBinding(expression.text, expression);
  const annotation = binding?.kind === 'param' || binding?.kind === 'assign' ? binding.annotation : undefined;
  const cls = annotation ? annotatedClass(annotation, facts) : undefined;
  return cls ? { cls, exact: false } : undefined;
}

/** The local class an annotation names by itself: `Source`, `Source[int]`, `"Source"` (not `Source | None`). */
function annotatedClass(annotation: Node, facts: PythonFacts): Node | undefined {
  let node: Node | null = annotation.type === 'type' ? annotation.firstNamedChild : annotation;
  if (node?.type === 'generic_type') node = node.firstNamedChild;
  let name: string | undefined;
  if (node?.type === 'identifier') name = node.text;
  else if (node?.type === 'string') name = /^(['"])\s*([A-Za-z_]\w*)\s*\1$/.exec(node.text)?.[2];
  if (!node || name === undefined) return undefined;
  const binding = facts.singleBinding(name, node);
  return binding?.kind === 'class' ? binding.node : undefined;
}

const subclassCache = new WeakMap<PythonFacts, Map<number, Node[]>>();

/** The top-level classes of the file that derive from `cls` through local bases. */
function localSubclasses(cls: Node, facts: PythonFacts): Node[] {
  let byClass = subclassCache.get(facts);
  if (!byClass) subclassCache.set(facts, (byClass = new Map()));
  const cached = byClass.get(cls.id);
  if (cached) return cached;
  const classes = facts.root.namedChildren
    .map((statement) => (statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement))
    .filter((node): node is Node => node?.type === 'class_definition');
  const derived: Node[] = [];
  const derives = (candidate: Node, seen: number): boolean => baseHeads(candidate).some((head) => {
    const base = head ? localBaseClass(head, candidate, facts) : undefined;
    return !!base && (base.id === cls.id || (seen < MAX_DEPTH && derives(base, seen + 1)));
  });
  for (const candidate of classes) if (candidate.id !== cls.id && derives(candidate, 0)) derived.push(candidate);
  byClass.set(cls.id, derived);
  return derived;
}

/**
 * For a receiver that may be an instance of a subclass: whether every local
 * subclass that overrides `method` makes it give the same kind of value.
 */
export function overridesAgree(cls: Node, method: string, kind: string, facts: PythonFacts, depth = 0): boolean {
  return localSubclasses(cls, facts).every((subclass) => {
    const override = classMembers(subclass).get(method);
    if (!override) return true;
    return override.type === 'function_definition' && facts.functionResult(override, depth + 1).kind === kind;
  });
}

/** A class deriving from `Protocol` (typing, typing_extensions, or a name we cannot resolve). */
export function isProtocolClass(cls: Node, facts: PythonFacts): boolean {
  return baseHeads(cls).some((head) => {
    if (!head) return false;
    const qualified = facts.qualifiedName(head) ?? head.text;
    return qualified === 'Protocol' || qualified.endsWith('.Protocol');
  });
}
