import * as vscode from 'vscode';
import type { TextChange } from '../../python/incremental';

/** Python documents Async Lens lints: files, untitled buffers and notebook cells. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell', 'vscode-remote']);

export function isLintable(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && SCHEMES.has(document.uri.scheme);
}

export function isNotebookCell(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'vscode-notebook-cell';
}

/** The file on disk a document belongs to (a cell: its notebook), for imports and pyproject.toml. */
export function diskPath(document: vscode.TextDocument): string | undefined {
  const { uri } = document;
  if (uri.scheme === 'file' || uri.scheme === 'vscode-notebook-cell' || uri.scheme === 'vscode-remote') return uri.fsPath;
  return undefined;
}

/**
 * One change event as engine text changes. VS Code reports the changes of
 * one event against the text before the event, sorted so that applying them
 * in order (from the end of the document backwards) keeps every offset valid.
 */
export function textChanges(event: vscode.TextDocumentChangeEvent): TextChange[] {
  return event.contentChanges.map((change) => ({ start: change.rangeOffset, end: change.rangeOffset + change.rangeLength, text: change.text }));
}
