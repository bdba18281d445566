import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { examplesTsconfig } from '../../src/playground/examples-tsconfig';
import { GALLERY, readSnippet } from '../../src/playground/gallery';

/*
 * The folder the VS Code extension writes gallery examples to is a small Node
 * project (its tsconfig.json: src/playground/examples-tsconfig.ts). Every
 * TypeScript snippet, written there as the extension writes it, must have no
 * TypeScript error: what the editor shows a user who opens it. The types
 * folder is laid out as esbuild.js ships it (dist/node-types/{node,undici-types}).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const GALLERY_FOLDER = path.join(ROOT, 'src', 'playground', 'gallery');
const SNIPPETS = GALLERY.flatMap((example) => example.typescript ?? []);

describe('playground examples folder: the TypeScript snippets as the editor checks them', () => {
  let folder: string;
  let program: ts.Program;

  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-examples-'));
    const types = path.join(folder, 'node-types');
    fs.mkdirSync(types);
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), path.join(types, 'node'), 'dir');
    fs.symlinkSync(path.join(ROOT, 'node_modules', 'undici-types'), path.join(types, 'undici-types'), 'dir');
    const examples = path.join(folder, 'examples');
    fs.mkdirSync(examples);
    fs.writeFileSync(path.join(examples, 'tsconfig.json'), examplesTsconfig(types));
    for (const snippet of SNIPPETS) fs.writeFileSync(path.join(examples, snippet.file), readSnippet(GALLERY_FOLDER, snippet));
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(examples, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
    });
    assert.ok(parsed);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.fileNames.map((file) => path.basename(file)).sort(), SNIPPETS.map((snippet) => snippet.file).sort(), 'the project holds every snippet');
    program = ts.createProgram(parsed.fileNames, parsed.options);
  });

  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('has Node\'s types and its one dependency, and no DOM', () => {
    const files = program.getSourceFiles().map((file) => file.fileName);
    assert.ok(files.some((file) => file.endsWith('/timers/promises.d.ts')), 'node:timers/promises resolves');
    assert.ok(files.some((file) => file.includes('undici-types')), 'undici-types resolves');
    assert.ok(!files.some((file) => file.endsWith('lib.dom.d.ts')), 'no DOM');
    assert.deepEqual(program.getOptionsDiagnostics().concat(program.getGlobalDiagnostics()).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')), []);
  });

  for (const snippet of SNIPPETS) {
    it(`${snippet.file}: no TypeScript error`, () => {
      const file = program.getSourceFiles().find((candidate) => path.basename(candidate.fileName) === snippet.file);
      assert.ok(file);
      const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
      assert.deepEqual(
        diagnostics.map((diagnostic) => `TS${diagnostic.code} line ${file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`),
        [],
      );
    });
  }
});
