import { resolveExport, type ExportKind, type ModuleSummary } from '../../python/semantic/exports';
import type { FileSystemModuleResolver } from '../../python/module-resolver';

/*
 * Most files hold no async construct and cannot have a finding, so they are
 * never parsed. A file without any trigger word (`pythonTriggerPattern`) can
 * still have one through an import: `for page in fetch_pages(urls):` where
 * `fetch_pages` is an async generator defined in another module. The rules
 * only ever learn that through an import statement of the file (the facts
 * resolve names through local definitions and imports, and a file without
 * trigger words defines nothing async), so these helpers read a file's import
 * statements without parsing it and ask the resolver what they bring in.
 */

const ASYNC_EXPORTS: ReadonlySet<ExportKind> = new Set([
  'async-generator-function',
  'async-iterable-function',
  'async-iterable-class',
]);

function isAsyncExport(kind: ExportKind | undefined): boolean {
  return kind !== undefined && ASYNC_EXPORTS.has(kind);
}

/**
 * The names a module exports as async iterables (or functions and classes
 * giving them). A re-export is followed unless it keeps its name and comes
 * from a module being checked (`isChecked`), whose own names are collected
 * anyway: that keeps the import graph from being parsed module by module.
 */
export function asyncExportNames(summary: ModuleSummary, resolver: FileSystemModuleResolver, isChecked: (file: string) => boolean): string[] {
  const names: string[] = [];
  for (const [name, entry] of summary.exports) {
    if (typeof entry === 'string') {
      if (isAsyncExport(entry)) names.push(name);
      continue;
    }
    if (entry.name === name) {
      const origin = resolver.locate(summary.path, entry.module, entry.level);
      if (origin === undefined || isChecked(origin)) continue;
    }
    if (isAsyncExport(resolveExport(resolver, summary.path, entry.module, entry.level, entry.name)?.kind)) names.push(name);
  }
  return names;
}

export interface ImportStatement {
  readonly module: string;
  /** Leading dots of a relative import. */
  readonly level: number;
  /** The names of `from module import a, b as c` (`a`, `b`); undefined for `import module`. */
  readonly names: readonly string[] | undefined;
}

/** `from .x import y`, `from . import (a, b)`, also `from .import y`. */
const FROM_IMPORT = /(?:^|;)[ \t]*from[ \t]+(\.*)[ \t]*([^\s;#().\\][^\s;#()\\]*)?[ \t]*\bimport\b[ \t]*(\([^)]*\)|[^\r\n;#]*)/gm;
/** `import a.b, c as d`. */
const PLAIN_IMPORT = /(?:^|;)[ \t]*import[ \t]+([^\r\n;#]+)/gm;

/**
 * The import statements of a Python text, found without parsing it. It may
 * list too much (an import inside a string), which only costs a lookup.
 */
export function importStatements(source: string): ImportStatement[] {
  const text = source.includes('\\') ? source.replace(/\\\r?\n/g, ' ') : source;
  const statements: ImportStatement[] = [];
  for (const match of text.matchAll(FROM_IMPORT)) {
    const list = match[3]!.replace(/#[^\n]*/g, '').replace(/[()]/g, '');
    const names = list.split(',').map((part) => part.trim().split(/\s+/, 1)[0]!).filter(Boolean);
    statements.push({ module: match[2] ?? '', level: match[1]!.length, names });
  }
  for (const match of text.matchAll(PLAIN_IMPORT)) {
    for (const part of match[1]!.split(',')) {
      const module = part.trim().split(/\s+/, 1)[0];
      if (module) statements.push({ module, level: 0, names: undefined });
    }
  }
  return statements;
}

/**
 * Whether a file (one without trigger words) imports something the rules
 * would see as an async iterable: a name of `names` through
 * `from module import name`, or a module whose async exports it mentions.
 */
export function importsAsyncIterable(file: string, text: string, names: ReadonlySet<string>, resolver: FileSystemModuleResolver): boolean {
  for (const statement of importStatements(text)) {
    if (statement.names) {
      for (const name of statement.names) {
        if (names.has(name) && isAsyncExport(resolveExport(resolver, file, statement.module, statement.level, name)?.kind)) return true;
        // `from . import streams`, then `streams.fetch()`: a submodule used by attribute.
        const submodule = statement.module ? `${statement.module}.${name}` : name;
        if (mentionsAsyncExportOf(file, text, submodule, statement.level, resolver)) return true;
      }
      continue;
    }
    if (mentionsAsyncExportOf(file, text, statement.module, 0, resolver)) return true;
  }
  return false;
}

/** Whether `text` mentions a name that `module` (imported from `file`) exports as an async iterable. */
function mentionsAsyncExportOf(file: string, text: string, module: string, level: number, resolver: FileSystemModuleResolver): boolean {
  const summary = resolver.summary(file, module, level);
  for (const name of summary?.exports.keys() ?? []) {
    if (text.includes(name) && isAsyncExport(resolveExport(resolver, file, module, level, name)?.kind)) return true;
  }
  return false;
}

/**
 * Matches a text that mentions one of `names` anywhere, even inside a longer
 * word: a cheap superset of the files that import them. (Names can be
 * non-ASCII identifiers, which `\b` and `\w` do not understand.)
 */
export function mentionsAny(names: Iterable<string>): RegExp | undefined {
  const alternatives = [...names].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return alternatives.length > 0 ? new RegExp(alternatives.join('|')) : undefined;
}
