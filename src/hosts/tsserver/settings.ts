import type { LintSettings, SeveritySetting } from '../../engine/config';
import { layerSettings, show, validateLayer, type SettingNames, type SettingsLayer } from '../../project/settings';

/**
 * The plugin's options, one shape from both places they come from:
 *
 * - the editor, through tsserver's `configurePlugin` request (VS Code: the
 *   TypeScript extension's `configurePlugin('async-lens-tsserver-plugin', …)`
 *   API, sent by the Async Lens extension from `asyncLens.*`);
 * - `compilerOptions.plugins` in `tsconfig.json` / `jsconfig.json`, for any
 *   editor whose TypeScript loads plugins from there:
 *   `{ "name": "async-lens/tsserver-plugin", "severity": { "AIT101": "warning" } }`.
 *
 * The editor's options stack on the project's, as the Python side's editor
 * settings stack on `pyproject.toml`. Every key is optional.
 */
export interface TsserverPluginConfiguration {
  /** `false`: the plugin reports and fixes nothing (another host serves, or the user turned Async Lens off). */
  readonly enable?: boolean;
  /** Severity per rule code; `off` disables the rule. `hint` and `info` findings are suggestion diagnostics. */
  readonly severity?: Readonly<Record<string, SeveritySetting>>;
  /** Codes or code prefixes to run (all rules when absent). */
  readonly select?: readonly string[];
  /** Codes or code prefixes never to run. */
  readonly ignore?: readonly string[];
  /** Extra APIs that return async iterables (`my-db#streamRows`; see docs/known-async-iterables.md). Python entries are accepted and not used here. */
  readonly knownAsyncIterables?: readonly string[];
}

/** What the plugin runs with. */
export interface PluginSettings {
  readonly enable: boolean;
  readonly lint: LintSettings;
}

/** One source of options, checked. */
export interface PluginLayer {
  readonly enable?: boolean;
  readonly lint: SettingsLayer;
  /** One line per value that was left out, naming where it was. */
  readonly problems: readonly string[];
}

/** Keys tsserver itself puts in a plugin's configuration entry. */
const TSSERVER_KEYS = new Set(['name', 'global']);

const LINT_KEYS = ['severity', 'select', 'ignore', 'knownAsyncIterables'] as const;

function settingNames(prefix: string): SettingNames {
  return Object.fromEntries(LINT_KEYS.map((key) => [key, `${prefix}${key}`]));
}

/** Where a layer came from, as its settings are named in messages. */
export type LayerSource = 'editor' | 'tsconfig';

const PREFIX: Readonly<Record<LayerSource, string>> = {
  editor: 'asyncLens.',
  tsconfig: 'compilerOptions.plugins[async-lens].',
};

/** Checks one source's raw options: each invalid value is a problem and is left out, the valid rest applies. */
export function readLayer(raw: unknown, source: LayerSource): PluginLayer {
  if (raw === undefined || raw === null) return { lint: {}, problems: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { lint: {}, problems: [`${PREFIX[source].slice(0, -1)}: expected an object of options, got ${show(raw)}`] };
  const record = raw as Readonly<Record<string, unknown>>;
  const validated = validateLayer(record, settingNames(PREFIX[source]));
  const problems = [...validated.problems];
  let enable: boolean | undefined;
  if (record.enable !== undefined) {
    if (typeof record.enable === 'boolean') enable = record.enable;
    else problems.push(`${PREFIX[source]}enable: expected true or false, got ${show(record.enable)}`);
  }
  for (const key of Object.keys(record)) {
    if (key !== 'enable' && !TSSERVER_KEYS.has(key) && !(LINT_KEYS as readonly string[]).includes(key)) problems.push(`${PREFIX[source]}${key}: not an option of the tsserver plugin (it reads enable, ${LINT_KEYS.join(', ')})`);
  }
  return { ...(enable === undefined ? {} : { enable }), lint: validated.layer, problems };
}

/** The project's options, then the editor's on top. */
export function combineLayers(project: PluginLayer, editor: PluginLayer): PluginSettings {
  const { select, ignore, severity, knownAsyncIterables } = layerSettings(project.lint, editor.lint);
  return {
    enable: editor.enable ?? project.enable ?? true,
    lint: { ...(select ? { select } : {}), ...(ignore ? { ignore } : {}), ...(severity ? { severity } : {}), ...(knownAsyncIterables ? { knownAsyncIterables } : {}) },
  };
}
