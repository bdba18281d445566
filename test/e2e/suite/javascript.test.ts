import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AsyncLensApi } from '../../../src/hosts/vscode/extension';
import { closeAll, codeActions, codeOf, EXTENSION_ID, open, ours, setSetting, waitFor, waitForDiagnostics, withCode } from '../support/vscode';

/** `for (const tick of ticks(3)) {` in js/plain.js: line 10, the loop head. */
const PLAIN_LOOP = new vscode.Range(9, 2, 9, 30);

/** Every diagnostic on `uri` that names an Async Lens rule, whoever published it (the extension, or tsserver through the plugin). */
function anyAit(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => /^AIT\d{3}$/.test(codeOf(diagnostic)) || /\bAIT\d{3}\b/.test(diagnostic.message));
}

describe('JavaScript and TypeScript when tsserver plugins cannot run (VS Code on TypeScript 7)', function () {
  this.timeout(90_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<AsyncLensApi>(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    assert.ok(vscode.extensions.getExtension('typescriptteam.native-preview'), 'the TypeScript 7 stand-in is installed (test/e2e/typescript-7)');
    await setSetting('js/ts', 'experimental.useTsgo', true);
  });

  after(async () => {
    await setSetting('js/ts', 'experimental.useTsgo', undefined);
  });

  afterEach(closeAll);

  it('serves AIT101 itself on plain JavaScript, once, with our source and docs link', async () => {
    const editor = await open('js/plain.js');
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, (found) => found.filter((d) => codeOf(d) === 'AIT101').length === 2, 'two AIT101 diagnostics from the extension');
    const first = diagnostics.find((d) => d.range.start.line === 9)!;
    assert.deepEqual(first.range, PLAIN_LOOP);
    assert.equal(first.severity, vscode.DiagnosticSeverity.Error);
    assert.equal((first.code as { target: vscode.Uri }).target.path, '/docs/AIT101');
    assert.equal(anyAit(uri).length, 2, 'no second copy of the finding from anywhere else');
  });

  it('its quick fix turns the loop into `for await`, "Fix all" fixes the rest, and a setting change applies live', async () => {
    const editor = await open('js/plain.js');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withCode('AIT101'), 'AIT101 from the extension');
    const actions = await codeActions(uri, PLAIN_LOOP, vscode.CodeActionKind.QuickFix.value);
    const preferred = actions.filter((action) => action.isPreferred && action.diagnostics?.some((d) => d.source === 'Async Lens'));
    assert.deepEqual(preferred.map((action) => action.title), ['Use `for await`']);
    assert.ok(actions.some((action) => action.title === 'Disable AIT101 for this line'));
    assert.ok(await vscode.workspace.applyEdit(preferred[0]!.edit!));
    assert.match(editor.document.lineAt(9).text, /for await \(const tick of ticks\(3\)\)/);
    await waitForDiagnostics(uri, (found) => found.filter((d) => codeOf(d) === 'AIT101').length === 1, 'one AIT101 left');

    const fixAll = await codeActions(uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.asyncLens');
    assert.equal(fixAll.length, 1, 'a fix-all source action');
    assert.ok(await vscode.workspace.applyEdit(fixAll[0]!.edit!));
    await waitForDiagnostics(uri, (found) => found.length === 0, 'no AIT101 after fix all');
    assert.match(editor.document.getText(), /for await \(const tick of ticks\(2\)\)/);

    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(uri, withCode('AIT101'), 'AIT101 back after undo');
    await setSetting('asyncLens', 'severity', { AIT101: 'off' });
    try {
      await waitForDiagnostics(uri, (found) => found.length === 0, 'AIT101 turned off live');
    } finally {
      await setSetting('asyncLens', 'severity', undefined);
    }
    await waitForDiagnostics(uri, withCode('AIT101'), 'AIT101 back on');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('hands JS/TS back to the tsserver plugin when TypeScript 7 is switched off, and never shows both', async () => {
    const editor = await open('js/plain.js');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withCode('AIT101'), 'AIT101 from the extension');
    await setSetting('js/ts', 'experimental.useTsgo', false);
    try {
      await waitFor([vscode.languages.onDidChangeDiagnostics], () => (ours(uri).length === 0 ? true : undefined), () => 'the extension to stop serving the file');
      const fromPlugin = await waitFor(
        [vscode.languages.onDidChangeDiagnostics],
        () => {
          const found = anyAit(uri);
          return found.length >= 2 ? found : undefined;
        },
        () => `AIT101 (twice) from the tsserver plugin (now: ${vscode.languages.getDiagnostics(uri).map((d) => `${d.source}:${codeOf(d)}`).join(', ') || 'none'})`,
        60_000,
      );
      assert.equal(ours(uri).length, 0, 'the extension reports nothing while the plugin serves');
      assert.equal(fromPlugin.filter((d) => codeOf(d) === 'AIT101' || /AIT101/.test(d.message)).length, 2, 'each finding once, not twice');
    } finally {
      await setSetting('js/ts', 'experimental.useTsgo', true);
    }
  });
});
