import type { Node } from '../parser';

/*
 * Facts read from the syntax of one top-level statement alone, memoised by
 * the statement's text. A keystroke changes one statement of a file; the
 * others keep their text, so a fact the analysis needs from every statement
 * of the file is worked out again only for the changed one. The incremental
 * layer relies on the same property (`unitInterface`).
 */

/** Cached texts beyond this many characters are dropped (about the texts of two or three files at the default size limit). */
const MAX_CACHED_CHARS = 5_000_000;

/**
 * `compute`, memoised by statement text. Only for facts of the statement's
 * own syntax, never its position or its surroundings; a statement with a
 * syntax error is not cached (error recovery may depend on the text around it).
 */
export function byStatementText<T>(compute: (statement: Node) => T): (statement: Node) => T {
  let cache = new Map<string, T>();
  let cachedChars = 0;
  return (statement) => {
    if (statement.hasError) return compute(statement);
    const text = statement.text;
    if (cache.has(text)) return cache.get(text) as T;
    if (cachedChars > MAX_CACHED_CHARS) [cache, cachedChars] = [new Map(), 0];
    const value = compute(statement);
    cache.set(text, value);
    cachedChars += text.length;
    return value;
  };
}
