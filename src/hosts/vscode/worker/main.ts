/*
 * The analysis worker: a `worker_threads` worker the extension starts on
 * first use. It owns the parser (web-tree-sitter wasm), one incremental
 * analysis per open document, the pyproject.toml settings and the module
 * resolvers. It answers one request at a time; the extension never sends a
 * second request for a document before the first is answered.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import ignore, { type Ignore } from 'ignore';
import type { LintSettings } from '../../../engine/config';
import { analyzePython } from '../../../python/analyze';
import { PythonDocumentAnalysis } from '../../../python/incremental';
import { FileSystemModuleResolver } from '../../../python/module-resolver';
import { loadPythonParser } from '../../../python/parser';
import { asyncIterationLines } from '../../../python/runnable';
import { applySafeFixes } from '../../cli/fix';
import { findConfigFile, parseConfig } from '../../cli/config';
import { isToWorker, type AnalyzeRequest, type EditorSettings, type FixAllRequest, type FromWorker, type ToWorker } from '../protocol';

const port = parentPort;
if (!port) throw new Error('the analysis worker must run in a worker thread');

function post(message: FromWorker): void {
  port!.postMessage(message);
}

// ---------------------------------------------------------------- project settings

interface Project {
  readonly file: string | undefined;
  readonly root: string | undefined;
  readonly settings: LintSettings;
  readonly exclude: Ignore | undefined;
  readonly problem: string | undefined;
}

const NO_PROJECT: Project = { file: undefined, root: undefined, settings: {}, exclude: undefined, problem: undefined };
const projects = new Map<string, Project>();

/** The `[tool.async-lens]` settings of the nearest pyproject.toml above `directory`, cached by file. */
function projectFor(directory: string): Project {
  const file = findConfigFile(directory);
  if (file === undefined) return NO_PROJECT;
  const cached = projects.get(file);
  if (cached) return cached;
  const root = path.dirname(file);
  let project: Project;
  try {
    const parsed = parseConfig(fs.readFileSync(file, 'utf8'));
    project = parsed.ok
      ? { file, root, settings: parsed.config.settings, exclude: parsed.config.exclude.length > 0 ? ignore().add([...parsed.config.exclude]) : undefined, problem: undefined }
      : { file, root, settings: {}, exclude: undefined, problem: `${file}${parsed.message}` };
  } catch (error) {
    project = { file, root, settings: {}, exclude: undefined, problem: `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}` };
  }
  projects.set(file, project);
  return project;
}

/** The project's settings with the editor's on top: editor severities win, known APIs add up. */
function mergedSettings(project: Project, editor: EditorSettings, notebookCell: boolean): LintSettings {
  const base = editor.usePyprojectToml ? project.settings : {};
  return {
    select: base.select,
    ignore: base.ignore,
    severity: { ...base.severity, ...editor.severity },
    knownAsyncIterables: [...(base.knownAsyncIterables ?? []), ...editor.knownAsyncIterables],
    topLevelAwait: notebookCell || base.topLevelAwait,
  };
}

// ---------------------------------------------------------------- imports

/** The text of open documents by path: imports see unsaved edits, as the user does. */
const openTexts = new Map<string, string>();
/** What each open file exports (a summary's JSON), to tell when its importers need a new analysis. */
const exportsOf = new Map<string, string>();
/** Resolvers by project root and known-API list; a few at most (one per project and settings in use). */
const resolvers = new Map<string, FileSystemModuleResolver>();
const MAX_RESOLVERS = 8;

