import { CATALOG } from '../catalog';
import { isSeveritySetting, type LintSettings, type SeveritySetting } from '../engine/config';
import { isValidJsKnownApi } from '../js/known-apis';
import { isValidKnownApi } from '../python/known-apis';
import { DEFAULT_MAX_FILE_SIZE } from './read';

/*
 * Settings, whichever host reads them: one layer per source (the defaults,
 * `[tool.async-lens]` in pyproject.toml, the editor's `asyncLens.*`, the
 * command line), validated the same way and stacked in that order.
 */

/** Everything a file is checked with. */
export interface FileSettings extends LintSettings {
  /** Gitignore-style patterns, relative to the project root, of files never to check. */
  readonly exclude: readonly string[];
  /** Files larger than this (bytes) are skipped with a message. */
  readonly maxFileSize: number;
}

/** What one source of settings says; absent keys leave the layers below as they are. */
export type SettingsLayer = Partial<FileSettings>;

/** The largest `max-file-size` accepted: parsing takes about 20 bytes of memory per byte of source. */
const MAX_FILE_SIZE_CEILING = 50_000_000;

const DEFAULTS: FileSettings = { exclude: [], maxFileSize: DEFAULT_MAX_FILE_SIZE };

/**
 * Stacks layers, lowest first. A layer's `select` starts a fresh selection
 * (with only its own `ignore`); its `ignore` adds to the ignores below;
 * severities and known APIs merge (the upper layer wins a severity);
 * excludes add up; the rest is replaced.
 */
export function layerSettings(...layers: readonly SettingsLayer[]): FileSettings {
  let result: FileSettings = DEFAULTS;
  for (const layer of layers) {
    const select = layer.select ?? result.select;
    const ignore = layer.select ? layer.ignore : layer.ignore ? [...(result.ignore ?? []), ...layer.ignore] : result.ignore;
    result = {
      ...(select ? { select } : {}),
      ...(ignore ? { ignore } : {}),
      ...(result.severity || layer.severity ? { severity: { ...result.severity, ...layer.severity } } : {}),
      ...(result.knownAsyncIterables || layer.knownAsyncIterables ? { knownAsyncIterables: [...(result.knownAsyncIterables ?? []), ...(layer.knownAsyncIterables ?? [])] } : {}),
      ...((layer.topLevelAwait ?? result.topLevelAwait) !== undefined ? { topLevelAwait: layer.topLevelAwait ?? result.topLevelAwait } : {}),
      ...((layer.minimumVersion ?? result.minimumVersion) ? { minimumVersion: layer.minimumVersion ?? result.minimumVersion } : {}),
      exclude: [...result.exclude, ...(layer.exclude ?? [])],
      maxFileSize: layer.maxFileSize ?? result.maxFileSize,
    };
  }
  return result;
}

/** How one host spells each setting, for messages (`[tool.async-lens] known-async-iterables`, `asyncLens.knownAsyncIterables`). */
export type SettingNames = Readonly<Partial<Record<keyof FileSettings, string>>>;

export interface ValidatedLayer {
  readonly layer: SettingsLayer;
  /** One line per invalid value, naming the setting; everything valid is in `layer`. */
  readonly problems: readonly string[];
}

/**
 * Checks raw values (from TOML or the editor's configuration) keyed by
 * setting name. Each invalid value is one problem and is left out; the
 * valid rest applies. Only the settings `names` lists are read.
 */
export function validateLayer(raw: Readonly<Record<string, unknown>>, names: SettingNames): ValidatedLayer {
  const problems: string[] = [];
  const layer: { -readonly [K in keyof FileSettings]?: FileSettings[K] } = {};
  const problem = (key: keyof FileSettings, text: string) => problems.push(`${names[key]}: ${text}`);
  for (const key of Object.keys(names) as (keyof FileSettings)[]) {
    const value = raw[key];
    if (value === undefined) continue;
    switch (key) {
      case 'select':
      case 'ignore': {
        const list = stringList(value);
        if (!list) {
          problem(key, 'expected a list of strings');
          break;
        }
        const unknown = CATALOG.unknownCodes(list);
        for (const code of unknown) problem(key, `unknown rule code "${code}" (\`async-lens rules\` lists them)`);
        layer[key] = list.filter((code) => !unknown.includes(code)).map((code) => code.toUpperCase());
        break;
      }
      case 'severity': {
        if (!isRecord(value)) {
          problem(key, 'expected a table of rule code = "off" | "hint" | "info" | "warning" | "error"');
          break;
        }
        const severity: Record<string, SeveritySetting> = {};
        for (const [code, setting] of Object.entries(value)) {
          if (!CATALOG.entry(code)) problems.push(`${names.severity}.${code}: unknown rule code (\`async-lens rules\` lists them)`);
          else if (!isSeveritySetting(setting)) problems.push(`${names.severity}.${code}: expected "off", "hint", "info", "warning" or "error", got ${show(setting)}`);
          else severity[code.toUpperCase()] = setting;
        }
        layer.severity = severity;
        break;
      }
      case 'knownAsyncIterables': {
        if (!Array.isArray(value)) {
          problem(key, 'expected a list of "module.name", ".method" or (JavaScript) "module#name" strings');
          break;
        }
        const known: string[] = [];
        for (const entry of value) {
          if (typeof entry === 'string' && (isValidKnownApi(entry.trim()) || isValidJsKnownApi(entry.trim()))) known.push(entry.trim());
          else problem(key, `${show(entry)} is neither "module.name", ".method" nor (JavaScript) "module#name"`);
        }
        layer.knownAsyncIterables = known;
        break;
      }
      case 'topLevelAwait':
        if (typeof value === 'boolean') layer.topLevelAwait = value;
        else problem(key, `expected true or false, got ${show(value)}`);
        break;
      case 'exclude': {
        const list = stringList(value);
        if (list) layer.exclude = list;
        else problem(key, 'expected a list of strings');
        break;
      }
      case 'maxFileSize':
        if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_FILE_SIZE_CEILING) layer.maxFileSize = value;
        else problem(key, `expected a number of bytes from 0 to ${MAX_FILE_SIZE_CEILING}, got ${show(value)}`);
        break;
    }
  }
  return { layer, problems };
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A value quoted for a message, cut short when long. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
