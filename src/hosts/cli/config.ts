import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { isSeveritySetting, unknownCodes, type LintSettings, type SeveritySetting } from '../../engine/config';
import { ruleByCode } from '../../engine/registry';
import { isValidKnownApi } from '../../python/known-apis';
import { describeFsError } from './source-file';

/** `[tool.async-lens]` of one pyproject.toml, checked. */
export interface ProjectConfig {
  /** The pyproject.toml it came from; undefined when there is none. */
  readonly file: string | undefined;
  /** Where relative things are anchored: the pyproject.toml's directory. */
  readonly root: string;
  readonly settings: LintSettings;
  /** Gitignore-style patterns, relative to `root`, of files never to check. */
  readonly exclude: readonly string[];
}

export type ConfigOutcome = { readonly ok: true; readonly config: ProjectConfig } | { readonly ok: false; readonly message: string };

const CONFIG_FILE = 'pyproject.toml';
const KEYS = ['select', 'ignore', 'severity', 'known-async-iterables', 'top-level-await', 'exclude'] as const;

/** The nearest pyproject.toml in `directory` or above it. */
export function findConfigFile(directory: string): string | undefined {
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    const candidate = path.join(current, CONFIG_FILE);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * Reads `[tool.async-lens]` from the nearest pyproject.toml. Without one, the
 * defaults apply and `root` is `fallbackRoot`. A problem is one line that
 * names the file and the key, for the user to fix.
 */
export function loadConfig(directory: string, fallbackRoot: string, display: (file: string) => string): ConfigOutcome {
  const file = findConfigFile(directory);
  if (file === undefined) return { ok: true, config: { file: undefined, root: fallbackRoot, settings: {}, exclude: [] } };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `${display(file)}: cannot read: ${describeFsError(error)}` };
  }
  const parsed = parseConfig(text);
  if (!parsed.ok) return { ok: false, message: `${display(file)}${parsed.message}` };
  return { ok: true, config: { file, root: path.dirname(file), ...parsed.config } };
}

type Parsed = { ok: true; config: Pick<ProjectConfig, 'settings' | 'exclude'> } | { ok: false; message: string };

/** A value in `[tool.async-lens]` that is not what it should be. */
class ConfigProblem extends Error {
  constructor(readonly key: string, problem: string) {
    super(problem);
  }
}

/** Checks the text of a pyproject.toml; a problem message starts with `:line:column:` or `: [tool.async-lens]`. */
export function parseConfig(text: string): Parsed {
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.replace(/^Invalid TOML document:\s*/, '');
    const where = error instanceof TomlError ? `:${error.line}:${error.column}` : '';
    return { ok: false, message: `${where}: invalid TOML: ${reason}` };
  }
  const tool = document.tool;
  const table = isTable(tool) ? tool['async-lens'] : undefined;
  if (table === undefined) return { ok: true, config: { settings: {}, exclude: [] } };
  try {
    return { ok: true, config: readTable(table) };
  } catch (error) {
    if (!(error instanceof ConfigProblem)) throw error;
    return { ok: false, message: `: [tool.async-lens]${error.key ? ` ${error.key}` : ''}: ${error.message}` };
  }
}

function readTable(table: unknown): Pick<ProjectConfig, 'settings' | 'exclude'> {
  if (!isTable(table)) throw new ConfigProblem('', 'expected a table');
  for (const key of Object.keys(table)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new ConfigProblem(key, `unknown key (expected one of: ${KEYS.join(', ')})`);
  }
  const select = codeList(table, 'select');
  const ignore = codeList(table, 'ignore');
  const severity = severityTable(table);
  const known = stringList(table, 'known-async-iterables');
  const invalidApi = known?.find((entry) => !isValidKnownApi(entry.trim()));
  if (invalidApi !== undefined) throw new ConfigProblem('known-async-iterables', `"${invalidApi}" is neither "module.name" nor ".method"`);
  const topLevelAwait = table['top-level-await'];
  if (topLevelAwait !== undefined && typeof topLevelAwait !== 'boolean') throw new ConfigProblem('top-level-await', 'expected true or false');
  const exclude = stringList(table, 'exclude') ?? [];

  const settings: LintSettings = {
    ...(select ? { select } : {}),
    ...(ignore ? { ignore } : {}),
    ...(severity ? { severity } : {}),
    ...(known ? { knownAsyncIterables: known } : {}),
    ...(topLevelAwait !== undefined ? { topLevelAwait } : {}),
  };
  return { settings, exclude };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function stringList(table: Record<string, unknown>, key: string): string[] | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new ConfigProblem(key, 'expected a list of strings');
  return value as string[];
}

function codeList(table: Record<string, unknown>, key: string): string[] | undefined {
  const list = stringList(table, key);
  if (list === undefined) return undefined;
  const unknown = unknownCodes(list);
  if (unknown.length > 0) {
    throw new ConfigProblem(key, `unknown rule code${unknown.length > 1 ? 's' : ''} ${unknown.map((code) => `"${code}"`).join(', ')} (\`async-lens rules\` lists them)`);
  }
  return list.map((code) => code.toUpperCase());
}

function severityTable(table: Record<string, unknown>): Record<string, SeveritySetting> | undefined {
  const value = table.severity;
  if (value === undefined) return undefined;
  if (!isTable(value)) throw new ConfigProblem('severity', 'expected a table of rule code = "off" | "hint" | "info" | "warning" | "error"');
  const severity: Record<string, SeveritySetting> = {};
  for (const [code, setting] of Object.entries(value)) {
    if (!ruleByCode(code.toUpperCase())) throw new ConfigProblem(`severity.${code}`, 'unknown rule code (`async-lens rules` lists them)');
    if (!isSeveritySetting(setting)) throw new ConfigProblem(`severity.${code}`, `expected "off", "hint", "info", "warning" or "error", got ${JSON.stringify(setting)}`);
    severity[code.toUpperCase()] = setting;
  }
  return severity;
}
