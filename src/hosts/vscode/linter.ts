import * as vscode from 'vscode';
import { CATALOG } from '../../catalog';
import type { Finding, Severity } from '../../engine/types';
import type { TextChange } from '../../python/incremental';
import { WorkerReplacedError, type AnalysisClient } from './client';
import { diskPath, isLintable, isNotebookCell, languageOf, textChanges } from './documents';
import { docsUri } from './rule-docs';
import { readSettings, SECTION, type ResolvedSettings } from './settings';
import type { AsyncLensStatus, DocumentStatus } from './status';

export const SOURCE = 'Async Lens';

/** What the last finished analysis of a document found, for code actions (and tests). */
export interface LintedVersion {
  readonly version: number;
  readonly findings: readonly Finding[];
  /** Units of the file analysed again and reused by the incremental analysis. */
  readonly analysedUnits: number;
  readonly reusedUnits: number;
}

/** More edits than this between two analyses: send the text alone (replaying them would cost more than parsing). */
const MAX_PENDING_CHANGES = 200;
/** File events and "other files changed" re-lints are gathered for this long. */
const FILE_EVENT_DELAY_MS = 300;

interface DocumentState {
  timer: NodeJS.Timeout | undefined;
  /** Edits since the text last sent to the worker; undefined once they are unknown (send the text only). */
  changes: TextChange[] | undefined;
  running: boolean;
  /** Another run is wanted once the running one ends. */
  again: boolean;
  linted: LintedVersion | undefined;
  /** The document was closed: results arriving later are dropped. */
  closed: boolean;
  /** Runs retried in a row because the worker was replaced under them. */
  retries: number;
  /** The last analysis failed (and no later one succeeded). */
  failed: boolean;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * Keeps the diagnostics of every open Python document current: lints on
 * open at once, on typing after `asyncLens.lintDelay` ms of quiet, again
 * when settings or files on disk change, and clears them on close. At most
 * one analysis per document is in flight; a result for a version that is no
 * longer current is dropped and the newest text analysed instead.
 */
export class Linter implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('async-lens');
  private readonly states = new Map<string, DocumentState>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly reportedProblems = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a document's diagnostics were replaced (tests and the language status wait on it). */
  readonly onDidLint = this.changed.event;

  private pendingPaths: Set<string> | undefined = new Set();
  private fileEventTimer: NodeJS.Timeout | undefined;
  private othersTimer: NodeJS.Timeout | undefined;
  /** Files saved from VS Code in the last moments: the watcher's event for the same save is not news. */
  private readonly justSaved = new Map<string, number>();