function readFile(file: string): string | undefined {
  const open = openTexts.get(file);
  if (open !== undefined) return open;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** One resolver per project root and settings (summaries depend on the known-API table). */
function resolverFor(project: Project, settings: LintSettings, file: string): FileSystemModuleResolver {
  const root = project.root ?? path.dirname(file);
  const key = `${root}\0${JSON.stringify(settings.knownAsyncIterables ?? [])}`;
  let resolver = resolvers.get(key);
  if (resolver) {
    // Most recently used last, so the oldest is dropped first.
    resolvers.delete(key);
  } else {
    resolver = new FileSystemModuleResolver({ readFile, sourceRoots: [root, path.join(root, 'src')], settings });
    if (resolvers.size >= MAX_RESOLVERS) resolvers.delete(resolvers.keys().next().value!);
  }
  resolvers.set(key, resolver);
  return resolver;
}

function invalidate(paths: readonly string[] | undefined): void {
  if (paths === undefined || paths.some((file) => path.basename(file) === 'pyproject.toml')) projects.clear();
  // A created or deleted file changes where modules are found: forget everything then.
  if (paths === undefined) for (const resolver of resolvers.values()) resolver.invalidate();
  else for (const file of paths) forgetSummaries(file);
  invalidateAnalysesExcept(undefined);
}

/** Every resolver forgets what `file` exports (its text changed). */
function forgetSummaries(file: string): void {
  for (const resolver of resolvers.values()) resolver.invalidate(file);
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
  readonly project: Project;
  readonly settings: LintSettings;
  readonly resolver: FileSystemModuleResolver | undefined;
  readonly excluded: boolean;
}

function contextFor(request: AnalyzeRequest | FixAllRequest): Context {
  const project = request.path && request.settings.usePyprojectToml ? projectFor(path.dirname(request.path)) : NO_PROJECT;
  const settings = mergedSettings(project, request.settings, request.notebookCell);
  const resolver = request.path ? resolverFor(project, settings, request.path) : undefined;
  let excluded = false;
  if (project.exclude && project.root && request.path) {
    const relative = path.relative(project.root, request.path);
    excluded = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) && project.exclude.ignores(relative.split(path.sep).join('/'));
  }
  return { project, settings, resolver, excluded };
}

function analyze(request: AnalyzeRequest): FromWorker {
  const started = performance.now();
  const context = contextFor(request);
  const common = { type: 'analyzed', id: request.id, configProblem: context.project.problem, configFile: context.project.file } as const;
  if (context.excluded) {
    const othersStale = close(request.uri);
    return { ...common, findings: [], errors: [], excluded: true, othersStale, milliseconds: performance.now() - started, analysedUnits: 0, reusedUnits: 0 };
  }
  const textChanged = request.path !== undefined && !request.notebookCell && openTexts.get(request.path) !== request.text;
  if (textChanged) {
    openTexts.set(request.path!, request.text);
    forgetSummaries(request.path!);
  }

  const settingsKey = JSON.stringify([context.settings, context.project.root]);
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
  };
}

/**
 * Whether the exports of the open file at `file` differ from the last time:
 * then the analyses of the other documents, which may import it, are stale.
 * The summary is made from the tree just analysed and kept by the resolver,
 * so importers do not parse the file again.
 */
function exportsChanged(file: string, text: string, analysis: PythonDocumentAnalysis, resolver: FileSystemModuleResolver): boolean {
  const exports = resolver.summaryOf(file, text, analysis.currentTree)?.exports;
  const summary = exports ? JSON.stringify([...exports]) : '';
  const previous = exportsOf.get(file);
  exportsOf.set(file, summary);
  if (previous === undefined || previous === summary) return false;
  invalidateAnalysesExcept(file);
  return true;
}

function fixAll(request: FixAllRequest): FromWorker {
  const context = contextFor(request);
  if (context.excluded) return { type: 'fixedAll', id: request.id, text: undefined, fixed: 0 };
  const run = (text: string) => analyzePython({ text, path: request.path, settings: context.settings, resolver: context.resolver });
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
  forgetSummaries(file);
  if (unsaved === readFile(file)) return false;
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
      return;
    case 'runnable': {
      const tree = documents.get(message.uri)?.analysis.currentTree;
      post({ type: 'runnableLines', id: message.id, lines: tree ? asyncIterationLines(tree) : [] });
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
port.on('message', (message: unknown) => {
  if (!isToWorker(message)) return;
  void ready.then(
    () => handle(message),
    (error: unknown) => {
      if ('id' in message) post({ type: 'failed', id: message.id, message: `the Python parser could not be loaded: ${error instanceof Error ? error.message : String(error)}` });
    },
  );
});
