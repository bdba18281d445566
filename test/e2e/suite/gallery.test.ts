import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AsyncLensApi } from '../../../src/hosts/vscode/extension';
import type { FinishedRun } from '../../../src/hosts/vscode/playground/session';
import { GALLERY, type GalleryExample } from '../../../src/playground/gallery';
import { codeOf, EXTENSION_ID, waitFor } from '../support/vscode';

/*
 * The gallery as a new user meets it, in a real VS Code: an example opens
 * once, in one editor group beside the panel, on the same side in Python and
 * TypeScript, and the only problems its editors show are the ones it teaches
 * (a rule example's mistake); TypeScript's own diagnostics are asked of
 * tsserver itself, so "none" is an answer and not a race.
 */

type Language = 'python' | 'typescript';

const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
const playgroundTab = () => tabs().find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === 'Async Playground');
const tabsShowing = (uri: vscode.Uri) => tabs().filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString());
const describeTabs = () =>
  vscode.window.tabGroups.all.map((group) => `group ${group.viewColumn}: ${group.tabs.map((tab) => tab.label).join(', ') || '(empty)'}`).join('; ');

/** Where an example's editors ended up, next to the panel. */
interface Layout {
  readonly documents: readonly vscode.Uri[];
  /** How many tabs show each document (across all groups). */
  readonly tabCounts: readonly number[];
  readonly columns: readonly (number | undefined)[];
  readonly panelColumn: number | undefined;
  readonly description: string;
}

function layoutOf(runs: readonly FinishedRun[]): Layout {
  const documents = runs.map((run) => run.snippet.document);
  const shown = documents.map(tabsShowing);
  return {
    documents,
    tabCounts: shown.map((list) => list.length),
    columns: shown.map((list) => list[0]?.group.viewColumn),
    panelColumn: playgroundTab()?.group.viewColumn,
    description: describeTabs(),
  };
}

/** The diagnostics tsserver itself has for a document, syntactic and semantic (what the editor shows). */
async function tsserverDiagnostics(uri: vscode.Uri): Promise<{ code: number | string; category: string; text: string; line: number }[]> {
  const found = [];
  for (const command of ['syntacticDiagnosticsSync', 'semanticDiagnosticsSync']) {
    const response = await vscode.commands.executeCommand<{ body?: { code: number | string; category: string; text: string; start: { line: number } }[] } | undefined>(
      'typescript.tsserverRequest',
      command,
      { file: uri, includeLinePosition: false },
    );
    assert.ok(response?.body, `tsserver answered ${command} for ${uri.path}`);
    found.push(...response.body.map((diagnostic) => ({ code: diagnostic.code, category: diagnostic.category, text: diagnostic.text, line: diagnostic.start.line })));
  }
  return found;
}

/** The rule codes a snippet teaches: the example's rules, on its first snippet (the mistake) only. */
function taught(example: GalleryExample, index: number): readonly string[] {
  return example.rules?.length && index === 0 ? example.rules : [];
}

/** A diagnostic that is one of `codes` (ours: the code is the rule code, or names it). */
function teaches(diagnostic: vscode.Diagnostic, codes: readonly string[]): boolean {
  return codes.some((code) => codeOf(diagnostic) === code || diagnostic.message.includes(code));
}

