import type { Node } from '../parser';

/*
 * "Whose code is this node?", answered by climbing the tree: the one
 * definition every other answer follows (`ScopeIndex.scopeOf` gives the same
 * from its index, faster when asked many times). Free of the parser's
 * runtime, so that code the extension host loads may use it.
 */

const SCOPE_KINDS: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition']);

/**
 * Where a scope's own code starts: its body. A function's defaults,
 * annotations and decorators, and a class's bases, run in the scope around it.
 * This is the one definition of "whose code is this node" (see `codeOwner`).
 */
export function scopeBodyStart(scope: Node): number {
  if (!SCOPE_KINDS.has(scope.type)) return scope.startIndex;
  return scope.childForFieldName('body')?.startIndex ?? scope.endIndex;
}

/**
 * The function, lambda, class or module whose own code `node` is part of
 * (never `node` itself), found by climbing the tree. `ScopeIndex.scopeOf`
 * answers the same from its index, faster when asked many times.
 */
export function codeOwner(node: Node): Node {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (SCOPE_KINDS.has(current.type) && child.startIndex >= scopeBodyStart(current)) return current;
    if (!current.parent) return current;
  }
  return node;
}

/** Whether a function's (or lambda's) own code yields, so that calling it makes a generator. */
export function hasOwnYield(fn: Node): boolean {
  if (fn.type !== 'function_definition' && fn.type !== 'lambda') return false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  // The named `yield` expression only: a stray `yield` keyword in an ERROR node is no yield (and the scope index, which answers `isGenerator`, agrees).
  return body.descendantsOfType('yield').some((node) => !!node && node.isNamed && codeOwner(node).id === fn.id);
}

