/*
 * Messages between the extension host and its analysis worker process. The
 * parser, the rules and the module resolver live in the worker, so a slow
 * file (or a rule stuck in a loop) never blocks the extension host, and
 * activation never loads the tree-sitter wasm.
 *
 * Offsets are UTF-16 code units of the text the request carried, as in the
 * engine; the extension converts them with `TextDocument.positionAt` only
 * when the document still has that version.
 */

import type { SeveritySetting } from '../../../engine/config';
import type { Finding, InternalError } from '../../../engine/types';
import type { TextChange } from '../../../python/incremental';

/** What the user configured in VS Code for one document (already validated). */
export interface EditorSettings {
  readonly severity: Readonly<Record<string, SeveritySetting>>;
  readonly knownAsyncIterables: readonly string[];
  readonly usePyprojectToml: boolean;
}

/** Which frontend analyses a document: Python always; JavaScript/TypeScript only when tsserver plugins cannot run (TypeScript 7). */
export type DocumentLanguage = 'python' | 'javascript';

export interface AnalyzeRequest {
  readonly type: 'analyze';
  readonly id: number;
  readonly uri: string;
  readonly language: DocumentLanguage;
  /** VS Code's language id (`typescriptreact`…): how an untitled JS/TS document is parsed. */
  readonly languageId: string;
  /** The file on disk the document belongs to (for imports and pyproject.toml); undefined for untitled documents. */
  readonly path: string | undefined;
  readonly version: number;
  readonly text: string;
  /** The edits since the text of the previous request for this uri, in order; a hint for incremental parsing. */
  readonly changes: readonly TextChange[] | undefined;
  readonly settings: EditorSettings;
  /** Notebook cells allow top-level `await` and `async for`. */
  readonly notebookCell: boolean;
}

export interface FixAllRequest {
  readonly type: 'fixAll';
  readonly id: number;
  readonly uri: string;
  readonly language: DocumentLanguage;
  readonly languageId: string;
  readonly path: string | undefined;
  readonly text: string;
  readonly settings: EditorSettings;
  readonly notebookCell: boolean;
}

/** A document closed: forget its tree. */
export interface CloseNotice {
  readonly type: 'close';
  readonly uri: string;
}

/** Files changed on disk (or all, when `paths` is undefined): forget what was learnt from them. */
export interface InvalidateNotice {
  readonly type: 'invalidate';
  readonly paths: readonly string[] | undefined;
}

/** Where the document's last analysed text iterates asynchronously (asked by the playground's code lens, not on every keystroke). */
export interface RunnableRequest {
  readonly type: 'runnable';
  readonly id: number;
  readonly uri: string;
}

export type ToWorker = AnalyzeRequest | FixAllRequest | RunnableRequest | CloseNotice | InvalidateNotice;

export interface AnalyzeResponse {
  readonly type: 'analyzed';
  readonly id: number;
  readonly findings: readonly Finding[];
  readonly errors: readonly InternalError[];
  /** A problem with the pyproject.toml that applies, stated for the user; the defaults were used. */
  readonly configProblem: string | undefined;
  /** The pyproject.toml whose settings applied, if any. */
  readonly configFile: string | undefined;
  /** The file is excluded by `[tool.async-lens] exclude`. */
  readonly excluded: boolean;
  /** What this file exports changed: other open documents may import it and need a new analysis. */
  readonly othersStale: boolean;
  readonly milliseconds: number;
  /** Units analysed and reused by the incremental analysis. */
  readonly analysedUnits: number;
  readonly reusedUnits: number;
  /** The file could not be parsed at all (nesting deeper than CPython allows, too broken, too large): said for the user. */
  readonly notParsed: string | undefined;
}

export interface FixAllResponse {
  readonly type: 'fixedAll';
  readonly id: number;
  /** The fixed text, or undefined when no safe fix applies. */
  readonly text: string | undefined;
  readonly fixed: number;
}

export interface FailureResponse {
  readonly type: 'failed';
  readonly id: number;
  readonly message: string;
}

/** The worker is ready (the wasm is loaded), with how long that took. */
export interface ReadyNotice {
  readonly type: 'ready';
  readonly milliseconds: number;
}

/** The worker begins work on a request (time limits count from here, not from the queue). */
export interface StartedNotice {
  readonly type: 'started';
  readonly id: number;
}

/** A closed document's unsaved text no longer shadows the file on disk: other documents need a new analysis. */
export interface OthersStaleNotice {
  readonly type: 'othersStale';
}

export interface RunnableResponse {
  readonly type: 'runnableLines';
  readonly id: number;
  /** 0-based lines; empty when the document was not analysed yet. */
  readonly lines: readonly number[];
}

export type FromWorker = AnalyzeResponse | FixAllResponse | RunnableResponse | FailureResponse | ReadyNotice | StartedNotice | OthersStaleNotice;

/** A message from the other side, checked before use: a wrong shape is a bug, reported, never trusted. */
export function isFromWorker(value: unknown): value is FromWorker {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; id?: unknown };
  if (message.type === 'ready' || message.type === 'othersStale') return true;
  return typeof message.id === 'number' && (message.type === 'analyzed' || message.type === 'fixedAll' || message.type === 'runnableLines' || message.type === 'failed' || message.type === 'started');
}

export function isToWorker(value: unknown): value is ToWorker {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; uri?: unknown; text?: unknown };
  switch (message.type) {
    case 'analyze':
    case 'fixAll':
      return typeof message.uri === 'string' && typeof message.text === 'string';
    case 'close':
    case 'runnable':
      return typeof message.uri === 'string';
    case 'invalidate':
      return true;
    default:
      return false;
  }
}
