import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { FileSystemModuleResolver } from '../python/module-resolver';
import { findProjectRoot, readProjectConfig, type ProjectConfig, type ProjectRootCache } from './config';
import type { FileSettings } from './settings';

/*
 * The project layer every host shares: for a file, its project (root and
 * pyproject.toml), whether the project excludes it, and one module resolver
 * per project and known-API list. Hosts only add their own settings layers
 * and say how to read a file (the editor reads open documents first).
 */

export interface Project {
  readonly root: string;
  readonly configFile: string | undefined;
  /** What the pyproject.toml says (empty without one). */
  readonly config: ProjectConfig;
}

/** How a host reads files for imports: the CLI reads the disk; the editor its open documents first. */
export interface FileAccess {
  /** The text of a file, or undefined when it is not there, not a regular file, too large or unreadable. */
  readText(file: string): string | undefined;
  /** Whether a module file is there (cheaper than reading it). */
  isFile(file: string): boolean;
}

const MAX_RESOLVERS = 8;

export class Projects {
  private readonly roots = new Map<string, ReturnType<typeof findProjectRoot>>();
  private readonly ancestry: ProjectRootCache = new Map();
  private readonly configs = new Map<string, ProjectConfig>();
  private readonly resolvers = new Map<string, FileSystemModuleResolver>();

  constructor(private readonly files: FileAccess) {}

  /** The project a file or directory belongs to. */
  projectOf(directory: string): Project {
    let found = this.roots.get(directory);
    if (!found) this.roots.set(directory, (found = findProjectRoot(directory, this.ancestry)));
    const { root, configFile } = found;
    let config = configFile === undefined ? EMPTY : this.configs.get(configFile);
    if (!config) this.configs.set(configFile!, (config = readProjectConfig(configFile!)));
    return { root, configFile, config };
  }

  /** The project of a file. */
  projectOfFile(file: string): Project {
    return this.projectOf(path.dirname(file));
  }

  /**
   * The module resolver for a project and settings: imports are looked up
   * from the importing file's package, then in the root and its `src/`.
   * Summaries depend on the known-API list, so it is part of the key.
   */
  resolverFor(project: Project, settings: FileSettings): FileSystemModuleResolver {
    const key = `${project.root}\0${JSON.stringify(settings.knownAsyncIterables ?? [])}`;
    let resolver = this.resolvers.get(key);
    if (resolver) {
      // Most recently used last, so the oldest is dropped first.
      this.resolvers.delete(key);
    } else {
      resolver = new FileSystemModuleResolver({
        readFile: (file) => this.files.readText(file),
        isFile: (file) => this.files.isFile(file),
        sourceRoots: [project.root, path.join(project.root, 'src')],
        settings,
      });
      if (this.resolvers.size >= MAX_RESOLVERS) this.resolvers.delete(this.resolvers.keys().next().value!);
    }
    this.resolvers.set(key, resolver);
    return resolver;
  }

  /** Every resolver forgets what it learnt from `file` (its text changed). */
  forgetFile(file: string): void {
    for (const resolver of this.resolvers.values()) resolver.invalidate(file);
  }

  /**
   * Files changed on disk (undefined: unknown which). A created or deleted
   * file changes where modules are found, and a pyproject.toml or marker
   * what the projects are: forget everything then.
   */
  invalidate(paths?: readonly string[]): void {
    if (paths === undefined || paths.some((file) => path.basename(file) === 'pyproject.toml')) {
      this.roots.clear();
      this.ancestry.clear();
      this.configs.clear();
    }
    if (paths === undefined) for (const resolver of this.resolvers.values()) resolver.invalidate();
    else for (const file of paths) this.forgetFile(file);
  }
}

const EMPTY: ProjectConfig = { layer: {}, problems: [] };

const matchers = new Map<string, Ignore>();

/** Whether `[tool.async-lens] exclude` (gitignore patterns relative to the root) leaves a file or directory out. */
export function isExcluded(root: string, patterns: readonly string[], absolute: string, isDirectory = false): boolean {
  if (patterns.length === 0) return false;
  const relative = path.relative(root, absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return false;
  const key = patterns.join('\n');
  let matcher = matchers.get(key);
  if (!matcher) matchers.set(key, (matcher = ignore().add([...patterns])));
  const posix = relative.split(path.sep).join('/');
  return matcher.ignores(isDirectory ? `${posix}/` : posix);
}
