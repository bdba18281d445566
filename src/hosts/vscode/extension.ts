/*
 * The VS Code extension's entry. Activation is cheap on purpose: it wires
 * events and providers; the parser (tree-sitter wasm) and the rules load in
 * the analysis worker on the first lint.
 */

import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SnippetTransformer } from '../../playground/js/transformer';
import { AnalysisClient } from './client';
import { AsyncLensCodeActions } from './code-actions';
import { Linter } from './linter';
import { PlaygroundController } from './playground/controller';
import { LENS_SELECTOR, PlaygroundCodeLenses } from './playground/lens';
import type { FinishedRun } from './playground/session';
import type { TraceEvent } from '../../playground/events';
import { RuleDocsUriHandler, showRuleDocs } from './rule-docs';
import { readSettings, SECTION } from './settings';
import { AsyncLensStatus } from './status';
import { watchSuspensionStyle } from './suspension-style';
import { JsServerTracker } from './typescript-mode';
import { openExample } from './walkthrough';
import { isLintable, JS_LANGUAGE_IDS, languageOf } from './documents';

/** What the extension gives other extensions (and its own end-to-end tests). */
export interface AsyncLensApi {
  /** Milliseconds `activate` took. */
  readonly activationMilliseconds: number;
  /** Fires when a document's diagnostics were replaced. */
  readonly onDidLint: vscode.Event<vscode.Uri>;
  /** The last analysis of an open document: its version, finding count, incremental reuse, and whether it failed. */
  lastLint(uri: vscode.Uri): { version: number; findings: number; analysedUnits: number; reusedUnits: number; failed: boolean } | undefined;
  /** Problems with the user's configuration shown (once each) since settings last changed. */
  configurationProblems(): readonly string[];
  readonly playground: {
    /** Fires with each group's runs (one, or two for a comparison) when it is over. */
    readonly onDidFinish: vscode.Event<readonly FinishedRun[]>;
    /** Each batch of events of the current run, as it arrives. */
    readonly onDidReceiveEvents: vscode.Event<readonly TraceEvent[]>;
    lastRuns(): readonly FinishedRun[];
    isPanelOpen(): boolean;
  };
}

const SCHEMES = ['file', 'untitled', 'vscode-notebook-cell'];
const SELECTOR: vscode.DocumentSelector = SCHEMES.map((scheme) => ({ language: 'python', scheme }));
/** Where the extension's own code actions apply: Python, and JS/TS when it serves them (it checks per document). */
const ACTIONS_SELECTOR: vscode.DocumentSelector = ['python', ...JS_LANGUAGE_IDS].flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme })));

