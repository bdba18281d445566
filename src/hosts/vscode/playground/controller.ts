/*
 * The Async Playground in VS Code: commands, the panel, what Run runs (the
 * target: an editor document, or the two of a comparison), gallery examples
 * opened as editors left of the panel (files of their own: examples.ts), highlighting and revealing
 * loop lines, and the workspace-trust gate. Running code needs a trusted
 * workspace and an explicit action (a button, a command, a code lens);
 * nothing runs on its own except a re-run on save the user switched on.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SnippetTransformer } from '../../../playground/js/transformer';
import { GALLERY, exampleForRule, galleryEntries, type GalleryExample } from '../../../playground/gallery';
import type { TraceEvent } from '../../../playground/events';
import type { PlaygroundLanguage, RunTarget, WebviewMessage } from '../../../playground/protocol';
import { ExampleFiles } from './examples';
import { readPlaygroundSettings } from './settings';
import { PlaygroundPanel } from './panel';
import { Runtimes } from './runtimes';
import { PlaygroundSession, type FinishedRun, type Snippet } from './session';

/** The editor languages the playground runs, and how it runs them. */
export const LANGUAGES: Readonly<Record<string, PlaygroundLanguage>> = {
  python: 'python',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  javascript: 'javascript',
  javascriptreact: 'javascript',
};

const UNTRUSTED_REASON =
  'The playground runs code, and this workspace is in Restricted Mode. Trust the workspace (Manage Workspace Trust) to run snippets here; linting works either way.';

/** What Run runs: one document, or the two documents of a comparison. */
interface Target {
  readonly documents: readonly vscode.Uri[];
  readonly titles: readonly string[];
  /** For "Run in Playground" on a selection: only these lines of the one document. */
  readonly selection?: vscode.Range;
}

