import * as vscode from 'vscode';
import type { TextChange } from '../../python/incremental';
import type { DocumentLanguage } from './worker/protocol';

/** Documents Async Lens lints: files, untitled buffers and notebook cells. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell']);

/** VS Code's JavaScript and TypeScript language ids. */
export const JS_LANGUAGE_IDS: readonly string[] = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'];

/** Which frontend a document needs, whoever serves it. */
export function languageOf(document: vscode.TextDocument): DocumentLanguage | undefined {
  if (!SCHEMES.has(document.uri.scheme)) return undefined;
  if (document.languageId === 'python') return 'python';
  return JS_LANGUAGE_IDS.includes(document.languageId) ? 'javascript' : undefined;
}

/**
 * Whether the extension lints `document` itself: Python always; JavaScript
 * and TypeScript only when `servesJs` (tsserver plugins cannot run).
 */
export function isLintable(document: vscode.TextDocument, servesJs = false): boolean {
  const language = languageOf(document);
  return language === 'python' || (language === 'javascript' && servesJs);
}

export function isNotebookCell(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'vscode-notebook-cell';
}

/**
 * The file on disk a document belongs to (a cell: its notebook), for imports
 * and pyproject.toml; undefined for untitled documents and notebooks, and for
 * files on other file systems, whose paths mean nothing to the disk.
 */
export function diskPath(document: vscode.TextDocument): string | undefined {
  const { uri } = document;
  if (uri.scheme === 'file') return uri.fsPath;
  if (uri.scheme !== 'vscode-notebook-cell') return undefined;
  const notebook = vscode.workspace.notebookDocuments.find((candidate) => candidate.getCells().some((cell) => cell.document === document));
  return notebook?.uri.scheme === 'file' ? notebook.uri.fsPath : undefined;
}

/**
 * One change event as engine text changes. VS Code reports the changes of
 * one event against the text before the event, sorted so that applying them
 * in order (from the end of the document backwards) keeps every offset valid.
 */
export function textChanges(event: vscode.TextDocumentChangeEvent): TextChange[] {
  return event.contentChanges.map((change) => ({ start: change.rangeOffset, end: change.rangeOffset + change.rangeLength, text: change.text }));
}
