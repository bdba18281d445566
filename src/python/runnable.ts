/*
 * Where a Python file iterates asynchronously: the lines that get the
 * playground's "▶ Run in Async Playground" code lens (async generator
 * definitions and `async for` statements).
 */

import type { Node, Tree } from './parser';

const FUNCTION_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

/** 0-based lines, in order, without duplicates. */
export function asyncIterationLines(tree: Tree): number[] {
  const lines = new Set<number>();
  // One query for all three kinds: crossing into the wasm parser per node is the cost here.
  for (const node of tree.rootNode.descendantsOfType(['for_statement', 'yield'])) {
    if (!node) continue;
    if (node.type === 'for_statement') {
      if (startsWithAsync(node)) lines.add(node.startPosition.row);
      continue;
    }
    // A `yield` makes its own function a generator (a lambda's or a class body's is not ours).
    let scope = node.parent;
    while (scope && !FUNCTION_SCOPES.has(scope.type)) scope = scope.parent;
    if (scope?.type === 'function_definition' && startsWithAsync(scope)) lines.add(scope.startPosition.row);
  }
  return [...lines].sort((a, b) => a - b);
}

function startsWithAsync(node: Node): boolean {
  return node.firstChild?.type === 'async';
}
