/*
 * Helpers for tests inside a real extension host. Everything waits on
 * VS Code's own events (diagnostics, document, tab and configuration
 * changes) with a deadline; nothing sleeps for a fixed time.
 */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'async-lens.async-lens';

/** The workspace folder the runner opened (a fresh copy of test/e2e/workspace). */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the end-to-end tests need the workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...name.split('/'));
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document);
}

/**
 * Resolves with `value()` as soon as it is not undefined, checking now and
 * after each firing of `events`; rejects after `timeout` ms with `describe()`.
 */
export function waitFor<T>(events: readonly vscode.Event<unknown>[], value: () => T | undefined, describe: () => string, timeout = 15_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      for (const subscription of subscriptions) subscription.dispose();
      outcome();
    };
    const check = () => {
      let current: T | undefined;
      try {
        current = value();
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      if (current !== undefined) finish(() => resolve(current as T));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeout} ms waiting for ${describe()}`))), timeout);
    for (const event of events) subscriptions.push(event(check));
    check();
  });
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Async Lens');
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

function listDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return 'none';
  return all.map((d) => `${d.source}:${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`).join(', ');
}

/** Waits until our diagnostics on `uri` satisfy `predicate`. */
export function waitForDiagnostics(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => boolean, what: string, timeout?: number): Promise<vscode.Diagnostic[]> {
  return waitFor(
    [vscode.languages.onDidChangeDiagnostics],
    () => {
      const diagnostics = ours(uri);
      return predicate(diagnostics) ? diagnostics : undefined;
    },
    () => `${what} on ${path.basename(uri.path)} (now: ${listDiagnostics(uri)})`,
    timeout,
  );
}

export const withCode = (code: string) => (diagnostics: vscode.Diagnostic[]) => diagnostics.some((d) => codeOf(d) === code);
export const withoutCode = (code: string) => (diagnostics: vscode.Diagnostic[]) => !diagnostics.some((d) => codeOf(d) === code);

export function waitForText(document: vscode.TextDocument, predicate: (text: string) => boolean, what: string): Promise<string> {
  return waitFor(
    [vscode.workspace.onDidChangeTextDocument, vscode.workspace.onDidSaveTextDocument],
    () => (predicate(document.getText()) ? document.getText() : undefined),
    () => `${what} (text now: ${JSON.stringify(document.getText().slice(0, 400))})`,
  );
}

/** The code actions at `range`; `resolve`: how many to resolve (providers such as TypeScript's compute some edits only then). */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string, resolve?: number): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind, ...(resolve === undefined ? [] : [resolve]));
  return (actions ?? []).filter((action): action is vscode.CodeAction => 'title' in action && !('command' in action && typeof action.command === 'string'));
}

/** Updates a setting in the workspace and waits for VS Code to announce it (at once when nothing changes). */
export async function setSetting(section: string, key: string, value: unknown, languageId?: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(section, languageId ? { languageId } : undefined);
  const inspected = config.inspect(key);
  const current = languageId ? inspected?.workspaceLanguageValue : inspected?.workspaceValue;
  if (JSON.stringify(current) === JSON.stringify(value)) return;
  let subscription: vscode.Disposable | undefined;
  const changed = new Promise<void>((resolve) => {
    subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${section}.${key}`)) resolve();
    });
  });
  try {
    await config.update(key, value, vscode.ConfigurationTarget.Workspace, languageId !== undefined);
    await changed;
  } finally {
    subscription?.dispose();
  }
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
