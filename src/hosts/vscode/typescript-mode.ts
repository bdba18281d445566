/*
 * Who serves Async Lens's JavaScript/TypeScript diagnostics in this window:
 * the tsserver plugin (inside VS Code's TypeScript server, with types), or,
 * when tsserver plugins cannot run, the extension itself (its analysis
 * worker, from syntax). Never both: the plugin is told to stand down when the
 * extension serves.
 *
 * tsserver plugins cannot run when VS Code's TypeScript extension is missing
 * or disabled, or when it runs TypeScript 7 (native), which loads none:
 * `js/ts.experimental.useTsgo` (formerly `typescript.experimental.useTsgo`)
 * is on and a TypeScript 7 extension is installed (VS Code then stops its own
 * tsserver).
 */

import * as vscode from 'vscode';
import type { SeveritySetting } from '../../engine/config';

const TYPESCRIPT_EXTENSION = 'vscode.typescript-language-features';
/** The name the plugin is contributed under (`contributes.typescriptServerPlugins`). */
const TSSERVER_PLUGIN = 'async-lens-tsserver-plugin';
/** Extensions that bring TypeScript 7; with `useTsgo` on, VS Code's TypeScript extension hands over to them. */
const TYPESCRIPT_7_EXTENSIONS = ['typescriptteam.native-preview', 'typescriptteam.vscode-typescript', 'typescriptteam.vscode-typescript-nightly'];

export type JsServer = 'tsserver-plugin' | 'extension';

/** What the plugin is sent through `configurePlugin` (the shape `src/hosts/tsserver` accepts). */
export interface PluginConfiguration {
  /** False: the plugin reports nothing (the extension serves, or the user turned Async Lens off). */
  readonly enable: boolean;
  readonly severity: Readonly<Record<string, SeveritySetting>>;
  readonly knownAsyncIterables: readonly string[];
}

function useTsgo(): boolean {
  const current = vscode.workspace.getConfiguration('js/ts').inspect<boolean>('experimental.useTsgo');
  const explicit = current?.workspaceFolderValue ?? current?.workspaceValue ?? current?.globalValue;
  if (explicit !== undefined) return explicit === true;
  return vscode.workspace.getConfiguration('typescript').get<boolean>('experimental.useTsgo', false) === true;
}

/** Which side serves JS/TS findings now. */
function currentJsServer(): JsServer {
  if (!vscode.extensions.getExtension(TYPESCRIPT_EXTENSION)) return 'extension';
  if (useTsgo() && TYPESCRIPT_7_EXTENSIONS.some((id) => vscode.extensions.getExtension(id))) return 'extension';
  return 'tsserver-plugin';
}

interface TypeScriptApi {
  configurePlugin(pluginId: string, configuration: unknown): void;
}

/**
 * Tracks who serves JS/TS findings, fires when that changes (settings,
 * extensions installed or removed), and keeps the plugin's configuration in
 * step with `asyncLens.*`.
 */
export class JsServerTracker implements vscode.Disposable {
  private server: JsServer = currentJsServer();
  private readonly changed = new vscode.EventEmitter<JsServer>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  private api: Promise<TypeScriptApi | undefined> | undefined;
  private lastSent: string | undefined;

  constructor(private readonly log: vscode.LogOutputChannel, private readonly configuration: () => PluginConfiguration) {
    const recheck = () => {
      const next = currentJsServer();
      if (next === this.server) return;
      this.server = next;
      this.log.info(next === 'extension'
        ? 'JavaScript/TypeScript: tsserver plugins cannot run here (TypeScript 7 or no TypeScript extension); Async Lens serves JS/TS findings itself'
        : 'JavaScript/TypeScript: Async Lens findings come from its tsserver plugin');
      this.sendConfiguration();
      this.changed.fire(next);
    };
    this.subscriptions.push(
      vscode.extensions.onDidChange(recheck),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('js/ts.experimental.useTsgo') || event.affectsConfiguration('typescript.experimental.useTsgo')) recheck();
      }),
    );
    this.log.info(`JavaScript/TypeScript findings are served by ${this.server === 'extension' ? 'the extension (tsserver plugins cannot run here)' : 'the tsserver plugin'}`);
  }

  get current(): JsServer {
    return this.server;
  }

  /** Sends the plugin its configuration (when it changed): settings apply without restarting tsserver. */
  sendConfiguration(): void {
    const configuration = { ...this.configuration(), ...(this.server === 'extension' ? { enable: false } : {}) };
    const key = JSON.stringify(configuration);
    if (key === this.lastSent) return;
    this.lastSent = key;
    void this.typescriptApi().then((api) => {
      if (!api) return;
      try {
        api.configurePlugin(TSSERVER_PLUGIN, configuration);
        this.log.debug(`tsserver plugin configured: ${key}`);
      } catch (error) {
        this.log.warn(`could not configure the tsserver plugin: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  private typescriptApi(): Promise<TypeScriptApi | undefined> {
    this.api ??= (async () => {
      const extension = vscode.extensions.getExtension<{ getAPI?(version: 0): TypeScriptApi | undefined }>(TYPESCRIPT_EXTENSION);
      if (!extension) return undefined;
      try {
        const exports = extension.isActive ? extension.exports : await extension.activate();
        return exports?.getAPI?.(0);
      } catch (error) {
        this.log.warn(`the TypeScript extension's API is not available: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    })();
    return this.api;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
