import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export { Edit, Query } from 'web-tree-sitter';
export type { Node, Tree } from 'web-tree-sitter';

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

/**
 * The folder holding both wasm files: next to the bundle when packaged
 * (esbuild copies them into dist/), else straight from node_modules.
 */
function locate(file: string): string {
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  const fromPackage = file === RUNTIME_WASM ? 'web-tree-sitter/web-tree-sitter.wasm' : 'tree-sitter-python/tree-sitter-python.wasm';
  return require.resolve(fromPackage);
}

let loading: Promise<Parser> | undefined;
let ready: Parser | undefined;

/** Loads the wasm runtime and the Python grammar once; later calls share it. */
export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init({ locateFile: () => locate(RUNTIME_WASM) });
    const language = await Language.load(fs.readFileSync(locate(PYTHON_WASM)));
    const parser = new Parser();
    parser.setLanguage(language);
    ready = parser;
    return parser;
  })();
  return loading;
}

/** The loaded parser; throws if `loadPythonParser()` has not finished. */
function pythonParser(): Parser {
  if (!ready) throw new Error('The Python parser is not loaded yet: await loadPythonParser() first.');
  return ready;
}

/**
 * Parses Python source. Tree-sitter never fails on bad syntax (it builds
 * ERROR nodes instead); `oldTree`, already `edit()`ed, makes it incremental.
 */
export function parsePython(text: string, oldTree?: Tree): Tree {
  const tree = pythonParser().parse(text, oldTree ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