describe('the playground gallery as a new user opens it', function () {
  this.timeout(120_000);
  let api: AsyncLensApi;

  before(async () => {
    api = await vscode.extensions.getExtension<AsyncLensApi>(EXTENSION_ID)!.activate();
  });

  /** Closes every editor and the panel, saving nothing (examples may be untitled or edited). */
  async function closeEverything(): Promise<void> {
    for (const tab of tabs()) {
      if (!(tab.input instanceof vscode.TabInputText)) continue;
      const uri = tab.input.uri;
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
      if (document?.isDirty) {
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor([vscode.window.tabGroups.onDidChangeTabs, vscode.window.tabGroups.onDidChangeTabGroups], () => (tabs().length === 0 ? true : undefined), () => `no tab left (${describeTabs()})`);
  }

  beforeEach(closeEverything);
  after(closeEverything);

  /** Runs the command and resolves with the group of runs it produced (the example runs once it is open). */
  function opened(language: Language, example: GalleryExample, how: () => Thenable<unknown>): Promise<readonly FinishedRun[]> {
    let runs: readonly FinishedRun[] | undefined;
    const subscription = api.playground.onDidFinish((group) => (runs = group));
    void Promise.resolve(how()).catch(() => undefined);
    return waitFor([api.playground.onDidFinish], () => runs, () => `the ${language} ${example.id} example to run`, 90_000).finally(() => subscription.dispose());
  }

  /** What is wrong with where an example opened (nothing: once each, in one group, left of the panel). */
  function misplaced(layout: Layout, what: string): string[] {
    const problems: string[] = [];
    if (layout.tabCounts.some((count) => count !== 1)) problems.push(`${what}: each snippet in exactly one editor, not ${layout.tabCounts.join(' and ')}`);
    if (layout.panelColumn === undefined) problems.push(`${what}: the panel is open`);
    else {
      if (new Set(layout.columns).size !== 1) problems.push(`${what}: the snippets are tabs of one group, not of groups ${layout.columns.join(' and ')}`);
      if (layout.columns.includes(layout.panelColumn)) problems.push(`${what}: the code is beside the panel, not in its group`);
      // The code on the left, the panel on its right, as "Open Preview to the Side" does.
      else if (layout.columns.some((column) => column === undefined || column > layout.panelColumn!)) problems.push(`${what}: the code left of the panel`);
    }
    return problems.map((problem) => `${problem} (${layout.description})`);
  }

  const misconception = GALLERY.find((example) => example.id === 'misconception')!;

  it('opens the misconception example from the gallery once, beside the panel, on the same side in Python and TypeScript', async () => {
    const sides: Record<string, number> = {};
    const problems: string[] = [];
    for (const language of ['python', 'typescript'] as const) {
      await closeEverything();
      // The gallery first, as the user meets it; then the example's button.
      await vscode.commands.executeCommand('asyncLens.playground.open');
      await waitFor([vscode.window.tabGroups.onDidChangeTabs], () => playgroundTab(), () => `the playground tab (${describeTabs()})`);
      const runs = await opened(language, misconception, () => vscode.commands.executeCommand('asyncLens.playground.openExample', misconception.id, language));
      assert.equal(runs.length, 2);
      const layout = layoutOf(runs);
      console.log(`    ${language}: ${layout.description}`);
      problems.push(...misplaced(layout, language));
      sides[language] = Math.sign((layout.columns[0] ?? 0) - (layout.panelColumn ?? 0));
    }
    if (sides.typescript !== sides.python) problems.push(`the panel is on the same side of the code in both languages, not ${JSON.stringify(sides)}`);
    assert.deepEqual(problems, []);
  });

  it('opens an example once even with the panel and the other language\'s example already open, and directly from a command with nothing open', async () => {
    // Nothing open: the command alone (a walkthrough step, the command palette).
    const problems: string[] = [];
    const first = await opened('typescript', misconception, () => vscode.commands.executeCommand('asyncLens.playground.openExample', misconception.id, 'typescript'));
    problems.push(...misplaced(layoutOf(first), 'typescript, with nothing open'));
    // The other language next, beside the same panel.
    const second = await opened('python', misconception, () => vscode.commands.executeCommand('asyncLens.playground.openExample', misconception.id, 'python'));
    problems.push(...misplaced(layoutOf(second), 'python, after typescript'));
    // The first again: its editors are reused, still once each.
    const again = await opened('typescript', misconception, () => vscode.commands.executeCommand('asyncLens.playground.openExample', misconception.id, 'typescript'));
    problems.push(...misplaced(layoutOf(again), 'typescript, opened again'));
    assert.deepEqual(problems, []);
    assert.deepEqual(again.map((run) => run.snippet.document.toString()), first.map((run) => run.snippet.document.toString()));
  });

  it('keeps the user\'s edits while an example is open, and gives the gallery\'s text back once it was closed', async () => {
    const countdown = GALLERY.find((example) => example.id === 'countdown')!;
    const [run] = await opened('typescript', countdown, () => vscode.commands.executeCommand('asyncLens.playground.openExample', countdown.id, 'typescript'));
    const document = await vscode.workspace.openTextDocument(run!.snippet.document);
    const original = document.getText();
    assert.equal(document.uri.scheme, 'file');
    assert.equal(document.isDirty, false, 'an example opens saved: closing it asks nothing');
    // Edited and saved, then opened again while its editor is open: the edit stays.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '// mine\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    const [kept] = await opened('typescript', countdown, () => vscode.commands.executeCommand('asyncLens.playground.openExample', countdown.id, 'typescript'));
    assert.equal(kept!.snippet.document.toString(), document.uri.toString());
    assert.ok(document.getText().startsWith('// mine\n'));
    assert.deepEqual(misplaced(layoutOf([kept!]), 'opened again'), []);
    // Closed (VS Code still holds the document for a while), then opened again: the gallery's text, saved, once.
    await closeEverything();
    const [reset] = await opened('typescript', countdown, () => vscode.commands.executeCommand('asyncLens.playground.openExample', countdown.id, 'typescript'));
    const again = await vscode.workspace.openTextDocument(reset!.snippet.document);
    assert.equal(again.getText(), original);
    assert.equal(again.isDirty, false);
    assert.deepEqual(misplaced(layoutOf([reset!]), 'opened after closing'), []);
  });

  it('shows no problem in any TypeScript example but the ones it teaches (tsserver asked directly)', async () => {
    const examples = GALLERY.filter((example) => example.typescript);
    for (const example of examples) {
      await closeEverything();
      const runs = await opened('typescript', example, () => vscode.commands.executeCommand('asyncLens.playground.openExample', example.id, 'typescript'));
      for (const [index, run] of runs.entries()) {
        const uri = run.snippet.document;
        const codes = taught(example, index);
        const fromTsserver = (await tsserverDiagnostics(uri)).filter((diagnostic) => diagnostic.category === 'error' || diagnostic.category === 'warning');
        // The rule's own finding (the tsserver plugin's, coded AIT…) is what the mistake teaches.
        const unexpected = fromTsserver.filter((diagnostic) => !codes.some((code) => String(diagnostic.code) === code || diagnostic.text.includes(code)));
        assert.deepEqual(unexpected, [], `${example.id}: ${run.snippet.title} (${uri.toString()})`);
        // And what the Problems panel lists for it: nothing but what the example teaches.
        const problems = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.severity !== vscode.DiagnosticSeverity.Hint && !teaches(diagnostic, codes));
        assert.deepEqual(problems.map((diagnostic) => `${diagnostic.source}:${codeOf(diagnostic)} ${diagnostic.message}`), [], `${example.id}: ${run.snippet.title}`);
      }
    }
  });
});
