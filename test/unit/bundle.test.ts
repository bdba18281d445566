import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
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
    // Our own code only: the catalog reads each rule's metadata from its module (self-describing rules), so the
    // rules' code comes along (about 460 KB unminified with eleven JS/TS and fifteen Python rules). A jump far past
    // this means a dependency crept in.
    assert.ok(bytes < 600_000, `the unminified entry is ${bytes} bytes`);
  });
});

/*
 * The tsserver plugin runs inside whichever TypeScript the workspace uses:
 * its bundle must carry no TypeScript of its own (nor the Python parser),
 * and the packaged extension must hold it where VS Code's TypeScript server
 * looks: extension/node_modules/<name>, the name it is contributed under.
 */
describe('the tsserver plugin package', function () {
  this.timeout(60_000);
  const root = path.resolve(__dirname, '..', '..');
  const plugin = 'async-lens-tsserver-plugin';

  it('bundles no TypeScript, no parser and no other host', async () => {
    const { ENTRIES, buildOptions } = require(path.join(root, 'esbuild.js')) as {
      ENTRIES: readonly { readonly name: string }[];
      buildOptions(entry: { readonly name: string }): esbuild.BuildOptions;
    };
    const entry = ENTRIES.find((candidate) => candidate.name === 'tsserver-plugin');
    assert.ok(entry, 'esbuild.js has no tsserver-plugin entry');
    const result = await esbuild.build({ ...buildOptions(entry), write: false, metafile: true, sourcemap: false, plugins: [] });
    const inputs = Object.keys(result.metafile.inputs);
    for (const foreign of ['node_modules/', 'src/hosts/vscode/', 'src/hosts/cli/', 'src/python/parser']) {
      assert.deepEqual(inputs.filter((input) => input.includes(foreign)), [], `${foreign} is bundled into the tsserver plugin`);
    }
    const code = result.outputFiles.find((file) => file.path.endsWith('.js'))!.text;
    assert.doesNotMatch(code, /require\(["']typescript["']\)/, 'the plugin loads a TypeScript of its own');
  });

  it('is contributed, installed and packaged under one name', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.typescriptServerPlugins, [{ name: plugin, enableForWorkspaceTypeScriptVersions: true }]);
    assert.equal(manifest.dependencies[plugin], 'file:tsserver-plugin');
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'tsserver-plugin', 'package.json'), 'utf8')).name, plugin);
    assert.equal(fs.realpathSync(path.join(root, 'node_modules', plugin)), path.join(root, 'tsserver-plugin'), 'npm has not linked the plugin package (run npm ci)');

    const { listVsixFiles } = require(path.join(root, 'scripts', 'package-vsix.js')) as { listVsixFiles(): string[] };
    const files = listVsixFiles();
    for (const file of [`node_modules/${plugin}/package.json`, `node_modules/${plugin}/index.js`, 'docs/rules/AIT101.md']) {
      assert.ok(files.includes(file), `the .vsix would not hold ${file}`);
    }
    if (fs.existsSync(path.join(root, 'dist', 'tsserver-plugin.js'))) assert.ok(files.includes('dist/tsserver-plugin.js'), 'the .vsix would not hold the plugin bundle');
    assert.deepEqual(files.filter((file) => file.startsWith('node_modules/') && !file.startsWith(`node_modules/${plugin}/`)), [], 'other dependencies would ship');
  });
});
