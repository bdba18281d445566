import type { Node } from '../parser';
import { forEachOwnNode, isAsyncFunction } from '../syntax';

/*
 * Cleanup an async generator leaves pending while it is suspended: a `yield`
 * inside a `try` that has a `finally`, or inside a `with` / `async with`
 * block. Abandoned there (an `async for` left by `break`), that cleanup only
 * runs when the generator is closed: by `aclose()`, or by the event loop's
 * finalizer once the generator is garbage-collected.
 */

/** What cleanup a suspended generator owes: the construct a `yield` sits in. */
export type PendingCleanup = 'finally' | 'with' | 'async with';

/**
 * The cleanup an async generator (an `async def` whose own code yields) owes
 * while suspended at one of its `yield`s, the first in the text; undefined
 * when none of its own `yield`s is inside a `try`/`finally`, a `with` or an
 * `async with` (or it is not an async generator, or has a syntax error). A
 * `yield` in the `finally` clause itself is not protected by that `finally`.
 */
export function pendingCleanup(fn: Node): PendingCleanup | undefined {
  // Code the parser had to repair (while typing) says nothing reliable, not even the function's name.
  if (!isAsyncFunction(fn) || fn.hasError) return undefined;
  const points: Node[] = [];
  forEachOwnNode(fn, (node) => {
    if (node.type === 'yield') points.push(node);
  });
  for (const point of points) {
    let child: Node = point;
    for (let parent = point.parent; parent && parent.id !== fn.id; child = parent, parent = parent.parent) {
      if (parent.type === 'with_statement' && parent.childForFieldName('body')?.id === child.id) {
        return parent.firstChild?.type === 'async' ? 'async with' : 'with';
      }
      if (parent.type === 'try_statement' && child.type !== 'finally_clause' && parent.namedChildren.some((clause) => clause?.type === 'finally_clause')) {
        return 'finally';
      }
    }
  }
  return undefined;
}
