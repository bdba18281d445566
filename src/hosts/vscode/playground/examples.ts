/*
 * Where the playground's gallery examples live while they are open: real
 * files in a folder of the extension's global storage, not untitled buffers.
 *
 * - A TypeScript example imports Node (`node:timers/promises`), as code run
 *   by Node does. An untitled buffer sits in VS Code's inferred project, which
 *   has no Node types, so the import was a red squiggle. The folder has a
 *   tsconfig.json that gives its files Node's types (the @types/node the
 *   extension ships in dist/node-types/), so the editor shows what tsc shows in
 *   a Node project: nothing but what the example teaches.
 * - An untitled buffer filled with the example is unsaved, and VS Code opens
 *   every unsaved document that has no editor in the active group: depending
 *   on timing the example opened twice, once behind the panel. A file written
 *   to disk is opened once, where the playground puts it, and closes without
 *   asking to save.
 *
 * An example opened again while its editor is still open keeps the user's
 * edits; otherwise it is reset to the gallery's text.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSnippet, type GallerySnippet } from '../../../playground/gallery';
import { examplesTsconfig } from '../../../playground/examples-tsconfig';

export class ExampleFiles {
  readonly folder: string;

  constructor(
    private readonly extensionPath: string,
    storagePath: string,
  ) {
    this.folder = path.join(storagePath, 'examples');
  }

  /** True for a document that is one of the gallery's examples. */
  owns(uri: vscode.Uri): boolean {
    return uri.scheme === 'file' && path.dirname(uri.fsPath) === this.folder;
  }

  /**
   * The document of a snippet, with the gallery's text unless an editor still
   * shows it. Nothing is shown: the caller puts it in its column.
   */
  async document(snippet: GallerySnippet): Promise<{ readonly document: vscode.TextDocument; readonly reset?: string }> {
    this.prepareFolder();
    const text = readSnippet(path.join(this.extensionPath, 'dist', 'gallery'), snippet);
    const file = path.join(this.folder, snippet.file);
    const uri = vscode.Uri.file(file);
    const loaded = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString() && !document.isClosed);
    if (loaded && (loaded.isDirty || isInATab(uri))) return { document: loaded };
    if (loaded) {
      // Closed a moment ago: VS Code still holds the text, synced with the disk. Reset it through the
      // document once it is shown (see `reset`), so the file and the editor never disagree.
      return loaded.getText() === text ? { document: loaded } : { document: loaded, reset: text };
    }
    if (readIfExists(file) !== text) fs.writeFileSync(file, text);
    return { document: await vscode.workspace.openTextDocument(uri) };
  }

  /** Gives a shown document the gallery's text again, and saves it. */
  static async reset(document: vscode.TextDocument, text: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    if (await vscode.workspace.applyEdit(edit)) await document.save();
  }

  /** The folder, with the tsconfig.json that gives its TypeScript files Node's types. */
  private prepareFolder(): void {
    fs.mkdirSync(this.folder, { recursive: true });
    const file = path.join(this.folder, 'tsconfig.json');
    const text = examplesTsconfig(path.join(this.extensionPath, 'dist', 'node-types'));
    if (readIfExists(file) !== text) fs.writeFileSync(file, text);
  }
}

function isInATab(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()));
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
