import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { pathExists, readFileBytes } from './read';
import { validateLayer, type SettingNames, type SettingsLayer } from './settings';

/*
 * Where a project starts and what its pyproject.toml says. Every host finds
 * the root the same way, so imports resolve the same in the CLI and the
 * editor whatever the working directory.
 */

const CONFIG_FILE = 'pyproject.toml';
/** Files that mark a project root when there is no pyproject.toml. */
const ROOT_MARKERS = ['.git', 'setup.py', 'setup.cfg'];
/** A pyproject.toml larger than this is not a configuration file. */
const MAX_CONFIG_SIZE = 1_000_000;

/** `[tool.async-lens]` keys as pyproject.toml spells them. */
const PYPROJECT_NAMES: SettingNames = {
  select: '[tool.async-lens] select',
  ignore: '[tool.async-lens] ignore',
  severity: '[tool.async-lens] severity',
  knownAsyncIterables: '[tool.async-lens] known-async-iterables',
  topLevelAwait: '[tool.async-lens] top-level-await',
  exclude: '[tool.async-lens] exclude',
  maxFileSize: '[tool.async-lens] max-file-size',
};
const PYPROJECT_KEYS: Readonly<Record<string, string>> = {
  select: 'select',
  ignore: 'ignore',
  severity: 'severity',
  'known-async-iterables': 'knownAsyncIterables',
  'top-level-await': 'topLevelAwait',
  exclude: 'exclude',
  'max-file-size': 'maxFileSize',
};

export interface ProjectRoot {
  /** The directory imports are resolved from and `exclude` patterns are relative to. */
  readonly root: string;
  /** The pyproject.toml that applies, if any (it is in `root`). */
  readonly configFile: string | undefined;
}

/** What a directory and those above it hold: the nearest pyproject.toml, else the nearest root marker. */
interface Ancestry {
  readonly configFile: string | undefined;
  readonly marked: string | undefined;
}

/**
 * What `findProjectRoot` learnt of each directory, for a walk over many:
 * each directory's files are looked for once, not once per directory below
 * it (date-fns's 1,294 folders took 34,000 failed `stat`s and 240 ms).
 */
export type ProjectRootCache = Map<string, Ancestry>;

/**
 * The project a directory belongs to: the nearest directory at or above it
 * with a pyproject.toml; without one, the nearest with `.git`, `setup.py` or
 * `setup.cfg`; without any, the directory itself.
 */
export function findProjectRoot(directory: string, cache: ProjectRootCache = new Map()): ProjectRoot {
  const start = path.resolve(directory);
  // Up to a pyproject.toml, a directory already known, or the filesystem's root; then each one's answer from the top down.
  const visited: string[] = [];
  let above: Ancestry = { configFile: undefined, marked: undefined };
  for (let current = start; ; current = path.dirname(current)) {
    const known = cache.get(current);
    if (known) {
      above = known;
      break;
    }
    const candidate = path.join(current, CONFIG_FILE);
    if (pathExists(candidate)) {
      above = { configFile: candidate, marked: undefined };
      cache.set(current, above);
      break;
    }
    visited.push(current);
    if (path.dirname(current) === current) break;
  }
  for (let index = visited.length - 1; index >= 0; index--) {
    const current = visited[index]!;
    const marked = above.configFile === undefined && ROOT_MARKERS.some((marker) => pathExists(path.join(current, marker))) ? current : above.marked;
    above = { configFile: above.configFile, marked };
    cache.set(current, above);
  }
  return above.configFile ? { root: path.dirname(above.configFile), configFile: above.configFile } : { root: above.marked ?? start, configFile: undefined };
}

/** What a pyproject.toml contributes, and what is wrong with it (one line per problem; the valid rest applies). */
export interface ProjectConfig {
  readonly layer: SettingsLayer;
  readonly problems: readonly string[];
}

/**
 * Reads `[tool.async-lens]` of a pyproject.toml. A file that cannot be read
 * or is not TOML gives one problem and no settings.
 */
export function readProjectConfig(file: string): ProjectConfig {
  const read = readFileBytes(file, MAX_CONFIG_SIZE);
  if (!read.ok) return { layer: {}, problems: [`cannot read it: ${read.kind === 'too-large' ? 'larger than 1 MB' : read.problem}`] };
  return parseProjectConfig(read.bytes.toString('utf8'));
}

/** Checks the text of a pyproject.toml; a TOML syntax error starts with `line:column:`. */
export function parseProjectConfig(text: string): ProjectConfig {
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.replace(/^Invalid TOML document:\s*/, '');
    const where = error instanceof TomlError ? `${error.line}:${error.column}: ` : '';
    return { layer: {}, problems: [`${where}invalid TOML: ${reason}`] };
  }
  const project = document.project;
  const requires = isTable(project) && typeof project['requires-python'] === 'string' ? minimumPython(project['requires-python']) : undefined;
  const fromProject = requires ? { minimumVersion: requires } : {};
  const tool = document.tool;
  const table = isTable(tool) ? tool['async-lens'] : undefined;
  if (table === undefined) return { layer: fromProject, problems: [] };
  if (!isTable(table)) return { layer: fromProject, problems: ['[tool.async-lens]: expected a table'] };
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const name = PYPROJECT_KEYS[key];
    if (name) raw[name] = value;
    else problems.push(`[tool.async-lens] ${key}: unknown key (expected one of: ${Object.keys(PYPROJECT_KEYS).join(', ')})`);
  }
  const validated = validateLayer(raw, PYPROJECT_NAMES);
  return { layer: { ...fromProject, ...validated.layer }, problems: [...problems, ...validated.problems] };
}

/**
 * The oldest Python a `requires-python` specifier admits, from its lower
 * bounds (`>=3.11`, `~=3.10`, `==3.12.*`, `>3.9`); undefined without one.
 */
function minimumPython(specifier: string): [number, number] | undefined {
  let best: [number, number] | undefined;
  for (const clause of specifier.split(',')) {
    const match = /^\s*(>=|~=|==|===|>)\s*(\d+)(?:\.(\d+))?/.exec(clause);
    if (!match) continue;
    const major = Number(match[2]);
    let minor = Number(match[3] ?? 0);
    if (match[1] === '>' && match[3] !== undefined) minor += 1;
    if (!best || major > best[0] || (major === best[0] && minor > best[1])) best = [major, minor];
  }
  return best;
}

/** `pyproject.toml:3:17: invalid TOML: …` or `pyproject.toml: [tool.async-lens] select: …`, as both hosts show it. */
export function describeConfigProblem(file: string, problem: string): string {
  return /^\d+:\d+: /.test(problem) ? `${file}:${problem}` : `${file}: ${problem}`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
