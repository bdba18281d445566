import * as path from 'node:path';
import * as vscode from 'vscode';

/** What the language status shows for one document (flags absent are false). */
export interface DocumentStatus {
  readonly findings: number;
  readonly configFile?: string;
  readonly excluded?: boolean;
  readonly disabled?: boolean;
  /** Larger than asyncLens.maxFileSize: not linted while typing. */
  readonly tooLarge?: boolean;
  readonly failed?: boolean;
  /** Why the file could not be parsed at all, when it could not. */
  readonly notParsed?: string;
}

/**
 * The `{}` language status entry next to "Python" in the status bar: it is
 * where a user sees which settings apply to the file (the pyproject.toml,
 * or that the file is excluded or linting is off), which otherwise shows
 * only as the absence of squiggles.
 */
export class AsyncLensStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly byUri = new Map<string, DocumentStatus>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('asyncLens.status', selector);
    this.item.name = 'Async Lens';
    this.item.command = { command: 'asyncLens.showLog', title: 'Show Log' };
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((document) => this.byUri.delete(document.uri.toString())),
    );
    this.render();
  }

  set(uri: vscode.Uri, status: DocumentStatus): void {
    this.byUri.set(uri.toString(), status);
    if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) this.render();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const status = uri && this.byUri.get(uri.toString());
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    if (!status) {
      this.item.text = 'Async Lens';
      this.item.detail = 'waiting for the first analysis';
      return;
    }
    if (status.failed) {
      this.item.text = 'Async Lens: analysis failed';
      this.item.detail = 'see the log';
      this.item.severity = vscode.LanguageStatusSeverity.Error;
    } else if (status.disabled) {
      this.item.text = 'Async Lens: off';
      this.item.detail = 'asyncLens.enable is false';
    } else if (status.tooLarge) {
      this.item.text = 'Async Lens: file too large';
      this.item.detail = 'larger than asyncLens.maxFileSize; the CLI still checks it';
      this.item.severity = vscode.LanguageStatusSeverity.Warning;
    } else if (status.notParsed) {
      this.item.text = 'Async Lens: could not parse';
      this.item.detail = status.notParsed;
      this.item.severity = vscode.LanguageStatusSeverity.Warning;
    } else if (status.excluded) {
      this.item.text = 'Async Lens: excluded';
      this.item.detail = `by [tool.async-lens] exclude in ${this.describe(status.configFile)}`;
    } else {
      this.item.text = status.findings === 0 ? 'Async Lens: no problems' : `Async Lens: ${status.findings} problem${status.findings === 1 ? '' : 's'}`;
      this.item.detail = status.configFile ? `settings: ${this.describe(status.configFile)} and asyncLens.*` : 'settings: asyncLens.*';
    }
  }

  private describe(file: string | undefined): string {
    if (!file) return 'pyproject.toml';
    const relative = vscode.workspace.asRelativePath(file, true);
    return relative === file ? path.basename(file) : relative;
  }
}
