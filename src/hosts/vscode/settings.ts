import * as vscode from 'vscode';
import { DEFAULT_MAX_FILE_SIZE } from '../../project/read';
import { show, validateLayer, type SettingNames } from '../../project/settings';
import type { EditorSettings } from './worker/protocol';

export const SECTION = 'asyncLens';

/** `asyncLens.*` for one document, checked: what is valid applies, what is not is described in `problems`. */
export interface ResolvedSettings {
  readonly enable: boolean;
  readonly editor: EditorSettings;
  readonly lintDelay: number;
  readonly maxFileSize: number;
  /** One line per invalid value, naming the setting, for one warning. */
  readonly problems: readonly string[];
}

const DEFAULT_LINT_DELAY = 150;

/** The lint settings the editor has, as VS Code spells them; validated by the project layer like pyproject.toml's. */
const EDITOR_NAMES: SettingNames = {
  severity: 'asyncLens.severity',
  knownAsyncIterables: 'asyncLens.knownAsyncIterables',
  maxFileSize: 'asyncLens.maxFileSize',
};

export function readSettings(scope: vscode.ConfigurationScope | undefined): ResolvedSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const problems: string[] = [];

  const enable = config.get<unknown>('enable', true);
  if (typeof enable !== 'boolean') problems.push(`asyncLens.enable must be true or false, not ${show(enable)}`);

  const validated = validateLayer({
    severity: config.get<unknown>('severity', {}),
    knownAsyncIterables: config.get<unknown>('knownAsyncIterables', []),
    maxFileSize: config.get<unknown>('maxFileSize', DEFAULT_MAX_FILE_SIZE),
  }, EDITOR_NAMES);
  problems.push(...validated.problems);

  const usePyprojectToml = config.get<unknown>('usePyprojectToml', true);
  if (typeof usePyprojectToml !== 'boolean') problems.push(`asyncLens.usePyprojectToml must be true or false, not ${show(usePyprojectToml)}`);

  const lintDelay = config.get<unknown>('lintDelay', DEFAULT_LINT_DELAY);
  const lintDelayValid = typeof lintDelay === 'number' && Number.isFinite(lintDelay) && lintDelay >= 0 && lintDelay <= 5000;
  if (!lintDelayValid) problems.push(`asyncLens.lintDelay must be a number from 0 to 5000, not ${show(lintDelay)}`);

  return {
    enable: typeof enable === 'boolean' ? enable : true,
    editor: {
      severity: validated.layer.severity ?? {},
      knownAsyncIterables: validated.layer.knownAsyncIterables ?? [],
      usePyprojectToml: typeof usePyprojectToml === 'boolean' ? usePyprojectToml : true,
    },
    lintDelay: lintDelayValid ? lintDelay : DEFAULT_LINT_DELAY,
    maxFileSize: validated.layer.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    problems,
  };
}
