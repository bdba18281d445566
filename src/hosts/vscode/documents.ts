import * as vscode from 'vscode';
import type { TextChange } from '../../python/incremental';

/** Python documents Async Lens lints: files, untitled buffers and notebook cells. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell']);

export function isLintable(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && SCHEMES.has(document.uri.scheme);
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
