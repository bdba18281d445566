import * as vscode from 'vscode';
import { isSeveritySetting, type SeveritySetting } from '../../engine/config';
import { ruleByCode } from '../../engine/registry';
import { isValidKnownApi } from '../../python/known-apis';
import type { EditorSettings } from './protocol';

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
const DEFAULT_MAX_FILE_SIZE = 2_000_000;

export function readSettings(scope: vscode.ConfigurationScope | undefined): ResolvedSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const problems: string[] = [];

  const enable = config.get<unknown>('enable', true);
  if (typeof enable !== 'boolean') problems.push(`asyncLens.enable must be true or false, not ${show(enable)}`);

  const severity: Record<string, SeveritySetting> = {};
  const rawSeverity = config.get<unknown>('severity', {});
  if (isRecord(rawSeverity)) {
    for (const [code, value] of Object.entries(rawSeverity)) {
      if (!ruleByCode(code.toUpperCase())) problems.push(`asyncLens.severity: ${show(code)} is not a rule code (AIT101…AIT403)`);
      else if (!isSeveritySetting(value)) problems.push(`asyncLens.severity.${code}: ${show(value)} is not one of off, hint, info, warning, error`);
      else severity[code.toUpperCase()] = value;
    }
  } else {
    problems.push(`asyncLens.severity must be an object like { "AIT301": "off" }, not ${show(rawSeverity)}`);
  }

  const knownAsyncIterables: string[] = [];
  const rawKnown = config.get<unknown>('knownAsyncIterables', []);
  if (Array.isArray(rawKnown)) {
    for (const entry of rawKnown) {
      if (typeof entry === 'string' && isValidKnownApi(entry)) knownAsyncIterables.push(entry);
      else problems.push(`asyncLens.knownAsyncIterables: ${show(entry)} is not a dotted name like "mylib.stream_rows"`);
    }
  } else {
    problems.push(`asyncLens.knownAsyncIterables must be a list of dotted names, not ${show(rawKnown)}`);
  }

  const usePyprojectToml = config.get<unknown>('usePyprojectToml', true);
  if (typeof usePyprojectToml !== 'boolean') problems.push(`asyncLens.usePyprojectToml must be true or false, not ${show(usePyprojectToml)}`);

  const lintDelay = numberSetting(config, 'lintDelay', DEFAULT_LINT_DELAY, 0, 5000, problems);
  const maxFileSize = numberSetting(config, 'maxFileSize', DEFAULT_MAX_FILE_SIZE, 0, Number.MAX_SAFE_INTEGER, problems);

  return {
    enable: typeof enable === 'boolean' ? enable : true,
    editor: { severity, knownAsyncIterables, usePyprojectToml: typeof usePyprojectToml === 'boolean' ? usePyprojectToml : true },
    lintDelay,
    maxFileSize,
    problems,
  };
}

function numberSetting(config: vscode.WorkspaceConfiguration, key: string, fallback: number, min: number, max: number, problems: string[]): number {
  const value = config.get<unknown>(key, fallback);
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
  problems.push(`asyncLens.${key} must be a number from ${min} to ${max}, not ${show(value)}`);
  return fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
