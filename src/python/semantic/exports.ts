import { pendingCleanup, type PendingCleanup } from './cleanup';
import type { PythonFacts } from './facts';

/**
 * What one Python module exports that matters for async iteration, so that
 * `from streams import fetch_pages` in another file knows `fetch_pages()` is
 * an async generator. Hosts supply a `ModuleResolver` (the CLI reads the file
 * system; the editor reads open documents first).
 */

export type ExportKind =
  | 'async-generator-function'
  | 'sync-generator-function'
  | 'async-iterable-function'
  | 'async-iterable-class'
  | 'sync-iterable-class'
  | 'both-iterable-class';

export interface ReExport {
  readonly module: string;
  readonly level: number;
  readonly name: string;
}

export interface ModuleSummary {
  readonly path: string;
  readonly exports: ReadonlyMap<string, ExportKind | ReExport>;
  /** The exported async generator functions that yield inside cleanup (`pendingCleanup`), with what they owe. */
  readonly pendingCleanup?: ReadonlyMap<string, PendingCleanup>;
}

export interface ModuleResolver {
  /**
   * The summary of `module` imported from the file at `fromPath` with
   * `level` leading dots (0 for an absolute import), or undefined when the
   * module is not part of the project or cannot be read.
   */
  summary(fromPath: string, module: string, level: number): ModuleSummary | undefined;
}

const MAX_REEXPORT_HOPS = 4;

/** Follows re-exports (`from .impl import fetch_pages` in `__init__.py`) to what a name really is. */
export function resolveExport(resolver: ModuleResolver, fromPath: string, module: string, level: number, name: string): { kind: ExportKind; path: string; name: string; summary: ModuleSummary } | undefined {
  let current = resolver.summary(fromPath, module, level);
  let wanted = name;
  for (let hop = 0; current && hop <= MAX_REEXPORT_HOPS; hop++) {
    const entry = current.exports.get(wanted);
    if (entry === undefined) return undefined;
    if (typeof entry === 'string') return { kind: entry, path: current.path, name: wanted, summary: current };
    wanted = entry.name;
    current = resolver.summary(current.path, entry.module, entry.level);
  }
  return undefined;
}

/** What a module's top-level names are, for other files that import them. */
export function summarizeExports(facts: PythonFacts): Map<string, ExportKind | ReExport> {
  const exports = new Map<string, ExportKind | ReExport>();
  for (const [name, bindings] of facts.scopeInfo(facts.root).names) {
    if (bindings.length !== 1) continue;
    const binding = bindings[0]!;
    if (binding.kind === 'def') {
      const result = facts.functionResult(binding.node);
      const isGenerator = facts.isGenerator(binding.node);
      if (result.kind === 'async') exports.set(name, isGenerator ? 'async-generator-function' : 'async-iterable-function');
      else if (result.kind === 'sync' && isGenerator) exports.set(name, 'sync-generator-function');
    } else if (binding.kind === 'class') {
      const instance = facts.instanceOf(binding.node);
      if (instance.kind === 'async') exports.set(name, 'async-iterable-class');
      else if (instance.kind === 'sync') exports.set(name, 'sync-iterable-class');
      else if (instance.kind === 'both') exports.set(name, 'both-iterable-class');
    } else if (binding.kind === 'import') {
      exports.set(name, { module: binding.module, level: binding.level, name: binding.name });
    }
  }
  return exports;
}

/** The module's top-level async generator functions that owe cleanup while suspended, for `ModuleSummary.pendingCleanup`. */
export function summarizePendingCleanup(facts: PythonFacts): Map<string, PendingCleanup> {
  const owed = new Map<string, PendingCleanup>();
  for (const [name, bindings] of facts.scopeInfo(facts.root).names) {
    const binding = bindings.length === 1 ? bindings[0]! : undefined;
    if (binding?.kind !== 'def' || !facts.isGenerator(binding.node)) continue;
    const cleanup = pendingCleanup(binding.node);
    if (cleanup) owed.set(name, cleanup);
  }
  return owed;
}
