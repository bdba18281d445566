/*
 * The playground's webview panel: one instance, created beside the editor or
 * revived by VS Code after a reload (the serializer), with a strict CSP
 * (nonce scripts, local resources only) and messages validated on receipt.
 * What the messages mean is the controller's business (controller.ts).
 */

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../../../playground/protocol';
import { playgroundHtml } from '../../../playground/webview/html';

const PLAYGROUND_VIEW_TYPE = 'asyncLens.playground';
const TITLE = 'Async Playground';

export class PlaygroundPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  /** A new panel in `column`, beside the active editor by default (without taking the focus from it). */
  static create(extensionUri: vscode.Uri, onMessage: (message: WebviewMessage) => void, log: vscode.LogOutputChannel, column: vscode.ViewColumn = vscode.ViewColumn.Beside): PlaygroundPanel {
    const panel = vscode.window.createWebviewPanel(PLAYGROUND_VIEW_TYPE, TITLE, { viewColumn: column, preserveFocus: true }, PlaygroundPanel.options(extensionUri));
    return new PlaygroundPanel(panel, extensionUri, onMessage, log);
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      // Only the webview bundle's folder: no workspace file can be loaded into the page.
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    onMessage: (message: WebviewMessage) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const webview = panel.webview;
    webview.options = PlaygroundPanel.options(extensionUri);
    panel.title = TITLE;
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
    webview.html = playgroundHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: asset('playground.js'),
      styleUri: asset('playground.css'),
      codiconUri: asset('codicon.css'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (message) onMessage(message);
        else this.log.warn(`playground: ignored a malformed message from the webview (type ${describeType(raw)})`);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  post(message: HostMessage): void {
    // A hidden webview is discarded (no retainContextWhenHidden): it asks again with `ready` when shown.
    if (this.panel.visible) void this.panel.webview.postMessage(message);
  }

  /**
   * The column the panel is in; a panel VS Code has not placed yet (just
   * created "beside") has none for a moment: wait for it.
   */
  placed(): Promise<vscode.ViewColumn | undefined> {
    if (this.panel.viewColumn !== undefined) return Promise.resolve(this.panel.viewColumn);
    return new Promise((resolve) => {
      const done = (column: vscode.ViewColumn | undefined) => {
        subscription.dispose();
        clearTimeout(timer);
        resolve(column);
      };
      const subscription = this.panel.onDidChangeViewState(() => {
        if (this.panel.viewColumn !== undefined) done(this.panel.viewColumn);
      });
      // A guard, not a delay: the view state normally arrives within milliseconds.
      const timer = setTimeout(() => done(this.panel.viewColumn), 2000);
    });
  }

  /** Shows the panel where it is, keeping the focus where it is (its column may not be known yet: never move it by a stale one). */
  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    const disposables = this.disposables.splice(0);
    if (disposables.length === 0) return;
    for (const disposable of disposables) disposable.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}

/** What a rejected message claimed to be, without serialising it (it may be huge). */
function describeType(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof raw;
}
