import * as path from 'node:path';
import type { LintSettings } from '../engine/config';
import { summarizePythonModule } from './analyze';
import type { PythonFacts } from './semantic/facts';
import type { Tree } from './parser';
import type { ModuleResolver, ModuleSummary } from './semantic/exports';

export interface ModuleResolverOptions {
  /**
   * The text of a file, or undefined when it does not exist or cannot be
   * read. The CLI reads the disk; the editor reads open documents first.
   */
  readonly readFile: (file: string) => string | undefined;
  /** Whether a file is there to import; reads it with `readFile` when not given. */
  readonly isFile?: (file: string) => boolean;
  /** Directories absolute imports are also looked up in (the project root and its `src/`). */
  readonly sourceRoots?: readonly string[];
  readonly settings?: LintSettings;
}

const PACKAGE_MARKERS = ['__init__.py', '__init__.pyi'];

/**
 * Finds the file an import names and summarises it, the way Python's import
 * system would find it inside one project:
 *
 * - `from .x import y`: each leading dot is one package up from the
 *   importing file's own package (its directory);
 * - `import pkg.mod` / `from pkg.mod import y`: against the root of the
 *   importing file's top-level package (the first directory upwards without
 *   `__init__.py`, which is also a script's own directory), then against the
 *   given source roots;
 * - a module is `pkg/mod.py` or `pkg/mod/__init__.py` (stubs, `.pyi`, when
 *   there is no source).
 *
 * Summaries are cached by path until `invalidate()`. It never throws: a
 * module it cannot find, read or summarise is simply unknown (`undefined`),
 * and so is a module whose summary is requested while it is being computed
 * (an import cycle).
 */
export class FileSystemModuleResolver implements ModuleResolver {
  private readonly readFile: (file: string) => string | undefined;
  private readonly isFile: (file: string) => boolean;
  private readonly sourceRoots: readonly string[];
  private readonly settings: LintSettings;
  private readonly summaries = new Map<string, ModuleSummary | undefined>();
  private readonly located = new Map<string, string | undefined>();
  private readonly packageRoots = new Map<string, string>();
  private readonly inProgress = new Set<string>();

  constructor(options: ModuleResolverOptions) {
    this.readFile = (file) => {
      try {
        return options.readFile(file);
      } catch {
        return undefined;
      }
    };
    const isFile = options.isFile;
    this.isFile = isFile
      ? (file) => {
          try {
            return isFile(file);
          } catch {
            return false;
          }
        }
      : (file) => this.readFile(file) !== undefined;
    this.sourceRoots = options.sourceRoots ?? [];
    this.settings = options.settings ?? {};
  }

  summary(fromPath: string, module: string, level: number): ModuleSummary | undefined {
    const file = this.locate(fromPath, module, level);
    return file === undefined ? undefined : this.summaryOf(file);
  }

  /** The file that `module` (with `level` leading dots) names when imported from `fromPath`. */
  locate(fromPath: string, module: string, level: number): string | undefined {
    const parts = module === '' ? [] : module.split('.');
    if (parts.some((part) => part === '')) return undefined;
    if (level > 0) {
      let base = path.dirname(fromPath);
      for (let up = 1; up < level; up++) base = path.dirname(base);
      return this.findModule(base, parts);
    }
    if (parts.length === 0) return undefined;
    const bases = new Set([this.packageRoot(path.dirname(fromPath)), ...this.sourceRoots]);
    for (const base of bases) {
      const file = this.findModule(base, parts);
      if (file !== undefined) return file;
    }
    return undefined;
  }

  /**
   * The summary of one file. `text` and `tree` (already parsed from `text`;
   * the caller keeps ownership) save reading and parsing it again, and
   * `facts` (of that tree) building them twice when the file is also analysed.
   */
  summaryOf(file: string, text?: string, tree?: Tree, facts?: PythonFacts): ModuleSummary | undefined {
    if (this.summaries.has(file)) return this.summaries.get(file);
    if (this.inProgress.has(file)) return undefined;
    this.inProgress.add(file);
    let summary: ModuleSummary | undefined;
    try {
      const source = text ?? this.readFile(file);
      summary = source === undefined ? undefined : summarizePythonModule(source, file, this.settings, this, tree, facts);
    } catch {
      summary = undefined;
    } finally {
      this.inProgress.delete(file);
    }
    this.summaries.set(file, summary);
    return summary;
  }

  /**
   * Forgets the summary of `file` (its text changed). Without an argument,
   * forgets everything, which is needed when files were created or deleted:
   * that changes where modules are found.
   */
  invalidate(file?: string): void {
    if (file !== undefined) {
      this.summaries.delete(file);
      return;
    }
    this.summaries.clear();
    this.located.clear();
    this.packageRoots.clear();
  }

  private findModule(base: string, parts: readonly string[]): string | undefined {
    const key = `${base}\0${parts.join('.')}`;
    if (this.located.has(key)) return this.located.get(key);
    const stem = path.join(base, ...parts);
    const candidates = parts.length === 0
      ? PACKAGE_MARKERS.map((marker) => path.join(base, marker))
      : [`${stem}.py`, path.join(stem, '__init__.py'), `${stem}.pyi`, path.join(stem, '__init__.pyi')];
    const found = candidates.find((candidate) => this.isFile(candidate));
    this.located.set(key, found);
    return found;
  }

  /** The directory a file's top-level package sits in: the first one upwards that is not a package. */
  private packageRoot(directory: string): string {
    const cached = this.packageRoots.get(directory);
    if (cached !== undefined) return cached;
    const isPackage = PACKAGE_MARKERS.some((marker) => this.isFile(path.join(directory, marker)));
    const parent = path.dirname(directory);
    const root = isPackage && parent !== directory ? this.packageRoot(parent) : directory;
    this.packageRoots.set(directory, root);
    return root;
  }
}