export function activate(context: vscode.ExtensionContext): AsyncLensApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Async Lens', { log: true });
  const client = new AnalysisClient(path.join(context.extensionPath, 'dist', 'analysis-worker.js'), log, { onOthersStale: () => linter.othersStale() });
  const status = new AsyncLensStatus(SELECTOR);
  const jsServer = new JsServerTracker(log, () => {
    const settings = readSettings(undefined);
    return { enable: settings.enable, severity: settings.editor.severity, knownAsyncIterables: settings.editor.knownAsyncIterables };
  });
  const linter: Linter = new Linter(client, log, status, () => jsServer.current === 'extension');
  const actions = new AsyncLensCodeActions(linter, client, log);
  // One TypeScript instrumenter (a worker thread, started on first use) for the playground's runs and its code lens.
  const transformer = new SnippetTransformer(path.join(context.extensionPath, 'dist', 'transform-worker.js'));
  const playground = new PlaygroundController(context, transformer, log);
  const lenses = new PlaygroundCodeLenses(client, transformer, linter);

  context.subscriptions.push(
    log,
    client,
    status,
    linter,
    jsServer,
    jsServer.onDidChange(() => linter.jsServerChanged()),
    // The tsserver plugin gets `asyncLens.*` once a JS/TS document is open, and again on every change.
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (languageOf(document) === 'javascript') jsServer.sendConfiguration();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) jsServer.sendConfiguration();
    }),
    vscode.languages.registerCodeActionsProvider(ACTIONS_SELECTOR, actions, AsyncLensCodeActions.metadata),
    transformer,
    playground,
    lenses,
    vscode.languages.registerCodeLensProvider(LENS_SELECTOR, lenses),
    vscode.commands.registerCommand('asyncLens.playground.open', () => playground.open()),
    vscode.commands.registerCommand('asyncLens.playground.run', (uri?: unknown) => playground.runDocument(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('asyncLens.playground.rerun', () => playground.rerun()),
    vscode.commands.registerCommand('asyncLens.playground.stop', () => playground.stop()),
    vscode.commands.registerCommand('asyncLens.playground.compare', () => playground.compare()),
    vscode.commands.registerCommand('asyncLens.playground.openExample', (id?: unknown, language?: unknown) =>
      typeof id === 'string' ? playground.openExample(id, language === 'typescript' ? 'typescript' : 'python') : playground.open(),
    ),
    vscode.commands.registerCommand('asyncLens.playground.showRuleExample', (code?: unknown, languageId?: unknown) =>
      typeof code === 'string' ? playground.showRuleExample(code, typeof languageId === 'string' ? languageId : undefined) : playground.open(),
    ),
    vscode.window.registerUriHandler(new RuleDocsUriHandler(context.extensionUri, log)),
    watchSuspensionStyle(log),
    vscode.commands.registerCommand('asyncLens.showRuleDocs', (code?: unknown) => showRuleDocs(context.extensionUri, code)),
    vscode.commands.registerCommand('asyncLens.showLog', () => log.show()),
    vscode.commands.registerCommand('asyncLens.openExample', () => openExample()),
    vscode.commands.registerCommand('asyncLens.enableFixAllOnSave', () => enableFixAllOnSave(log)),
    vscode.commands.registerCommand('asyncLens.fixAll', async (target?: unknown) => {
      const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
      const document = uri && vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
      if (!document || !isLintable(document, jsServer.current === 'extension')) {
        void vscode.window.showInformationMessage(document && languageOf(document) === 'javascript'
          ? 'Async Lens: in JavaScript and TypeScript, use "Fix All" from the quick fixes (TypeScript\'s own "Fix all" runs Async Lens\'s fixes through its tsserver plugin).'
          : 'Async Lens: open a Python file to fix.');
        return false;
      }
      const action = await actions.fixAllAction(document);
      if (!action?.edit) {
        void vscode.window.setStatusBarMessage('Async Lens: nothing to fix safely', 3000);
        return false;
      }
      return vscode.workspace.applyEdit(action.edit);
    }),
  );

  linter.lintAll(true);
  if (vscode.workspace.textDocuments.some((document) => languageOf(document) === 'javascript')) jsServer.sendConfiguration();
  const activationMilliseconds = performance.now() - started;
  log.info(`Async Lens ${context.extension.packageJSON.version} activated in ${activationMilliseconds.toFixed(1)} ms`);
  return {
    activationMilliseconds,
    onDidLint: linter.onDidLint,
    lastLint: (uri) => {
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
      const linted = document && linter.lastLinted(document);
      if (!linted) return undefined;
      return { version: linted.version, findings: linted.findings.length, analysedUnits: linted.analysedUnits, reusedUnits: linted.reusedUnits, failed: linter.lastAnalysisFailed(uri) };
    },
    configurationProblems: () => linter.configurationProblems(),
    playground: {
      onDidFinish: playground.onDidFinish,
      onDidReceiveEvents: playground.onDidReceiveEvents,
      lastRuns: () => playground.lastRuns,
      isPanelOpen: () => playground.isPanelOpen,
    },
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

/** Adds `source.fixAll.asyncLens` to `editor.codeActionsOnSave` for Python, in the user's settings (the walkthrough's button). */
async function enableFixAllOnSave(log: vscode.LogOutputChannel): Promise<void> {
  const config = vscode.workspace.getConfiguration('editor', { languageId: 'python' });
  const current = config.inspect<Record<string, unknown> | string[]>('codeActionsOnSave')?.globalLanguageValue;
  let next: Record<string, unknown> | string[];
  if (Array.isArray(current)) next = current.includes('source.fixAll.asyncLens') ? current : [...current, 'source.fixAll.asyncLens'];
  else next = { ...(current ?? {}), 'source.fixAll.asyncLens': 'explicit' };
  await config.update('codeActionsOnSave', next, vscode.ConfigurationTarget.Global, true);
  log.info('editor.codeActionsOnSave for Python now includes source.fixAll.asyncLens');
  void vscode.window.showInformationMessage('Async Lens will fix what it safely can each time you save a Python file.');
}
