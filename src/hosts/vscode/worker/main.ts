/*
 * The analysis worker: a child process the extension starts on first use
 * (`client.ts`), talking over Node's IPC channel. It owns the parser
 * (web-tree-sitter wasm), one incremental analysis per open document, the
 * projects and the module resolvers. It answers one request at a time; the
 * extension never sends a second request for a document before the first
 * is answered. When the extension goes away, so does the worker.
 */

import { performance } from 'node:perf_hooks';
import { applySafeFixes } from '../../../engine/fix';
import { analyzePython } from '../../../python/analyze';
import { PythonDocumentAnalysis } from '../../../python/incremental';
import type { FileSystemModuleResolver } from '../../../python/module-resolver';
import { isParserDead, loadPythonParser } from '../../../python/parser';
import { describeConfigProblem } from '../../../project/config';
import { isExcluded, Projects, type Project } from '../../../project/project';
import { isRegularFile, readSourceFile } from '../../../project/read';
import { layerSettings, type FileSettings } from '../../../project/settings';
import { analyzeJsDocument, jsFileName } from './javascript';
import { isToWorker, type AnalyzeRequest, type FixAllRequest, type FromWorker, type ToWorker } from './protocol';
import { runnableLines } from './runnable-lines';

if (!process.send) throw new Error('the analysis worker must run as a child process with an IPC channel');
process.on('disconnect', () => process.exit(0));

function post(message: FromWorker): void {
  process.send!(message);
}

// ---------------------------------------------------------------- projects and imports

/** The text of open documents by path: imports see unsaved edits, as the user does. */
const openTexts = new Map<string, string>();
/** What each open file exports (a summary's JSON), to tell when its importers need a new analysis. */
const exportsOf = new Map<string, string>();

function readText(file: string): string | undefined {
  const open = openTexts.get(file);
  if (open !== undefined) return open;
  const read = readSourceFile(file);
  return read.ok ? read.source.text : undefined;
}

const projects = new Projects({ readText, isFile: (file) => openTexts.has(file) || isRegularFile(file) });

function invalidate(paths: readonly string[] | undefined): void {
  projects.invalidate(paths);
  invalidateAnalysesExcept(undefined);
}

/** The next update of every other document analyses it whole (what it imports may have changed). */
function invalidateAnalysesExcept(file: string | undefined): void {
  for (const document of documents.values()) if (file === undefined || document.path !== file) document.analysis.invalidate();
}

// ---------------------------------------------------------------- documents

interface OpenDocument {
  readonly analysis: PythonDocumentAnalysis;
  path: string | undefined;
  settingsKey: string;
}

const documents = new Map<string, OpenDocument>();

interface Context {
  /** The project of a file on disk; undefined for untitled documents. */
  readonly project: Project | undefined;
  readonly settings: FileSettings;
  readonly resolver: FileSystemModuleResolver | undefined;
  readonly excluded: boolean;
}

/** A document's settings: the defaults, its project's pyproject.toml (unless switched off), then the editor's. */
function contextFor(request: AnalyzeRequest | FixAllRequest): Context {
  const project = request.path ? projects.projectOfFile(request.path) : undefined;
  const fromPyproject = project && request.settings.usePyprojectToml ? project.config.layer : {};
  const settings = layerSettings(fromPyproject, {
    severity: request.settings.severity,
    knownAsyncIterables: request.settings.knownAsyncIterables,
    ...(request.notebookCell ? { topLevelAwait: true } : {}),
  });
  const resolver = project ? projects.resolverFor(project, settings) : undefined;
  const excluded = !!project && !!request.path && isExcluded(project.root, settings.exclude, request.path);
  return { project, settings, resolver, excluded };
}

/** What the response says about the pyproject.toml that applies. */
function configOf(context: Context, request: AnalyzeRequest): { configFile: string | undefined; configProblem: string | undefined } {
  const file = request.settings.usePyprojectToml ? context.project?.configFile : undefined;
  const problems = file ? context.project!.config.problems : [];
  return { configFile: file, configProblem: problems.length > 0 ? problems.map((problem) => describeConfigProblem(file!, problem)).join('\n') : undefined };
}

