/*
 * `asyncLens.playground.*`, read and checked like the rest of the extension's
 * settings: a valid value applies, an invalid one is described in `problems`
 * and its default applies instead.
 */

import * as vscode from 'vscode';

export interface PlaygroundSettings {
  readonly timeLimitMs: number;
  readonly maxEvents: number;
  readonly memoryLimitMb: number;
  readonly python: 'auto' | 'cpython' | 'pyodide';
  readonly codeLens: boolean;
  readonly runOnSave: boolean;
  readonly problems: readonly string[];
}

export function readPlaygroundSettings(): PlaygroundSettings {
  const config = vscode.workspace.getConfiguration('asyncLens.playground');
  const problems: string[] = [];
  const number = (key: string, fallback: number, min: number, max: number) => {
    const value = config.get<unknown>(key, fallback);
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    problems.push(`asyncLens.playground.${key} must be a number from ${min} to ${max}, not ${show(value)}`);
    return fallback;
  };
  const flag = (key: string, fallback: boolean) => {
    const value = config.get<unknown>(key, fallback);
    if (typeof value === 'boolean') return value;
    problems.push(`asyncLens.playground.${key} must be true or false, not ${show(value)}`);
    return fallback;
  };
  const rawPython = config.get<unknown>('python', 'auto');
  const python = rawPython === 'auto' || rawPython === 'cpython' || rawPython === 'pyodide' ? rawPython : 'auto';
  if (python !== rawPython) problems.push(`asyncLens.playground.python must be "auto", "cpython" or "pyodide", not ${show(rawPython)}`);
  return {
    timeLimitMs: number('timeLimit', 5, 0.5, 300) * 1000,
    maxEvents: number('maxEvents', 10_000, 100, 1_000_000),
    memoryLimitMb: number('memoryLimit', 1024, 64, 16_384),
    python,
    codeLens: flag('codeLens', true),
    runOnSave: flag('runOnSave', false),
    problems,
  };
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
