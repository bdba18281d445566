/*
 * "▶ Run in Async Playground" above async generators, `async for` and
 * `for await` loops. Python lines come from the analysis worker's last tree
 * (no second parse); JS/TS lines from the TypeScript scanner in the
 * instrumenter's worker. Off with `asyncLens.playground.codeLens`.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SnippetTransformer } from '../../../playground/js/transformer';
import type { AnalysisClient } from '../client';
import type { Linter } from '../linter';
import { readPlaygroundSettings } from './settings';
import { LANGUAGES } from './controller';

export const LENS_SELECTOR: vscode.DocumentSelector = Object.keys(LANGUAGES).flatMap((language) =>
  ['file', 'untitled'].map((scheme) => ({ language, scheme })),
);

/** Files larger than this get no lens (scanning them is not worth a keystroke's delay). */
const MAX_LENS_FILE = 1_000_000;

export class PlaygroundCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly client: AnalysisClient,
    private readonly transformer: SnippetTransformer,
    linter: Linter,
  ) {
    this.disposables = [
      this.changed,
      // Python lines come from the latest analysis: ask again whenever there is a new one.
      linter.onDidLint(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('asyncLens.playground.codeLens')) this.changed.fire();
      }),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!readPlaygroundSettings().codeLens) return [];
    const text = document.getText();
    if (text.length > MAX_LENS_FILE) return [];
    let lines: readonly number[];
    try {
      lines =
        document.languageId === 'python'
          ? (await this.client.request({ type: 'runnable', uri: document.uri.toString() })).lines
          : await this.transformer.runnableLines(text, `snippet${path.extname(document.uri.path) || (document.languageId.startsWith('typescript') ? '.ts' : '.js')}`);
    } catch {
      return [];
    }
    if (token.isCancellationRequested) return [];
    return lines
      .filter((line) => line < document.lineCount)
      .map((line) => new vscode.CodeLens(document.lineAt(line).range, { title: '▶ Run in Async Playground', tooltip: 'Run this file and watch every item its async loops receive', command: 'asyncLens.playground.run', arguments: [document.uri] }));
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
