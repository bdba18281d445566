import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AsyncLensApi } from '../../../src/hosts/vscode/extension';
import { closeAll, codeActions, codeOf, EXTENSION_ID, open, setSetting, waitFor, waitForDiagnostics, withCode } from '../support/vscode';

/*
 * JavaScript and TypeScript in a real VS Code. Normally the findings come
 * from the tsserver plugin inside VS Code's TypeScript server; with
 * TypeScript 7 (`js/ts.experimental.useTsgo` and a TypeScript 7 extension,
 * stood in for by test/e2e/typescript-7), VS Code runs no tsserver and the
 * extension serves them itself. Both publish with the source "Async Lens";
 * `api.lastLint(uri)` tells whether the extension linted the document.
 */

/** `for (const tick of ticks(3)) {` in js/plain.js: line 10, the loop head. */
const PLAIN_LOOP = new vscode.Range(9, 2, 9, 30);
/** `for (const page of pages(urls)) {` in js/typed.ts: line 9. */
const TYPED_LOOP = new vscode.Range(8, 2, 8, 33);

const ait101 = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.filter((diagnostic) => codeOf(diagnostic) === 'AIT101');

function allDiagnostics(uri: vscode.Uri): string {
  return vscode.languages.getDiagnostics(uri).map((d) => `${d.source}:${codeOf(d)}@${d.range.start.line}`).join(', ') || 'none';
}

