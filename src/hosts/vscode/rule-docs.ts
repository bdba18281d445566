import * as vscode from 'vscode';
import { CATALOG } from '../../catalog';
import { docsPath } from '../../engine/rule';

/** The extension's id: the authority of the URIs its handler receives. */
const EXTENSION_ID = 'async-lens.async-lens';

/**
 * The link a diagnostic's code points at. Diagnostic links are opened
 * without permission to run commands, so a `command:` URI would do nothing;
 * a URI in VS Code's own scheme for this extension reaches our `UriHandler`,
 * which shows the rule's Markdown docs (shipped in the package) rendered.
 */
export function docsUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: EXTENSION_ID, path: `/docs/${code}` });
}

/** Opens the rendered docs of a rule (asks which one when `code` is not given). */
export async function showRuleDocs(extensionUri: vscode.Uri, code?: unknown): Promise<boolean> {
  let rule = typeof code === 'string' ? CATALOG.entry(code) : undefined;
  if (!rule) {
    const documented = await Promise.all(CATALOG.entries.map((candidate) => exists(docsFile(extensionUri, candidate.code))));
    const picked = await vscode.window.showQuickPick(
      CATALOG.entries.filter((_, index) => documented[index]).map((candidate) => ({ label: candidate.code, description: candidate.name, detail: candidate.summary.replace(/`/g, '') })),
      { title: 'Async Lens rules', placeHolder: 'Which rule?', matchOnDescription: true, matchOnDetail: true },
    );
    rule = picked ? CATALOG.entry(picked.label) : undefined;
    if (!rule) return false;
  }
  const file = docsFile(extensionUri, rule.code);
  if (!(await exists(file))) {
    void vscode.window.showInformationMessage(`Async Lens: ${rule.code} (${rule.name}) is planned; its documentation comes with the rule.`);
    return false;
  }
  await vscode.commands.executeCommand('markdown.showPreview', file);
  return true;
}

function docsFile(extensionUri: vscode.Uri, code: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, ...docsPath(code).split('/'));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Handles `<scheme>://async-lens.async-lens/docs/AIT101`. */
export class RuleDocsUriHandler implements vscode.UriHandler {
  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel) {}

  async handleUri(uri: vscode.Uri): Promise<void> {
    const match = /^\/docs\/(AIT\d{3})$/i.exec(uri.path);
    if (!match) {
      this.log.warn(`unknown link: ${uri.toString()}`);
      return;
    }
    await showRuleDocs(this.extensionUri, match[1]);
  }
}