  /**
   * `servesJs`: whether the extension lints JavaScript and TypeScript itself
   * (tsserver plugins cannot run); otherwise the tsserver plugin does.
   */
  constructor(
    private readonly client: AnalysisClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: AsyncLensStatus,
    private readonly servesJs: () => boolean = () => false,
  ) {
    this.subscriptions.push(
      this.diagnostics,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0, true)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document)),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.uri.scheme !== 'file') return;
        if (this.lintable(document) || document.uri.path.endsWith('/pyproject.toml')) {
          this.justSaved.set(document.uri.fsPath, Date.now());
          this.filesChanged([document.uri.fsPath]);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) {
          this.log.info('settings changed: linting open documents again');
          this.reportedProblems.clear();
          this.lintAll(true);
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.lintAll(true)),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/{*.py,*.pyi,pyproject.toml}');
    const onDisk = (uri: vscode.Uri) => {
      const saved = this.justSaved.get(uri.fsPath);
      if (saved !== undefined && Date.now() - saved < 2000) return;
      this.filesChanged([uri.fsPath]);
    };
    // A created or deleted file changes where modules are found: everything is forgotten.
    const created = () => this.filesChanged(undefined);
    this.subscriptions.push(watcher, watcher.onDidChange(onDisk), watcher.onDidCreate(created), watcher.onDidDelete(created), {
      dispose: () => {
        clearTimeout(this.fileEventTimer);
        clearTimeout(this.othersTimer);
      },
    });
  }

  /** Another file's exports changed (unsaved edits, or a closed unsaved buffer): lint the other open documents again, soon. */
  othersStale(except?: vscode.TextDocument): void {
    clearTimeout(this.othersTimer);
    this.othersTimer = setTimeout(() => {
      for (const document of vscode.workspace.textDocuments) if (document !== except) this.schedule(document, 0, false);
    }, FILE_EVENT_DELAY_MS);
  }

  /** Lints every open Python document now. */
  lintAll(fresh = false): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0, fresh);
  }

  /** The last analysis published for `document`, whatever its version. */
  lastLinted(document: vscode.TextDocument): LintedVersion | undefined {
    return this.states.get(document.uri.toString())?.linted;
  }

  configurationProblems(): readonly string[] {
    return [...this.reportedProblems];
  }

  /** The findings behind the current diagnostics of `document`, if they are for its current version. */
  lintedVersion(document: vscode.TextDocument): LintedVersion | undefined {
    const linted = this.lastLinted(document);
    return linted?.version === document.version ? linted : undefined;
  }

  dispose(): void {
    for (const state of this.states.values()) clearTimeout(state.timer);
    this.states.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    const { document } = event;
    if (!this.lintable(document) || event.contentChanges.length === 0) return;
    const state = this.stateOf(document);
    if (state.changes) {
      state.changes.push(...textChanges(event));
      if (state.changes.length > MAX_PENDING_CHANGES) state.changes = undefined;
    }
    this.schedule(document, readSettings(document.uri).lintDelay, false);
  }

  /**
   * Files changed on disk (`undefined`: files were created or deleted).
   * Events are gathered for a moment (a `git checkout` or `pip install`
   * sends thousands), then the worker forgets what it learnt from those
   * files and the open documents are linted again.
   */
  private filesChanged(paths: string[] | undefined): void {
    if (paths === undefined) this.pendingPaths = undefined;
    else if (this.pendingPaths) for (const file of paths) this.pendingPaths.add(file);
    if (this.fileEventTimer) return;
    this.fileEventTimer = setTimeout(() => {
      this.fileEventTimer = undefined;
      const changed = this.pendingPaths ? [...this.pendingPaths] : undefined;
      this.pendingPaths = new Set();
      this.justSaved.clear();
      this.log.debug(changed ? `files changed: ${changed.join(', ')}` : 'files were created or deleted: forgetting what imports resolved to');
      this.client.notify({ type: 'invalidate', paths: changed });
      for (const document of vscode.workspace.textDocuments) this.schedule(document, 0, false);
    }, FILE_EVENT_DELAY_MS);
  }

  private stateOf(document: vscode.TextDocument): DocumentState {
    const key = document.uri.toString();
    let state = this.states.get(key);
    if (!state) {
      state = { timer: undefined, changes: undefined, running: false, again: false, linted: undefined, closed: false, retries: 0, failed: false };
      this.states.set(key, state);
    }
    return state;
  }

  private lintable(document: vscode.TextDocument): boolean {
    return isLintable(document, this.servesJs());
  }

  /**
   * Who serves JS/TS findings changed: lint the JS/TS documents now, or
   * forget them (the tsserver plugin reports them from now on).
   */
  jsServerChanged(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (languageOf(document) !== 'javascript') continue;
      if (this.servesJs()) this.schedule(document, 0, true);
      else this.forget(document, false);
    }
  }

  private schedule(document: vscode.TextDocument, delay: number, fresh: boolean, known?: DocumentState): void {
    if (!this.lintable(document)) return;
    const state = known ?? this.stateOf(document);
    if (state.closed) return;
    if (fresh) state.changes = undefined;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.run(document, state);
    }, delay);
  }

  private async run(document: vscode.TextDocument, state: DocumentState): Promise<void> {
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.closed || document.isClosed) return;
    const settings = readSettings(document.uri);
    this.reportSettingsProblems(settings);
    if (!settings.enable) {
      state.changes = undefined;
      this.publish(document, state, document.version, [], undefined, { disabled: true });
      return;
    }
    const text = document.getText();
    if (text.length > settings.maxFileSize) {
      state.changes = undefined;
      this.log.info(`${describe(document)}: ${text.length} characters is more than asyncLens.maxFileSize (${settings.maxFileSize}); not linted while typing`);
      this.publish(document, state, document.version, [], undefined, { tooLarge: true });
      return;
    }
    const version = document.version;
    const changes = state.changes;
    state.changes = [];
    state.running = true;
    try {
      const response = await this.client.request({
        type: 'analyze',
        uri: document.uri.toString(),
        language: languageOf(document) ?? 'python',
        languageId: document.languageId,
        path: diskPath(document),
        version,
        text,
        changes,
        settings: settings.editor,
        notebookCell: isNotebookCell(document),
      });
      if (response.configProblem) this.reportProblem(`Async Lens leaves out invalid project settings (the rest applies): ${response.configProblem}`);
      for (const error of response.errors) this.log.warn(`${describe(document)}: rule ${error.code} failed and was skipped: ${error.message}`);
      this.log.trace(
        `${describe(document)} v${version}: ${response.findings.length} finding(s) in ${response.milliseconds.toFixed(1)} ms` +
          (response.excluded ? ' (excluded by [tool.async-lens] exclude)' : ` (${response.analysedUnits} unit(s) analysed, ${response.reusedUnits} reused)`) +
          (response.configFile ? `, settings from ${response.configFile}` : ''),
      );
      state.retries = 0;
      if (response.othersStale) this.othersStale(document);
      if (!state.closed && document.version === version) {
        if (response.notParsed) this.log.warn(`${describe(document)}: could not parse: ${response.notParsed}`);
        this.publish(document, state, version, response.findings, response, {
          configFile: response.configFile,
          excluded: response.excluded,
          ...(response.notParsed ? { notParsed: response.notParsed } : {}),
        });
      }
    } catch (error) {
      // The next run sends the whole text: the worker may have lost the previous one.
      state.changes = undefined;
      if (error instanceof WorkerReplacedError && state.retries < 2) {
        // Another document's request was stuck (or the worker crashed): this one deserves another go.
        state.retries++;
        state.again = true;
      } else if (!state.closed) {
        state.failed = true;
        this.status.set(document.uri, { findings: 0, failed: true });
      }
      this.log.error(`${describe(document)}: analysis failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      state.running = false;
    }
    if (state.closed || document.isClosed) return;
    if (state.again || (document.version !== version && state.timer === undefined)) {
      state.again = false;
      this.schedule(document, 0, false, state);
    }
  }

  /** Whether the last analysis of `uri` failed (for tests: a broken file must not break the analysis). */
  lastAnalysisFailed(uri: vscode.Uri): boolean {
    return this.states.get(uri.toString())?.failed ?? false;
  }

  private publish(
    document: vscode.TextDocument,
    state: DocumentState,
    version: number,
    findings: readonly Finding[],
    units: { readonly analysedUnits: number; readonly reusedUnits: number } | undefined,
    status: Omit<DocumentStatus, 'findings'> = {},
  ): void {
    state.linted = { version, findings, analysedUnits: units?.analysedUnits ?? 0, reusedUnits: units?.reusedUnits ?? 0 };
    state.failed = false;
    this.status.set(document.uri, { findings: findings.length, ...status });
    this.diagnostics.set(document.uri, findings.map((finding) => toDiagnostic(document, finding)));
    this.changed.fire(document.uri);
  }

  private forget(document: vscode.TextDocument, closed = true): void {
    const key = document.uri.toString();
    const state = this.states.get(key);
    if (state) {
      clearTimeout(state.timer);
      state.closed = true;
      this.states.delete(key);
    }
    this.diagnostics.delete(document.uri);
    if (!closed) this.status.set(document.uri, { findings: 0 });
    this.client.notify({ type: 'close', uri: key });
  }

  private reportSettingsProblems(settings: ResolvedSettings): void {
    if (settings.problems.length === 0) return;
    this.reportProblem(`Async Lens ignores invalid settings: ${settings.problems.join('; ')}`);
  }

  /** Shows a problem with the user's configuration once (until settings change), and logs it. */
  private reportProblem(message: string): void {
    if (this.reportedProblems.has(message)) return;
    this.reportedProblems.add(message);
    this.log.warn(message);
    void vscode.window.showWarningMessage(message, 'Open Settings', 'Show Log').then((choice) => {
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', SECTION);
      if (choice === 'Show Log') this.log.show(true);
    });
  }
}

function toDiagnostic(document: vscode.TextDocument, finding: Finding): vscode.Diagnostic {
  const range = new vscode.Range(document.positionAt(finding.range.start), document.positionAt(finding.range.end));
  const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
  diagnostic.source = SOURCE;
  diagnostic.code = CATALOG.entry(finding.code) ? { value: finding.code, target: docsUri(finding.code) } : finding.code;
  return diagnostic;
}

function describe(document: vscode.TextDocument): string {
  return vscode.workspace.asRelativePath(document.uri, false);
}
