import type { LintSettings } from '../engine/config';
import { jsKnownApiTable } from './known-apis';

/*
 * Without types, a JS/TS rule can only learn that something is async from
 * the file's own text: an `async` function or generator, `await`,
 * `[Symbol.asyncIterator]` / `[Symbol.iterator]` members, an iterator's
 * `next`, or an import of a known async-iterable API (`node:readline`,
 * `process.stdin`, the user's `module#name` entries). A file that mentions
 * none of these cannot have a finding when it is checked syntax-only, so a
 * host without a program need not parse it. (With a type checker anything can
 * be an async iterable through an import, and every file is analysed.)
 *
 * A rule that reacts to some other word without types must add it here; the
 * CLI test checks that every JS fixture expecting a syntax-mode finding
 * matches.
 */

const WORDS = ['async', 'await', 'iterator', '\\bnext\\b'];

const patterns = new Map<string, RegExp>();

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Matches a text in which a syntax-only analysis could find something (a
 * superset: it may match text inside a comment or a string). Known APIs
 * count through their module's specifier in quotes (`'node:fs'`, `"events"`)
 * or, for a global, the member named (`stdin` of `process.stdin`).
 */
export function jsTriggerPattern(settings: LintSettings = {}): RegExp {
  const extra = settings.knownAsyncIterables ?? [];
  const key = extra.join('\n');
  let pattern = patterns.get(key);
  if (pattern) return pattern;
  const modules = new Set<string>();
  const members = new Set<string>();
  for (const entry of jsKnownApiTable(extra).entries) {
    if (entry.module === '') members.add(entry.path[entry.path.length - 1]!);
    else modules.add(entry.module);
  }
  const alternatives = [...WORDS, ...[...members].map(escape)];
  if (modules.size > 0) alternatives.push(`["'\`](?:node:)?(?:${[...modules].map(escape).join('|')})["'\`]`);
  pattern = new RegExp(alternatives.join('|'), 'i');
  patterns.set(key, pattern);
  return pattern;
}
