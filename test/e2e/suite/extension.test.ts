import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { AsyncLensApi } from '../../../src/hosts/vscode/extension';
import {
  closeAll, codeActions, codeOf, EXTENSION_ID, open, ours, setSetting, waitFor, waitForDiagnostics, waitForText, withCode, withoutCode,
} from '../support/vscode';

/** The loop head of `for plate in conveyor_belt(["salmon", "tuna"]):` in the conveyor fixtures (line 11, columns 5–51). */
const LOOP_HEAD = new vscode.Range(10, 4, 10, 50);

describe('Async Lens in a real VS Code', function () {
  this.timeout(60_000);
  let api: AsyncLensApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<AsyncLensApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    // A figure for the log, not a test: speed belongs in bench/.
    console.log(`    activation: ${api.activationMilliseconds.toFixed(1)} ms`);
  });

  afterEach(closeAll);

  it('reports AIT101 on the loop head, with our source, severity and docs link', async () => {
    const opened = performance.now();
    const editor = await open('conveyor.py');
    const [diagnostic] = await waitForDiagnostics(editor.document.uri, withCode('AIT101'), 'an AIT101 diagnostic');
    console.log(`    open to diagnostics: ${(performance.now() - opened).toFixed(0)} ms`);
    assert.equal(diagnostic!.source, 'Async Lens');
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(diagnostic!.range, LOOP_HEAD);
    assert.match(diagnostic!.message, /`for` cannot iterate the async generator `conveyor_belt\(\)`/);
    const code = diagnostic!.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'AIT101');
    assert.equal(code.target.scheme, vscode.env.uriScheme);
    assert.equal(code.target.authority, EXTENSION_ID);
    assert.equal(code.target.path, '/docs/AIT101');
    assert.equal(ours(editor.document.uri).length, 1, 'exactly one finding');
  });

  it('follows imports to another file', async () => {
    const editor = await open('consumer.py');
    const [diagnostic] = await waitForDiagnostics(editor.document.uri, withCode('AIT101'), 'an AIT101 diagnostic from an imported async generator');
    assert.match(diagnostic!.message, /stream_rows\(\)/);
  });

  it('the preferred quick fix rewrites the loop to `async for` and the diagnostic goes away', async () => {
    const editor = await open('conveyor.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withCode('AIT101'), 'an AIT101 diagnostic');
    const actions = await codeActions(uri, LOOP_HEAD, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Disable AIT101 for this line'), titles.join(' | '));
    assert.ok(titles.includes('Show documentation for AIT101'), titles.join(' | '));
    const preferred = actions.filter((action) => action.isPreferred);
    assert.deepEqual(preferred.map((action) => action.title), ['Use `async for`']);
    assert.ok(await vscode.workspace.applyEdit(preferred[0]!.edit!));
    assert.match(editor.document.lineAt(10).text, /^ {4}async for plate in conveyor_belt/);
    await waitForDiagnostics(uri, withoutCode('AIT101'), 'the AIT101 diagnostic to disappear');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('AIT301: a loop awaiting independent downloads one at a time gets a warning; its unsafe fix (not preferred) runs them with gather', async () => {
    const editor = await open('downloads.py');
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, withCode('AIT301'), 'an AIT301 diagnostic');
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(editor.document.getText(diagnostic!.range), 'await download(url)');
    const actions = await codeActions(uri, diagnostic!.range);
    const [fix] = actions.filter((action) => action.title.startsWith('Run them concurrently'));
    assert.ok(fix?.edit, actions.map((action) => action.title).join(' | '));
    assert.notEqual(fix.isPreferred, true, 'an unsafe fix is never the preferred one');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.lineAt(10).text, '    pages.extend(await asyncio.gather(*(download(url) for url in urls)))');
    await waitForDiagnostics(uri, withoutCode('AIT301'), 'the AIT301 diagnostic to disappear after the fix');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('AIT402\'s quick fix wraps the loop in `async with aclosing(...)`, adds the import, and the file lints clean', async () => {
    const editor = await open('unclosed.py');
    const { document } = editor;
    const uri = document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, withCode('AIT402'), 'an AIT402 diagnostic');
    // The loop head `async for row in read_rows(pool, "SELECT * FROM users")` (line 11).
    assert.deepEqual(diagnostic!.range, new vscode.Range(10, 4, 10, 59));
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Warning);
    const actions = await codeActions(uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value);
    const title = 'Close `read_rows()` when the loop is left: `async with aclosing(...)`';
    const [wrap] = actions.filter((action) => action.title === title);
    assert.ok(wrap?.edit, `no "${title}" among: ${actions.map((action) => action.title).join(' | ')}`);
    assert.notEqual(wrap.isPreferred, true, 'an unsafe fix is never the preferred one');
    assert.ok(await vscode.workspace.applyEdit(wrap.edit));
    assert.equal(document.lineAt(0).text, 'from contextlib import aclosing');
    assert.equal(document.lineAt(13).text, '    async with aclosing(read_rows(pool, "SELECT * FROM users")) as rows:');
    assert.equal(document.lineAt(14).text, '        async for row in rows:');
    assert.equal(document.lineAt(16).text, '                return row');
    // Re-linted: the analysis of the edited version, with nothing left to report.
    await waitFor(
      [api.onDidLint, vscode.languages.onDidChangeDiagnostics],
      () => (api.lastLint(uri)?.version === document.version && ours(uri).length === 0 ? true : undefined),
      () => `a clean analysis of version ${document.version} (last: ${JSON.stringify(api.lastLint(uri))}, diagnostics: ${ours(uri).map(codeOf).join(', ') || 'none'})`,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('"Disable AIT101 for this line" adds a noqa comment that silences it', async () => {
    const editor = await open('quiet.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withCode('AIT101'), 'an AIT101 diagnostic');
    const actions = await codeActions(uri, LOOP_HEAD);
    const [noqa] = actions.filter((action) => action.title === 'Disable AIT101 for this line');
    assert.ok(noqa?.edit, `no noqa action among: ${actions.map((action) => action.title).join(' | ') || 'no actions'}; diagnostics: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [d.source, d.range.start.line]))}`);
    assert.ok(await vscode.workspace.applyEdit(noqa.edit));
    assert.equal(editor.document.lineAt(10).text, '    for plate in conveyor_belt(["salmon", "tuna"]):  # noqa: AIT101');
    await waitForDiagnostics(uri, withoutCode('AIT101'), 'the AIT101 diagnostic to disappear');
  });

  it('fix-all runs on save through editor.codeActionsOnSave', async () => {
    await setSetting('editor', 'codeActionsOnSave', { 'source.fixAll.asyncLens': 'explicit' }, 'python');
    try {
      const editor = await open('save_me.py');
      const { document } = editor;
      await waitForDiagnostics(document.uri, withCode('AIT101'), 'an AIT101 diagnostic');
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# saved by the end-to-end test\n'));
      assert.ok(document.isDirty);
      const saved = new Promise<void>((resolve) => {
        const subscription = vscode.workspace.onDidSaveTextDocument((which) => {
          if (which === document) {
            subscription.dispose();
            resolve();
          }
        });
      });
      await vscode.commands.executeCommand('workbench.action.files.save');
      await saved;
      assert.match(document.lineAt(11).text, /^ {4}async for plate in conveyor_belt/);
      assert.equal(document.isDirty, false);
      await waitForDiagnostics(document.uri, (diagnostics) => diagnostics.length === 0, 'no diagnostics after fix-all on save');
    } finally {
      await setSetting('editor', 'codeActionsOnSave', undefined, 'python');
    }
  });

  it('a setting change turns a rule off live, and back on', async () => {
    const editor = await open('settings_demo.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withCode('AIT101'), 'an AIT101 diagnostic');
    await setSetting('asyncLens', 'severity', { AIT101: 'off' });
    try {
      await waitForDiagnostics(uri, withoutCode('AIT101'), 'AIT101 to be turned off');
      await setSetting('asyncLens', 'severity', { AIT101: 'hint' });
      const [hint] = await waitForDiagnostics(uri, (d) => d.some((x) => x.severity === vscode.DiagnosticSeverity.Hint), 'AIT101 as a hint');
      assert.equal(codeOf(hint!), 'AIT101');
      await setSetting('asyncLens', 'enable', false);
      await waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics while disabled');
    } finally {
      await setSetting('asyncLens', 'enable', undefined);
      await setSetting('asyncLens', 'severity', undefined);
    }
    await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'AIT101' && x.severity === vscode.DiagnosticSeverity.Error), 'AIT101 back as an error');
  });

  it('invalid settings are reported, and the valid part still applies', async () => {
    const editor = await open('known_api.py');
    const uri = editor.document.uri;
    // `rowstore.stream_rows` is unknown until configured.
    await waitFor([api.onDidLint], () => api.lastLint(uri), () => 'the first analysis of known_api.py');
    assert.deepEqual(ours(uri), []);
    await setSetting('asyncLens', 'lintDelay', 'soon');
    await setSetting('asyncLens', 'knownAsyncIterables', [42, 'rowstore.stream_rows']);
    try {
      const [diagnostic] = await waitForDiagnostics(uri, withCode('AIT101'), 'AIT101 from the valid known API, despite the invalid entries');
      assert.match(diagnostic!.message, /rowstore\.stream_rows/);
      const problems = api.configurationProblems().join('\n');
      assert.match(problems, /asyncLens\.lintDelay must be a number from 0 to 5000, not "soon"/);
      assert.match(problems, /asyncLens\.knownAsyncIterables: 42 is neither "module\.name", "\.method" nor \(JavaScript\) "module#name"/);
      // Typing still lints, with the default delay.
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '\n'));
      await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'AIT101' && x.range.start.line === 5), 'AIT101 moved down a line after an edit');
    } finally {
      await setSetting('asyncLens', 'lintDelay', undefined);
      await setSetting('asyncLens', 'knownAsyncIterables', undefined);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('unsaved edits to an imported file re-lint the files that import it', async () => {
    const consumer = await open('consumer.py');
    await waitForDiagnostics(consumer.document.uri, withCode('AIT101'), 'AIT101 from the imported async generator');
    const producer = await open('producer.py');
    const line = producer.document.lineAt(3);
    assert.equal(line.text, 'async def stream_rows(count):');
    await producer.edit((edit) => edit.delete(new vscode.Range(3, 0, 3, 6)));
    await waitForDiagnostics(consumer.document.uri, (d) => d.length === 0, 'no AIT101 once stream_rows is a plain generator (unsaved)');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(consumer.document.uri, withCode('AIT101'), 'AIT101 back after the edit is reverted');
  });

  it('a half-typed file crashes nothing, and other files still lint', async () => {
    const broken = await open('half_typed.py');
    // Typing more broken code into it exercises the incremental path on ERROR trees.
    for (const piece of ['x', ')', ':', '\n  async for', ' y in z', '(']) {
      await broken.edit((edit) => edit.insert(broken.document.lineAt(broken.document.lineCount - 1).range.end, piece));
    }
    const brokenUri = broken.document.uri;
    const lint = await waitFor([api.onDidLint], () => {
      const last = api.lastLint(brokenUri);
      return last && last.version === broken.document.version ? last : undefined;
    }, () => `the analysis of the last version of half_typed.py (last: ${JSON.stringify(api.lastLint(brokenUri))})`);
    assert.equal(lint.failed, false);
    const other = await open('countdown.py');
    const [diagnostic] = await waitForDiagnostics(other.document.uri, withCode('AIT201'), 'AIT201 in another file');
    assert.deepEqual(diagnostic!.range, new vscode.Range(4, 8, 4, 17));
    await vscode.window.showTextDocument(broken.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('typing keeps diagnostics current (incremental analysis)', async () => {
    const editor = await open('conveyor.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withCode('AIT101'), 'an AIT101 diagnostic');
    // Type `async ` in front of the loop one character at a time.
    for (const [index, character] of [...'async '].entries()) {
      await editor.edit((edit) => edit.insert(new vscode.Position(10, 4 + index), character), { undoStopBefore: false, undoStopAfter: false });
    }
    assert.equal(editor.document.lineAt(10).text, '    async for plate in conveyor_belt(["salmon", "tuna"]):');
    await waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics once the loop is `async for`');
    const typed = api.lastLint(uri);
    assert.ok(typed && typed.reusedUnits > 0, `unchanged functions were not analysed again (${JSON.stringify(typed)})`);
    await editor.edit((edit) => edit.insert(new vscode.Position(12, 0), '\n\nasync def more():\n    for plate in conveyor_belt([]):\n        pass\n'));
    await waitForDiagnostics(uri, (d) => d.length === 1 && d[0]!.range.start.line === 15, 'a new AIT101 in the added function');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('diagnostics are cleared when the document closes', async () => {
    const editor = await open('closing.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withCode('AIT201'), 'AIT201');
    // Closing a tab only closes its document once VS Code drops the model, which can take minutes;
    // changing the language closes the Python document at once (and opens a plain-text one).
    let closeEvents = 0;
    const subscription = vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.toString() === uri.toString()) closeEvents++;
    });
    try {
      const plain = await vscode.languages.setTextDocumentLanguage(editor.document, 'plaintext');
      assert.equal(plain.languageId, 'plaintext');
      await waitFor([vscode.workspace.onDidCloseTextDocument, vscode.languages.onDidChangeDiagnostics], () => (closeEvents > 0 ? true : undefined), () => 'a close event for the Python document');
    } finally {
      subscription.dispose();
    }
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the diagnostics of the closed document to be cleared');
  });

  it('lints Python cells of a notebook (top-level await allowed)', async () => {
    const cell = new vscode.NotebookCellData(
      vscode.NotebookCellKind.Code,
      'import asyncio\n\nasync def ticks():\n    yield 1\n\nfor tick in ticks():\n    print(tick)\n\nasync for tick in ticks():\n    print(tick)\n',
      'python',
    );
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData([cell]));
    await vscode.window.showNotebookDocument(notebook);
    const cellUri = notebook.cellAt(0).document.uri;
    assert.equal(cellUri.scheme, 'vscode-notebook-cell');
    const diagnostics = await waitForDiagnostics(cellUri, withCode('AIT101'), 'AIT101 in a notebook cell');
    // The top-level `async for` is fine in a notebook: no AIT105.
    assert.deepEqual(diagnostics.map(codeOf), ['AIT101']);
    assert.equal(diagnostics[0]!.range.start.line, 5);
  });

  it('the docs link and "Show documentation" open the rendered rule docs', async () => {
    const editor = await open('countdown.py');
    const [diagnostic] = await waitForDiagnostics(editor.document.uri, withCode('AIT201'), 'AIT201');
    const target = (diagnostic!.code as { target: vscode.Uri }).target;
    const previewOpen = (label: RegExp) => waitFor(
      [vscode.window.tabGroups.onDidChangeTabs],
      () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && label.test(tab.label)),
      () => `a Markdown preview tab matching ${label} (tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')})`,
    );
    // `vscode.open` takes the path of a click on the link: VS Code's opener service, which hands
    // URIs in its own scheme to the extension's UriHandler.
    const opened = previewOpen(/AIT201/);
    await vscode.commands.executeCommand('vscode.open', target);
    const tab = await opened;
    assert.ok((tab.input as vscode.TabInputWebview).viewType.includes('markdown.preview'), (tab.input as vscode.TabInputWebview).viewType);
    const fromAction = previewOpen(/AIT101/);
    await vscode.commands.executeCommand('asyncLens.showRuleDocs', 'AIT101');
    await fromAction;
  });

  it('"Fix all Async Lens problems" command fixes every safe fix in the file', async () => {
    const editor = await open('countdown.py');
    await waitForDiagnostics(editor.document.uri, withCode('AIT201'), 'AIT201');
    assert.equal(await vscode.commands.executeCommand('asyncLens.fixAll'), true);
    await waitForText(editor.document, (text) => text.includes('return self'), '`return self` to be added');
    await waitForDiagnostics(editor.document.uri, (d) => d.length === 0, 'no diagnostics after fix all');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('the walkthrough opens, and its example (an untitled buffer) is linted', async () => {
    const welcome = waitFor(
      [vscode.window.tabGroups.onDidChangeTabs],
      () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => /Welcome|Walkthrough|Async Lens/i.test(tab.label)),
      () => `the walkthrough tab (tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')})`,
    );
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#gettingStarted`, false);
    await welcome;
    await vscode.commands.executeCommand('asyncLens.openExample');
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document && document.uri.scheme === 'untitled' && document.languageId === 'python');
    const diagnostics = await waitForDiagnostics(document.uri, (d) => withCode('AIT101')(d) && withCode('AIT201')(d), 'AIT101 and AIT201 in the example');
    assert.deepEqual(diagnostics.map(codeOf).sort(), ['AIT101', 'AIT201']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('suspension-point underlining can be switched off and on again', async () => {
    const tokenRules = () => {
      const value = vscode.workspace.getConfiguration('editor').inspect<Record<string, { textMateRules?: { scope: string; settings: { fontStyle?: string } }[] }>>('tokenColorCustomizations')?.globalValue;
      return value?.['[*]']?.textMateRules ?? [];
    };
    const ourOff = () => tokenRules().some((rule) => rule.scope === 'keyword.control.suspension' && rule.settings.fontStyle === '');
    // The default underlines, through configurationDefaults.
    const defaults = vscode.workspace.getConfiguration('editor').inspect<Record<string, { textMateRules?: { scope: string; settings: { fontStyle?: string } }[] }>>('tokenColorCustomizations')?.defaultValue;
    assert.deepEqual(defaults?.['[*]']?.textMateRules, [{ scope: 'keyword.control.suspension', settings: { fontStyle: 'underline' } }]);
    const highlight = vscode.workspace.getConfiguration('asyncLens');
    await highlight.update('suspensionPoints.highlight', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor([vscode.workspace.onDidChangeConfiguration], () => (ourOff() ? true : undefined), () => `the off rule in the user's editor.tokenColorCustomizations (${JSON.stringify(tokenRules())})`);
    } finally {
      await highlight.update('suspensionPoints.highlight', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor([vscode.workspace.onDidChangeConfiguration], () => (!ourOff() ? true : undefined), () => `the off rule to be removed again (${JSON.stringify(tokenRules())})`);
  });
});
