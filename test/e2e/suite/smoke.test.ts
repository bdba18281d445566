import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'async-lens.async-lens';

describe('smoke: a real VS Code extension host', () => {
  it('runs this suite with the workspace copy open', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const expected = process.env.ASYNC_LENS_E2E_WORKSPACE;
    if (expected) assert.equal(folder.uri.path, expected);
    assert.ok(vscode.version, 'the vscode API answers');
  });

  it('has Async Lens loaded from the development path and activates it', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded (extensions: ${vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id).join(', ') || 'none'})`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});
