import type { Node } from '../parser';

/*
 * Facts read from the syntax of one node alone (a top-level statement, a
 * class member), memoised by the node's text. A keystroke changes one
 * statement of a file; the others keep their text, so a fact the analysis
 * needs from every statement of the file is worked out again only for the
 * changed one. The incremental layer relies on the same property
 * (`unitInterface`).
 */

/** Cached texts beyond this many characters are dropped (about the texts of two or three files at the default size limit). */
const MAX_CACHED_CHARS = 5_000_000;

/**
 * `compute`, memoised by node text. Only for facts of the node's own syntax,
 * never its position or its surroundings; a node with a syntax error is not
 * cached (error recovery may depend on the text around it).
 */
export function byNodeText<T>(compute: (node: Node) => T): (node: Node) => T {
  let cache = new Map<string, T>();
  let cachedChars = 0;
  return (node) => {
    if (node.hasError) return compute(node);
    const text = node.text;
    if (cache.has(text)) return cache.get(text) as T;
    if (cachedChars > MAX_CACHED_CHARS) [cache, cachedChars] = [new Map(), 0];
    const value = compute(node);
    cache.set(text, value);
    cachedChars += text.length;
    return value;
  };
}
