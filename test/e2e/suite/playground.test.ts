import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AsyncLensApi } from '../../../src/hosts/vscode/extension';
import type { FinishedRun } from '../../../src/hosts/vscode/playground/session';
import { GALLERY } from '../../../src/playground/gallery';
import type { ItemEvent } from '../../../src/playground/events';
import { peakWaiting } from '../../support/playground';
import { codeActions, EXTENSION_ID, open, setSetting, waitFor, waitForDiagnostics, withCode } from '../support/vscode';

/*
 * The Async Playground in a real VS Code: the commands, the code lens, the
 * "Show in playground" action, real CPython and Node runs, Stop, the time
 * limit and closing the panel. What the panel draws is checked on screen by
 * test/e2e/ui.js.
 */

const items = (run: FinishedRun) => run.events.filter((event): event is ItemEvent => event.t === 'item');
const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
const playgroundTab = () => tabs().find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === 'Async Playground');

describe('the Async Playground in a real VS Code', function () {
  this.timeout(90_000);
  let api: AsyncLensApi;

  before(async () => {
    api = await vscode.extensions.getExtension<AsyncLensApi>(EXTENSION_ID)!.activate();
  });

  afterEach(async () => {
    // Revert what a test left unsaved, so closing asks nothing.
    for (const tab of tabs()) {
      if (tab.input instanceof vscode.TabInputText && tab.isDirty) {
        const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === (tab.input as vscode.TabInputText).uri.toString());
        if (document) {
          await vscode.window.showTextDocument(document);
          await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        }
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Runs `start` and resolves with the group of runs it produced. */
  function finished(start: () => Thenable<unknown>, timeout = 60_000): Promise<readonly FinishedRun[]> {
    let runs: readonly FinishedRun[] | undefined;
    const subscription = api.playground.onDidFinish((group) => (runs = group));
    void Promise.resolve(start()).catch(() => undefined);
    return waitFor([api.playground.onDidFinish], () => runs, () => 'a playground run to finish', timeout).finally(() => subscription.dispose());
  }

  /** Resolves once the current run has delivered `count` items. */
  function itemsArrived(count: number): Promise<true> {
    let seen = 0;
    const subscription = api.playground.onDidReceiveEvents((events) => (seen += events.filter((event) => event.t === 'item').length));
    return waitFor([api.playground.onDidReceiveEvents], () => (seen >= count ? true : undefined), () => `${count} items (${seen} so far)`).finally(() => subscription.dispose());
  }

  it('Open Playground opens the panel beside the editor', async () => {
    await vscode.commands.executeCommand('asyncLens.playground.open');
    await waitFor([vscode.window.tabGroups.onDidChangeTabs], () => playgroundTab(), () => `the playground tab (tabs: ${tabs().map((tab) => tab.label).join(', ')})`);
    assert.ok(api.playground.isPanelOpen());
  });

  it('runs the gallery\'s sequential vs concurrent pair on CPython: the sum of the waits against their maximum', async () => {
    const pair = GALLERY.find((example) => example.rules?.includes('AIT301') && example.python?.length === 2);
    assert.ok(pair, 'the gallery has the misconception pair');
    const runs = await finished(() => vscode.commands.executeCommand('asyncLens.playground.openExample', pair.id, 'python'));
    assert.equal(runs.length, 2);
    for (const run of runs) assert.equal(run.end, 'exited', `${run.snippet.title}: ${run.message}`);
    assert.equal(runs[0]!.runtime, 'cpython');
    assert.equal(items(runs[0]!).length, items(runs[1]!).length);
    const [sequential, concurrent] = runs.map((run) => run.milliseconds);
    console.log(`    CPython: one after another ${sequential} ms, at the same time ${concurrent} ms`);
    // What tells the two apart is the overlap of their waits (timings vary with the machine's load).
    assert.deepEqual(runs.map((run) => peakWaiting(run.events)), [1, 2], 'the most waits at one moment: one after another, then at the same time');
    // Re-run: the same pair again, from the editors' current text.
    const again = await finished(() => vscode.commands.executeCommand('asyncLens.playground.rerun'));
    assert.deepEqual(again.map((run) => run.snippet.title), runs.map((run) => run.snippet.title));
    // The examples open as files of their own, saved (closing them asks nothing), linted like any file.
    const documents = runs.map((run) => vscode.workspace.textDocuments.find((document) => document.uri.toString() === run.snippet.document.toString()));
    assert.ok(documents.every((document) => document?.uri.scheme === 'file' && !document.isDirty && document.languageId === 'python'));
  });

  it('runs the TypeScript version on Node', async () => {
    const pair = GALLERY.find((example) => example.rules?.includes('AIT301') && example.typescript?.length === 2);
    assert.ok(pair);
    const runs = await finished(() => vscode.commands.executeCommand('asyncLens.playground.openExample', pair.id, 'typescript'));
    assert.deepEqual(runs.map((run) => [run.runtime, run.end]), [['node', 'exited'], ['node', 'exited']]);
    const [sequential, concurrent] = runs.map((run) => run.milliseconds);
    console.log(`    Node: one after another ${sequential} ms, at the same time ${concurrent} ms`);
    assert.deepEqual(runs.map((run) => peakWaiting(run.events)), [1, 2], 'the most waits at one moment: one after another, then at the same time');
  });

  it('puts a code lens above async generators and loops, in Python and TypeScript, that runs the file', async () => {
    for (const [file, lines] of [['ticks.py', [3, 11]], ['ticks.ts', [3, 10]]] as const) {
      const editor = await open(file);
      // Python's lines come from the file's analysis in the worker: wait until there is one.
      if (file.endsWith('.py')) await waitFor([api.onDidLint], () => api.lastLint(editor.document.uri), () => `the analysis of ${file}`);
      const found = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? []).filter(
        (lens) => lens.command?.command === 'asyncLens.playground.run',
      );
      assert.deepEqual(found.map((lens) => lens.range.start.line), lines, file);
      assert.equal(found[0]!.command!.title, '▶ Run in Async Playground');
      const [run] = await finished(() => vscode.commands.executeCommand(found[0]!.command!.command, ...(found[0]!.command!.arguments ?? [])));
      assert.equal(run!.end, 'exited', run!.message);
      assert.deepEqual(items(run!).map((item) => item.value), ['1', '2', '3']);
      const printed = run!.events.filter((event) => event.t === 'out').map((event) => (event.t === 'out' ? event.text : '')).join('');
      assert.match(printed, /tick 1\ntick 2\ntick 3/);
    }
  });

  it('runs Python on the bundled Pyodide when asked (the fallback without any Python), asyncio.run included', async () => {
    await setSetting('asyncLens', 'playground.python', 'pyodide');
    try {
      await open('ticks.py');
      const [run] = await finished(() => vscode.commands.executeCommand('asyncLens.playground.run'), 90_000);
      assert.equal(run!.runtime, 'pyodide');
      assert.equal(run!.end, 'exited', run!.message);
      assert.deepEqual(items(run!).map((item) => item.value), ['1', '2', '3']);
      for (const item of items(run!)) assert.ok(item.wait / 1e6 >= 40, `waited ${item.wait / 1e6} ms`);
    } finally {
      await setSetting('asyncLens', 'playground.python', undefined);
    }
  });

  it('offers "Show in playground" on a diagnostic, which runs the rule\'s bug and its fix', async () => {
    const editor = await open('conveyor.py');
    const [diagnostic] = await waitForDiagnostics(editor.document.uri, withCode('AIT101'), 'AIT101');
    const action = (await codeActions(editor.document.uri, diagnostic!.range)).find((candidate) => candidate.title === 'Show AIT101 in the Async Playground');
    assert.ok(action?.command, 'the action is offered');
    const runs = await finished(() => vscode.commands.executeCommand(action.command!.command, ...(action.command!.arguments ?? [])));
    assert.equal(runs.length, 2);
    const [bug, fix] = runs;
    assert.ok(bug!.events.some((event) => event.t === 'error' && event.type === 'TypeError'), 'the bug raises the real TypeError');
    assert.ok(!fix!.events.some((event) => event.t === 'error'), 'the fix runs cleanly');
  });

  it('Stop kills a run at once; so does closing the panel; the time limit ends an endless one', async () => {
    await open('forever.py');
    const stopped = finished(() => vscode.commands.executeCommand('asyncLens.playground.run'));
    await itemsArrived(3);
    const asked = Date.now();
    await vscode.commands.executeCommand('asyncLens.playground.stop');
    const [run] = await stopped;
    // 'stopped' (not the time limit's 'timeout'): the run ended because Stop killed it. How fast is the machine's business.
    assert.equal(run!.end, 'stopped');
    console.log(`    stopped ${Date.now() - asked} ms after Stop`);
    assert.ok(items(run!).length >= 3, 'it ran until stopped');

    await open('forever.py');
    const closed = finished(() => vscode.commands.executeCommand('asyncLens.playground.run'));
    await itemsArrived(1);
    const tab = playgroundTab();
    assert.ok(tab);
    await vscode.window.tabGroups.close(tab);
    assert.equal((await closed)[0]!.end, 'stopped');

    await setSetting('asyncLens', 'playground.timeLimit', 1);
    try {
      await open('forever.py');
      const [limited] = await finished(() => vscode.commands.executeCommand('asyncLens.playground.run'));
      assert.equal(limited!.end, 'timeout');
      assert.match(limited!.message ?? '', /time limit/);
    } finally {
      await setSetting('asyncLens', 'playground.timeLimit', undefined);
    }
  });
});
