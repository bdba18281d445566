import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/*
 * The extension's entry bundle stays small: activation must not load the
 * parser (the analysis worker does), TypeScript (the playground's instrumenter
 * worker does) or Pyodide (its own worker does).
 */

describe('the extension bundle', function () {
  this.timeout(60_000);

  it('carries neither TypeScript, nor the parser, nor Pyodide', async () => {
    const result = await esbuild.build({
      absWorkingDir: path.resolve(__dirname, '..', '..'),
      entryPoints: ['src/hosts/vscode/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    for (const heavy of ['node_modules/typescript/', 'node_modules/web-tree-sitter/', 'node_modules/pyodide/', 'src/python/parser']) {
      assert.deepEqual(inputs.filter((input) => input.includes(heavy)), [], `${heavy} is bundled into the extension's entry`);
    }
    const bytes = result.outputFiles[0]!.contents.byteLength;
    assert.ok(bytes < 400_000, `the unminified entry is ${bytes} bytes`);
  });
});