export class PlaygroundController implements vscode.Disposable {
  private panel: PlaygroundPanel | undefined;
  private target: Target | undefined;
  private readonly runtimes: Runtimes;
  private readonly session: PlaygroundSession;
  private readonly examples: ExampleFiles;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly highlight = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    borderColor: new vscode.ThemeColor('editor.rangeHighlightBorder'),
    borderStyle: 'solid',
    borderWidth: '1px 0',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
  });
  private lastFinished: readonly FinishedRun[] = [];
  /** "Open Playground" on a panel whose page is still loading: the gallery, once it has replayed the last run. */
  private galleryPending = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly transformer: SnippetTransformer,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.runtimes = new Runtimes(log);
    this.examples = new ExampleFiles(context.extensionPath, context.globalStorageUri.fsPath);
    this.session = new PlaygroundSession(context.extensionPath, context.globalStorageUri.fsPath, this.runtimes, transformer, log, (message) => this.panel?.post(message));
    this.disposables.push(
      this.runtimes,
      this.session,
      this.highlight,
      this.session.onDidFinish((runs) => (this.lastFinished = runs)),
      this.session.onDidChangeRunning((running) => void vscode.commands.executeCommand('setContext', 'asyncLens.playground.running', running)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.panel?.post({ type: 'canRun', canRun: true })),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      vscode.workspace.onDidSaveTextDocument((document) => this.onSave(document)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('asyncLens.playground.python')) this.runtimes.reset();
      }),
      vscode.window.registerWebviewPanelSerializer('asyncLens.playground', {
        deserializeWebviewPanel: async (panel) => this.adopt(new PlaygroundPanel(panel, this.context.extensionUri, (message) => this.receive(message), this.log)),
      }),
    );
  }

  /** Fires with each group's runs once it is over (for the extension's API and its tests). */
  get onDidFinish(): vscode.Event<readonly FinishedRun[]> {
    return this.session.onDidFinish;
  }

  get onDidReceiveEvents(): vscode.Event<readonly TraceEvent[]> {
    return this.session.onDidReceiveEvents;
  }

  get lastRuns(): readonly FinishedRun[] {
    return this.lastFinished;
  }

  get isPanelOpen(): boolean {
    return this.panel !== undefined;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  // ---- commands ---------------------------------------------------------

  /** "Async Lens: Open Playground": the panel, on its gallery. */
  open(): void {
    this.galleryPending = !this.panel;
    this.showPanel();
    this.panel!.post({ type: 'showGallery' });
  }

  /** "Async Lens: Run in Playground": the given (or active) document, or its selection. */
  async runDocument(uri?: vscode.Uri): Promise<readonly FinishedRun[] | undefined> {
    const editor = uri ? vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === uri.toString()) : vscode.window.activeTextEditor;
    const document = editor?.document ?? (uri ? await vscode.workspace.openTextDocument(uri) : undefined);
    if (!document || !LANGUAGES[document.languageId]) {
      void vscode.window.showInformationMessage('Async Lens: open a Python, TypeScript or JavaScript file to run it in the playground.');
      return undefined;
    }
    const selected = !uri && editor && !editor.selection.isEmpty ? editor.selection : undefined;
    // Whole lines; a selection that ends at the start of a line (Shift+Down) does not take that line.
    const lastLine = selected && (selected.end.character === 0 && selected.end.line > selected.start.line ? selected.end.line - 1 : selected.end.line);
    const selection = selected && lastLine !== undefined ? new vscode.Range(selected.start.line, 0, lastLine + 1, 0) : undefined;
    this.setTarget({ documents: [document.uri], titles: [titleOf(document)], ...(selection ? { selection } : {}) });
    return this.runTarget();
  }

  /** Run (the panel's button): the target, which follows the active editor. */
  async runTarget(): Promise<readonly FinishedRun[] | undefined> {
    if (!this.target) {
      void vscode.window.showInformationMessage('Async Lens: open a Python or TypeScript file, or an example from the gallery, to run.');
      return undefined;
    }
    return this.run(this.target);
  }

  /** Re-run: what ran last, with the documents' current text. */
  async rerun(): Promise<readonly FinishedRun[] | undefined> {
    const last = this.session.lastSnippets;
    if (!last) return this.runTarget();
    const selection = last[0]?.selection;
    return this.run({ documents: last.map((snippet) => snippet.document), titles: last.map((snippet) => snippet.title), ...(selection ? { selection } : {}) });
  }

  stop(): void {
    this.session.stop();
  }

  /**
   * A gallery example, and run it: its snippets as tabs of one editor group,
   * the panel in the group to its right, whichever the language and whatever
   * was open before.
   */
  async openExample(id: string, language: 'python' | 'typescript'): Promise<readonly FinishedRun[] | undefined> {
    const example = GALLERY.find((candidate) => candidate.id === id);
    const snippets = example?.[language];
    if (!example || !snippets || snippets.length === 0) {
      void vscode.window.showWarningMessage(`Async Lens: the playground has no ${language} version of the example "${id}".`);
      return undefined;
    }
    const opened = [];
    for (const snippet of snippets) opened.push(await this.examples.document(snippet));
    const { column, swap } = await this.codeColumn();
    // The first snippet ends up in front; the others are tabs beside it.
    for (const { document, reset } of [...opened].reverse()) {
      const editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: false, preview: false });
      if (reset !== undefined) await ExampleFiles.reset(document, reset);
      // Once: a tab of it left in another group (the user moved it there) is closed; its edits stay in this one.
      const elsewhere = vscode.window.tabGroups.all
        .filter((group) => group.viewColumn !== editor.viewColumn)
        .flatMap((group) => group.tabs.filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === document.uri.toString()));
      if (elsewhere.length > 0) await vscode.window.tabGroups.close(elsewhere, true);
    }
    // The code went right of a panel in the first group: its group (the active one) moves left of the panel's.
    if (swap) await vscode.commands.executeCommand('workbench.action.moveActiveEditorGroupLeft');
    if (!this.panel) this.adopt(PlaygroundPanel.create(this.context.extensionUri, (message) => this.receive(message), this.log, column + 1));
    this.setTarget({ documents: opened.map(({ document }) => document.uri), titles: snippets.map((snippet) => snippet.title) });
    return this.runTarget();
  }

  /**
   * The editor group an example opens in: left of the panel. With no panel,
   * the active editor's group (the panel opens right of it); with the panel
   * in the first group, the group right of it, and then the two swap
   * (`swap`; no API opens a group left of the first one).
   */
  private async codeColumn(): Promise<{ readonly column: vscode.ViewColumn; readonly swap: boolean }> {
    if (!this.panel) return { column: vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One, swap: false };
    const panelColumn = await this.panel.placed();
    if (panelColumn !== undefined && panelColumn > vscode.ViewColumn.One) return { column: panelColumn - 1, swap: false };
    return { column: vscode.ViewColumn.Two, swap: true };
  }

  /** "Show in playground" on a diagnostic: the rule's bug and its fix, side by side. */
  async showRuleExample(code: string, languageId?: string): Promise<readonly FinishedRun[] | undefined> {
    const example = exampleForRule(code);
    if (!example) {
      void vscode.window.showInformationMessage(`Async Lens: the playground has no example for ${code}.`);
      return undefined;
    }
    return this.openExample(example.id, preferredLanguage(example, languageId));
  }

  /** Compare: pick two open documents and run them stacked on one time axis. */
  async compare(): Promise<readonly FinishedRun[] | undefined> {
    const documents = vscode.workspace.textDocuments.filter((document) => LANGUAGES[document.languageId] && !document.isClosed);
    const picks = await vscode.window.showQuickPick(
      documents.map((document) => ({ label: titleOf(document), description: document.uri.scheme === 'file' && !this.examples.owns(document.uri) ? vscode.workspace.asRelativePath(document.uri) : '', document })),
      { canPickMany: true, title: 'Compare two snippets in the Async Playground', placeHolder: 'Pick two open Python, TypeScript or JavaScript documents' },
    );
    if (!picks) return undefined;
    if (picks.length !== 2) {
      void vscode.window.showInformationMessage('Async Lens: pick exactly two documents to compare.');
      return undefined;
    }
    this.setTarget({ documents: picks.map((pick) => pick.document.uri), titles: picks.map((pick) => pick.label) });
    return this.runTarget();
  }

  // ---- the panel --------------------------------------------------------

  private showPanel(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    this.adopt(PlaygroundPanel.create(this.context.extensionUri, (message) => this.receive(message), this.log));
  }

  private adopt(panel: PlaygroundPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    // Closing the panel stops the run (and kills its process tree).
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      // Pyodide first: its worker is given back rather than reloaded for a next run.
      this.session.releasePyodide();
      this.session.stop();
      this.clearHighlight();
    });
    this.follow(vscode.window.activeTextEditor);
  }

  private receive(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        void this.sendInit();
        return;
      case 'run':
        void this.runTarget();
        return;
      case 'rerun':
        void this.rerun();
        return;
      case 'stop':
        this.stop();
        return;
      case 'openExample':
        void this.openExample(message.id, message.language);
        return;
      case 'reveal':
        void this.reveal(message.runId, message.line);
        return;
      case 'highlight':
        this.highlightLine(message.runId, message.line);
        return;
    }
  }

  /** The first frame, then whatever the current group already sent (a discarded or reloaded webview lost it). */
  private async sendInit(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const settings = readPlaygroundSettings();
    const trusted = vscode.workspace.isTrusted;
    const target = this.targetForWebview();
    panel.post({
      type: 'init',
      gallery: galleryEntries(),
      canRun: trusted,
      ...(trusted ? {} : { why: UNTRUSTED_REASON }),
      ...(target ? { target } : {}),
      timeLimitMs: settings.timeLimitMs,
    });
    for (const message of this.session.replay()) panel.post(message);
    if (this.galleryPending) panel.post({ type: 'showGallery' });
    this.galleryPending = false;
    if (!trusted) return;
    // TypeScript takes most of a second to load in its worker: load it while the user reads the gallery.
    this.transformer.warm();
    if (settings.python !== 'cpython') {
      // No CPython: start Pyodide's cold start now, while the user reads the gallery.
      const python = await this.runtimes.python(undefined, settings.python);
      if ('kind' in python && python.kind === 'pyodide') this.session.warmPyodide();
    }
  }

  private async run(target: Target): Promise<readonly FinishedRun[] | undefined> {
    this.showPanel();
    // A run asked for since: the page shows it, not the gallery.
    this.galleryPending = false;
    if (!vscode.workspace.isTrusted) {
      this.panel?.post({ type: 'canRun', canRun: false, why: UNTRUSTED_REASON });
      void vscode.window.showWarningMessage(`Async Lens: ${UNTRUSTED_REASON}`, 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    const snippets: Snippet[] = [];
    for (const [index, uri] of target.documents.entries()) {
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
      const language = LANGUAGES[document.languageId];
      if (!language) continue;
      const selection = target.selection && index === 0 ? target.selection : undefined;
      snippets.push({
        title: target.titles[index] ?? titleOf(document),
        code: document.getText(selection),
        language,
        document: document.uri,
        lineOffset: selection?.start.line ?? 0,
        ...(selection ? { selection } : {}),
      });
    }
    if (snippets.length === 0) return undefined;
    return this.session.run(snippets);
  }

  private async reveal(runId: string, line: number): Promise<void> {
    const snippet = this.session.snippetOf(runId);
    if (!snippet) return;
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === snippet.document.toString());
    if (!document) {
      void vscode.window.showInformationMessage(`Async Lens: ${snippet.title} is no longer open.`);
      return;
    }
    const target = Math.min(document.lineCount - 1, line - 1 + snippet.lineOffset);
    const range = document.lineAt(Math.max(0, target)).range;
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
    // Not visible: left of the panel, as examples open (right of it when the panel is in the first group).
    const panelColumn = this.panel?.viewColumn;
    const column = visible?.viewColumn ?? (panelColumn === undefined ? vscode.ViewColumn.One : panelColumn > vscode.ViewColumn.One ? panelColumn - 1 : vscode.ViewColumn.Two);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column, selection: new vscode.Range(range.start, range.start), preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private highlightLine(runId: string, line: number | null): void {
    this.clearHighlight();
    const snippet = this.session.snippetOf(runId);
    if (!snippet || line === null) return;
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== snippet.document.toString()) continue;
      const target = line - 1 + snippet.lineOffset;
      if (target < 0 || target >= editor.document.lineCount) continue;
      const range = editor.document.lineAt(target).range;
      editor.setDecorations(this.highlight, [range]);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  private clearHighlight(): void {
    for (const editor of vscode.window.visibleTextEditors) editor.setDecorations(this.highlight, []);
  }

  // ---- the target -------------------------------------------------------

  /** The target follows the active editor, unless that editor is already part of it (a comparison). */
  private follow(editor: vscode.TextEditor | undefined): void {
    if (!editor || !LANGUAGES[editor.document.languageId]) return;
    if (this.target?.documents.some((uri) => uri.toString() === editor.document.uri.toString())) return;
    this.setTarget({ documents: [editor.document.uri], titles: [titleOf(editor.document)] });
  }

  private setTarget(target: Target): void {
    this.target = target;
    this.panel?.post({ type: 'target', target: this.targetForWebview() ?? null });
  }

  /** The target as the webview shows it. */
  private targetForWebview(): RunTarget | undefined {
    const target = this.target;
    if (!target) return undefined;
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === target.documents[0]!.toString());
    const language = (document && LANGUAGES[document.languageId]) ?? 'python';
    const label = target.titles.join(' ↔ ') + (target.selection ? ` (lines ${target.selection.start.line + 1}–${target.selection.end.line})` : '');
    return { uri: target.documents[0]!.toString(), label, language };
  }

  private onSave(document: vscode.TextDocument): void {
    if (!this.panel || !readPlaygroundSettings().runOnSave) return;
    const last = this.session.lastSnippets;
    if (last?.some((snippet) => snippet.document.toString() === document.uri.toString())) void this.rerun();
  }

}

function titleOf(document: vscode.TextDocument): string {
  return document.isUntitled ? document.uri.path.split('/').pop() || 'Untitled' : path.basename(document.uri.fsPath);
}

function preferredLanguage(example: GalleryExample, languageId: string | undefined): 'python' | 'typescript' {
  const wanted = languageId && LANGUAGES[languageId] !== 'python' && LANGUAGES[languageId] ? 'typescript' : 'python';
  return example[wanted] ? wanted : example.python ? 'python' : 'typescript';
}