describe('JavaScript and TypeScript', function () {
  this.timeout(120_000);
  let api: AsyncLensApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<AsyncLensApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
  });

  afterEach(closeAll);

  describe('through the tsserver plugin', () => {
    it('reports AIT101 on plain JavaScript (no checkJs), with its code and source, and the extension stays out of it', async () => {
      const editor = await open('js/plain.js');
      const uri = editor.document.uri;
      // The TypeScript server starts on first use: give it time.
      const diagnostics = await waitForDiagnostics(uri, (found) => ait101(found).length === 2, 'two AIT101 diagnostics from the tsserver plugin', 90_000);
      const first = ait101(diagnostics).find((d) => d.range.start.line === 9)!;
      assert.deepEqual(first.range, PLAIN_LOOP);
      assert.equal(first.source, 'Async Lens');
      assert.equal(first.severity, vscode.DiagnosticSeverity.Error);
      assert.match(first.message, /^`for…of` cannot iterate `ticks\(3\)`/);
      assert.ok(first.relatedInformation?.some((info) => info.location.uri.path.endsWith('/docs/rules/AIT101.md')), 'a link to the rule page');
      assert.equal(api.lastLint(uri), undefined, 'the extension itself does not lint JS while the plugin serves it');
    });

    it('the quick fix turns the loop into `for await`, "Fix all" fixes the rest, and the docs are one action away', async () => {
      const editor = await open('js/plain.js');
      const uri = editor.document.uri;
      await waitForDiagnostics(uri, (found) => ait101(found).length === 2, 'two AIT101 diagnostics', 90_000);
      const actions = await codeActions(uri, PLAIN_LOOP, vscode.CodeActionKind.QuickFix.value, 100);
      const titles = actions.map((action) => action.title);
      assert.ok(titles.includes('Use `for await`'), titles.join(' | '));
      assert.ok(titles.includes('Show documentation for AIT101'), titles.join(' | '));
      assert.ok(titles.includes('Disable AIT101 for this line'), titles.join(' | '));
      const fixAll = actions.find((action) => action.title === 'Apply every safe AIT101 fix in this file');
      assert.ok(fixAll, `a "fix all" action: ${titles.join(' | ')}`);
      // TypeScript's fix-all actions are resolved lazily: running it applies the combined fix.
      if (fixAll.edit) assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
      if (fixAll.command) await vscode.commands.executeCommand(fixAll.command.command, ...(fixAll.command.arguments ?? []));
      await waitFor([vscode.workspace.onDidChangeTextDocument], () => (/for await \(const tick of ticks\(2\)\)/.test(editor.document.getText()) ? true : undefined), () => `both loops fixed (text: ${editor.document.getText().slice(0, 400)})`);
      assert.match(editor.document.getText(), /for await \(const tick of ticks\(3\)\)/);
      await waitForDiagnostics(uri, (found) => ait101(found).length === 0, 'no AIT101 left');
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    it('adds its fix to TypeScript\'s own TS2488 instead of a second squiggle', async () => {
      const editor = await open('js/typed.ts');
      const uri = editor.document.uri;
      const [ts2488] = await waitFor([vscode.languages.onDidChangeDiagnostics], () => {
        const found = vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === '2488');
        return found.length > 0 ? found : undefined;
      }, () => `TS2488 on typed.ts (now: ${allDiagnostics(uri)})`, 90_000);
      assert.deepEqual(ait101(vscode.languages.getDiagnostics(uri)), [], 'no second squiggle');
      const actions = await codeActions(uri, ts2488!.range, vscode.CodeActionKind.QuickFix.value);
      assert.ok(actions.some((action) => action.title === 'Use `for await`'), actions.map((action) => action.title).join(' | '));
      assert.ok(ts2488!.range.intersection(TYPED_LOOP), 'TS2488 is on the loop');
    });

    it('a setting change applies live, without restarting the TypeScript server', async () => {
      const editor = await open('js/plain.js');
      const uri = editor.document.uri;
      await waitForDiagnostics(uri, (found) => ait101(found).length === 2, 'two AIT101 diagnostics', 90_000);
      await setSetting('asyncLens', 'severity', { AIT101: 'warning' });
      try {
        await waitForDiagnostics(uri, (found) => ait101(found).length === 2 && ait101(found).every((d) => d.severity === vscode.DiagnosticSeverity.Warning), 'AIT101 as warnings');
        await setSetting('asyncLens', 'severity', { AIT101: 'off' });
        await waitForDiagnostics(uri, (found) => ait101(found).length === 0, 'AIT101 turned off');
      } finally {
        await setSetting('asyncLens', 'severity', undefined);
      }
      await waitForDiagnostics(uri, (found) => ait101(found).length === 2 && ait101(found).every((d) => d.severity === vscode.DiagnosticSeverity.Error), 'AIT101 back as errors');
    });
  });

  describe('when tsserver plugins cannot run (VS Code on TypeScript 7)', () => {
    before(async () => {
      assert.ok(vscode.extensions.getExtension('typescriptteam.native-preview'), 'the TypeScript 7 stand-in is installed (test/e2e/typescript-7)');
      await setSetting('js/ts', 'experimental.useTsgo', true);
    });

    after(async () => {
      await setSetting('js/ts', 'experimental.useTsgo', undefined);
    });

    it('the extension serves AIT101 itself, once, with its docs link', async () => {
      const editor = await open('js/plain.js');
      const uri = editor.document.uri;
      await waitFor([api.onDidLint], () => api.lastLint(uri), () => 'the extension to lint plain.js');
      const diagnostics = await waitForDiagnostics(uri, (found) => ait101(found).length === 2, 'two AIT101 diagnostics from the extension');
      const first = ait101(diagnostics).find((d) => d.range.start.line === 9)!;
      assert.deepEqual(first.range, PLAIN_LOOP);
      assert.equal((first.code as { target: vscode.Uri }).target.path, '/docs/AIT101');
      assert.equal(ait101(vscode.languages.getDiagnostics(uri)).length, 2, `each finding once (all: ${allDiagnostics(uri)})`);
    });

    it('its quick fix gives `for await`, fix-all fixes the rest, and a setting change applies live', async () => {
      const editor = await open('js/plain.js');
      const uri = editor.document.uri;
      await waitForDiagnostics(uri, withCode('AIT101'), 'AIT101 from the extension');
      const actions = await codeActions(uri, PLAIN_LOOP, vscode.CodeActionKind.QuickFix.value);
      const preferred = actions.filter((action) => action.isPreferred);
      assert.deepEqual(preferred.map((action) => action.title), ['Use `for await`']);
      assert.ok(await vscode.workspace.applyEdit(preferred[0]!.edit!));
      assert.match(editor.document.lineAt(9).text, /for await \(const tick of ticks\(3\)\)/);
      await waitForDiagnostics(uri, (found) => ait101(found).length === 1, 'one AIT101 left');

      const fixAll = await codeActions(uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.asyncLens');
      assert.equal(fixAll.length, 1, 'a fix-all source action');
      assert.ok(await vscode.workspace.applyEdit(fixAll[0]!.edit!));
      await waitForDiagnostics(uri, (found) => ait101(found).length === 0, 'no AIT101 after fix all');

      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForDiagnostics(uri, (found) => ait101(found).length === 2, 'AIT101 back after revert');
      await setSetting('asyncLens', 'severity', { AIT101: 'off' });
      try {
        await waitForDiagnostics(uri, (found) => ait101(found).length === 0, 'AIT101 turned off live');
      } finally {
        await setSetting('asyncLens', 'severity', undefined);
      }
      await waitForDiagnostics(uri, (found) => ait101(found).length === 2, 'AIT101 back on');
    });

    it('hands JS/TS back to the tsserver plugin when TypeScript 7 is switched off, never showing both', async () => {
      const editor = await open('js/plain.js');
      const uri = editor.document.uri;
      await waitFor([api.onDidLint], () => api.lastLint(uri), () => 'the extension to lint plain.js');
      await setSetting('js/ts', 'experimental.useTsgo', false);
      try {
        await waitFor([api.onDidLint, vscode.languages.onDidChangeDiagnostics], () => (api.lastLint(uri) === undefined ? true : undefined), () => 'the extension to stop serving the file');
        // Both sources publish under "Async Lens": four would mean both at once.
        await waitForDiagnostics(uri, (found) => ait101(found).length === 2, 'AIT101 from the tsserver plugin', 90_000);
        assert.equal(ait101(vscode.languages.getDiagnostics(uri)).length, 2, `each finding once (all: ${allDiagnostics(uri)})`);
        assert.equal(api.lastLint(uri), undefined);
      } finally {
        await setSetting('js/ts', 'experimental.useTsgo', true);
      }
    });
  });
});