function analyze(request: AnalyzeRequest): FromWorker {
  const started = performance.now();
  const context = contextFor(request);
  const common = { type: 'analyzed', id: request.id, ...configOf(context, request) } as const;
  if (context.excluded) {
    const othersStale = close(request.uri);
    return { ...common, findings: [], errors: [], excluded: true, othersStale, milliseconds: performance.now() - started, analysedUnits: 0, reusedUnits: 0, notParsed: undefined };
  }
  if (request.language === 'javascript') {
    const result = analyzeJsDocument(request.text, jsFileName(request.path, request.languageId), context.settings);
    const notParsed = result.syntaxError?.notAnalysed ? `line ${result.syntaxError.line}: ${result.syntaxError.message}` : undefined;
    return { ...common, findings: result.findings, errors: result.errors, excluded: false, othersStale: false, milliseconds: performance.now() - started, analysedUnits: 1, reusedUnits: 0, notParsed };
  }
  const textChanged = request.path !== undefined && !request.notebookCell && openTexts.get(request.path) !== request.text;
  if (textChanged) {
    openTexts.set(request.path!, request.text);
    projects.forgetFile(request.path!);
  }

  const settingsKey = JSON.stringify([context.settings, context.project?.root]);
  let document = documents.get(request.uri);
  const options = { path: request.path, settings: context.settings, resolver: context.resolver };
  if (!document) {
    document = { analysis: new PythonDocumentAnalysis(options), path: request.path, settingsKey };
    documents.set(request.uri, document);
  } else if (document.settingsKey !== settingsKey || document.path !== request.path) {
    document.analysis.reconfigure(options);
    document.settingsKey = settingsKey;
    document.path = request.path;
  }
  const result = document.analysis.update(request.text, request.changes);
  const stats = document.analysis.lastStats;
  // Only a change to what other units can see (a full analysis) can change what the file exports.
  const othersStale = textChanged && stats.full && exportsChanged(request.path!, request.text, document.analysis, context.resolver!);
  return {
    ...common,
    findings: result.findings,
    errors: result.errors,
    excluded: false,
    othersStale,
    milliseconds: performance.now() - started,
    analysedUnits: stats.analysed,
    reusedUnits: stats.reused,
    notParsed: result.syntaxError?.notAnalysed ? `line ${result.syntaxError.line}: ${result.syntaxError.message}` : undefined,
  };
}

/**
 * Whether the exports of the open file at `file` differ from the last time:
 * then the analyses of the other documents, which may import it, are stale.
 * The summary is made from the tree just analysed and kept by the resolver,
 * so importers do not parse the file again.
 */
function exportsChanged(file: string, text: string, analysis: PythonDocumentAnalysis, resolver: FileSystemModuleResolver): boolean {
  const found = resolver.summaryOf(file, text, analysis.currentTree);
  const summary = found ? JSON.stringify([[...found.exports], [...(found.pendingCleanup ?? [])]]) : '';
  const previous = exportsOf.get(file);
  exportsOf.set(file, summary);
  if (previous === undefined || previous === summary) return false;
  invalidateAnalysesExcept(file);
  return true;
}

function fixAll(request: FixAllRequest): FromWorker {
  const context = contextFor(request);
  if (context.excluded) return { type: 'fixedAll', id: request.id, text: undefined, fixed: 0 };
  const run = request.language === 'javascript'
    ? (text: string) => analyzeJsDocument(text, jsFileName(request.path, request.languageId), context.settings)
    : (text: string) => analyzePython({ text, path: request.path, settings: context.settings, resolver: context.resolver });
  const outcome = applySafeFixes(request.text, run(request.text), run);
  return { type: 'fixedAll', id: request.id, text: outcome.fixed > 0 && outcome.text !== request.text ? outcome.text : undefined, fixed: outcome.fixed };
}

/**
 * Forgets a document. When it was the last one open for its file, imports
 * see the file on disk again; returns whether that may change what the
 * other documents import (the unsaved text differed from the disk).
 */
function close(uri: string): boolean {
  const document = documents.get(uri);
  if (!document) return false;
  document.analysis.dispose();
  documents.delete(uri);
  const file = document.path;
  if (!file || [...documents.values()].some((other) => other.path === file) || !openTexts.has(file)) return false;
  const unsaved = openTexts.get(file);
  openTexts.delete(file);
  exportsOf.delete(file);
  projects.forgetFile(file);
  if (unsaved === readText(file)) return false;
  invalidateAnalysesExcept(file);
  return true;
}

function handle(message: ToWorker): void {
  switch (message.type) {
    case 'analyze':
    case 'fixAll':
      post({ type: 'started', id: message.id });
      try {
        post(message.type === 'analyze' ? analyze(message) : fixAll(message));
      } catch (error) {
        // The engine reports rule failures itself; this is anything else (a parser failure, a bug here).
        documents.get(message.uri)?.analysis.invalidate();
        post({ type: 'failed', id: message.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
      // The parser ran out of memory and cannot work again in this process: end it, the client starts a new one.
      if (isParserDead()) process.exit(70);
      return;
    case 'runnable': {
      const tree = documents.get(message.uri)?.analysis.currentTree;
      post({ type: 'runnableLines', id: message.id, lines: tree ? runnableLines(tree) : [] });
      return;
    }
    case 'close':
      if (close(message.uri)) post({ type: 'othersStale' });
      return;
    case 'invalidate':
      invalidate(message.paths);
      return;
  }
}

// Requests that arrive while the parser loads wait for it, in order.
const started = performance.now();
const ready = loadPythonParser().then(() => post({ type: 'ready', milliseconds: performance.now() - started }));
process.on('message', (message: unknown) => {
  if (!isToWorker(message)) return;
  void ready.then(
    () => handle(message),
    (error: unknown) => {
      if ('id' in message) post({ type: 'failed', id: message.id, message: `the Python parser could not be loaded: ${error instanceof Error ? error.message : String(error)}` });
    },
  );
});
