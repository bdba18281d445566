import * as vscode from 'vscode';
import { minimalEdit } from '../../engine/text';
import type { Finding, Fix } from '../../engine/types';
import { exampleForRule } from '../../playground/gallery';
import { noqaEdit } from '../../python/noqa';
import type { AnalysisClient } from './client';
import { diskPath, isNotebookCell, languageOf } from './documents';
import { SOURCE, type Linter } from './linter';
import { readSettings } from './settings';

/** `source.fixAll.asyncLens`: what `editor.codeActionsOnSave` asks for. */
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('asyncLens');

/**
 * Quick fixes for Async Lens diagnostics (each rule's fixes, safe ones
 * preferred; "Disable … for this line"; "Show documentation …") and the
 * fix-all source action, which applies every safe fix until none is left.
 */
export class AsyncLensCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly linter: Linter, private readonly client: AnalysisClient, private readonly log: vscode.LogOutputChannel) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    if (context.only && FIX_ALL_KIND.intersects(context.only) && !context.only.contains(vscode.CodeActionKind.QuickFix)) {
      const action = await this.fixAllAction(document, token);
      return action ? [action] : [];
    }
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(context.only)) return [];

    const linted = this.linter.lintedVersion(document);
    const actions: vscode.CodeAction[] = [];
    let hereFixable = false;
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const code = codeOf(diagnostic);
      if (!code) continue;
      const finding = linted?.findings.find((candidate) => candidate.code === code && sameRange(document, candidate, diagnostic.range));
      if (finding) {
        let preferred = false;
        for (const fix of finding.fixes) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = editFor(document, fix);
          action.diagnostics = [diagnostic];
          if (fix.safety === 'safe' && !preferred) action.isPreferred = preferred = true;
          actions.push(action);
        }
        hereFixable ||= preferred;
      }
      const noqa = this.noqaAction(document, diagnostic, code);
      if (noqa) actions.push(noqa);
      if (exampleForRule(code)) {
        const example = new vscode.CodeAction(`Show ${code} in the Async Playground`, vscode.CodeActionKind.QuickFix);
        example.command = { command: 'asyncLens.playground.showRuleExample', title: example.title, arguments: [code, document.languageId] };
        example.diagnostics = [diagnostic];
        actions.push(example);
      }
      const docs = new vscode.CodeAction(`Show documentation for ${code}`, vscode.CodeActionKind.QuickFix);
      docs.command = { command: 'asyncLens.showRuleDocs', title: docs.title, arguments: [code] };
      docs.diagnostics = [diagnostic];
      actions.push(docs);
    }
    // Offered beside a fixable diagnostic when the file has others to fix too (not on every line).
    const fixable = linted?.findings.filter((finding) => finding.fixes.some((fix) => fix.safety === 'safe')).length ?? 0;
    if (hereFixable && fixable > 1) {
      const all = new vscode.CodeAction('Fix all Async Lens problems', vscode.CodeActionKind.QuickFix);
      all.command = { command: 'asyncLens.fixAll', title: all.title, arguments: [document.uri] };
      actions.push(all);
    }
    return actions;
  }

  /** The whole-file fix as one minimal edit, or undefined when nothing is safely fixable. */
  async fixAllAction(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<vscode.CodeAction | undefined> {
    const settings = readSettings(document.uri);
    if (!settings.enable) return undefined;
    const version = document.version;
    const text = document.getText();
    if (text.length > settings.maxFileSize) return undefined;
    let response;
    try {
      response = await this.client.request({ type: 'fixAll', uri: document.uri.toString(), language: languageOf(document) ?? 'python', languageId: document.languageId, path: diskPath(document), text, settings: settings.editor, notebookCell: isNotebookCell(document) });
    } catch (error) {
      this.log.error(`fix all failed for ${document.uri.toString()}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    if (token?.isCancellationRequested || document.version !== version || response.text === undefined) return undefined;
    const action = new vscode.CodeAction('Fix all Async Lens problems', FIX_ALL_KIND);
    action.edit = new vscode.WorkspaceEdit();
    const change = minimalEdit(text, response.text);
    action.edit.replace(document.uri, new vscode.Range(document.positionAt(change.range.start), document.positionAt(change.range.end)), change.newText);
    this.log.info(`fix all: ${response.fixed} fix(es) in ${vscode.workspace.asRelativePath(document.uri, false)}`);
    return action;
  }

  /**
   * `# noqa: CODE` on the line the finding starts on (where the engine checks
   * it); in JS/TS, `// async-lens-ignore CODE` on a line of its own above it.
   */
  private noqaAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, code: string): vscode.CodeAction | undefined {
    const line = document.lineAt(diagnostic.range.start.line);
    if (languageOf(document) === 'javascript') {
      const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
      const action = new vscode.CodeAction(`Disable ${code} for this line`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.insert(document.uri, new vscode.Position(line.lineNumber, 0), `${indent}// async-lens-ignore ${code}${document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'}`);
      action.diagnostics = [diagnostic];
      return action;
    }
    const edit = noqaEdit(line.text, code);
    if (!edit) return undefined;
    const action = new vscode.CodeAction(`Disable ${code} for this line`, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(document.uri, new vscode.Range(line.lineNumber, edit.start, line.lineNumber, edit.end), edit.newText);
    action.diagnostics = [diagnostic];
    return action;
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}

function sameRange(document: vscode.TextDocument, finding: Finding, range: vscode.Range): boolean {
  return document.offsetAt(range.start) === finding.range.start && document.offsetAt(range.end) === finding.range.end;
}

/** A fix's edits: their line breaks already follow the text that was analysed (the engine adapts them). */
function editFor(document: vscode.TextDocument, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const change of fix.edits) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(change.range.start), document.positionAt(change.range.end)), change.newText);
  }
  return edit;
}
