/*
 * Where a Python file iterates asynchronously: the lines that get the
 * playground's "▶ Run in Async Playground" code lens (async generator
 * definitions and `async for` statements), read off the worker's last tree.
 */

import type { Tree } from '../../../python/parser';
import { codeOwner } from '../../../python/semantic/owner';
import { hasAsyncKeyword } from '../../../python/syntax';

/** 0-based lines, in order, without duplicates. */
export function runnableLines(tree: Tree): number[] {
  const lines = new Set<number>();
  // One native call for both kinds: crossing into the wasm parser per node is the cost here.
  for (const node of tree.rootNode.descendantsOfType(['for_statement', 'yield'])) {
    if (!node) continue;
    if (node.type === 'for_statement') {
      if (hasAsyncKeyword(node)) lines.add(node.startPosition.row);
      continue;
    }
    // A `yield` makes the function whose own code it is part of a generator.
    const owner = codeOwner(node);
    if (owner.type === 'function_definition' && hasAsyncKeyword(owner)) lines.add(owner.startPosition.row);
  }
  return [...lines].sort((a, b) => a - b);
}
