import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isJsFile } from '../../js/analyze';
import { describeFsError, readFileBytes } from '../../project/read';

/** Directories never walked into, whatever the ignore files say. */
const ALWAYS_SKIPPED = new Set([
  'node_modules', '.venv', 'venv', '__pycache__', '.git', '.hg', '.svn',
  '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
]);
const PYTHON_FILE = /\.pyi?$/;
const DECLARATION_FILE = /\.d\.[mc]?ts$/i;

/** Files a directory is searched for: Python (`.py`, `.pyi`), JavaScript and TypeScript (not `.d.ts`). */
function isCheckedFile(name: string): boolean {
  return PYTHON_FILE.test(name) || isJsFile(name);
}

/** A TypeScript declaration file (`.d.ts`, `.d.mts`, `.d.cts`): types only, nothing to check. */
export function isDeclarationFile(file: string): boolean {
  return DECLARATION_FILE.test(file);
}

/** A set of gitignore-style patterns and the directory they are relative to. */
interface IgnoreLayer {
  readonly base: string;
  readonly matcher: Ignore;
}

export interface DiscoveredFile {
  /** The path as given, joined with the path inside a given directory. */
  readonly display: string;
  readonly absolute: string;
}

export interface DiscoveryProblem {
  readonly display: string;
  readonly problem: string;
}

export interface WalkOptions {
  /** What the project excludes (`[tool.async-lens] exclude`); it wins over ignore files. */
  readonly isExcluded?: (absolute: string, isDirectory: boolean) => boolean;
}

/**
 * The files to check under a directory (`isCheckedFile`), in a stable order
 * (names sorted at each level). `.gitignore` files are respected: those inside
 * the directory and, up to the repository root (the nearest directory holding
 * `.git`), those above it. Symbolic links to directories are not followed, so
 * a link cycle cannot trap the walk.
 */
export function walkDirectory(directory: string, display: string, options: WalkOptions = {}): { files: DiscoveredFile[]; problems: DiscoveryProblem[] } {
  const files: DiscoveredFile[] = [];
  const problems: DiscoveryProblem[] = [];
  const excluded = options.isExcluded ?? (() => false);

  const visit = (absolute: string, shown: string, layers: readonly IgnoreLayer[]) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absolute, { withFileTypes: true });
    } catch (error) {
      problems.push({ display: shown, problem: describeFsError(error) });
      return;
    }
    const own = ignoreLayer(absolute);
    const active = own ? [...layers, own] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childAbsolute = path.join(absolute, entry.name);
      const childShown = path.join(shown, entry.name);
      const kind = entryKind(entry, childAbsolute);
      if (kind === 'directory') {
        if (ALWAYS_SKIPPED.has(entry.name) || excluded(childAbsolute, true) || isIgnored(childAbsolute, true, active)) continue;
        visit(childAbsolute, childShown, active);
      } else if (kind === 'file' && isCheckedFile(entry.name) && !excluded(childAbsolute, false) && !isIgnored(childAbsolute, false, active)) {
        files.push({ display: childShown, absolute: childAbsolute });
      }
    }
  };

  // A directory given explicitly is checked even when an ignore file above it excludes it.
  const ancestors = ancestorLayers(directory);
  visit(directory, display, isIgnored(directory, true, ancestors) ? [] : ancestors);
  return { files, problems };
}

function entryKind(entry: fs.Dirent, absolute: string): 'file' | 'directory' | 'other' {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    return fs.statSync(absolute).isFile() ? 'file' : 'other';
  } catch {
    return 'other';
  }
}

function ignoreLayer(directory: string): IgnoreLayer | undefined {
  // A FIFO or a huge file named .gitignore is not read (nor waited on).
  const read = readFileBytes(path.join(directory, '.gitignore'), 1_000_000);
  return read.ok ? { base: directory, matcher: ignore().add(read.bytes.toString('utf8')) } : undefined;
}

/** The `.gitignore` files above `directory` that apply to it: none unless it is inside a repository. */
function ancestorLayers(directory: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  for (let current = directory; ; ) {
    const parent = path.dirname(current);
    if (fs.existsSync(path.join(current, '.git'))) return layers.reverse();
    if (parent === current) return [];
    current = parent;
    const layer = ignoreLayer(current);
    if (layer) layers.push(layer);
  }
}

/** Git's rule: the deepest ignore file with a matching pattern decides (its last matching pattern, `!` re-including). */
function isIgnored(absolute: string, isDirectory: boolean, layers: readonly IgnoreLayer[]): boolean {
  const relativeTo = (base: string) => {
    const relative = path.relative(base, absolute);
    if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
    const posix = relative.split(path.sep).join('/');
    return isDirectory ? `${posix}/` : posix;
  };
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const relative = relativeTo(layer.base);
    if (relative === undefined) continue;
    const result = layer.matcher.test(relative);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}
