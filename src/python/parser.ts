import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { SyntaxProblem } from '../engine/types';
import { createHeapWatch, parsePythonGuarded, type ParseProblem } from './parse-guard';

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

const heapWatch = createHeapWatch();
let loading: Promise<Parser> | undefined;
let ready: Parser | undefined;
let dead = false;
/** The first syntax error the guard found in each tree it returned. */
const syntaxErrors = new WeakMap<Tree, SyntaxProblem>();

/** Loads the wasm runtime and the Python grammar once; later calls share it. */
export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    // Our own wasm memory, so that a parse growing it too far can be stopped (see parse-guard.ts).
    await Parser.init({ ...heapWatch.moduleOptions, locateFile: () => locate(RUNTIME_WASM) } as object);
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

/** The text was not parsed: it would take too long or too much memory, or nests deeper than CPython allows. */
export class ParseRefusedError extends Error {
  constructor(readonly problem: SyntaxProblem) {
    super(problem.message);
  }
}

function asSyntaxProblem(problem: ParseProblem, notAnalysed: boolean): SyntaxProblem {
  return { line: problem.line, column: problem.column, message: problem.message, ...(notAnalysed ? { notAnalysed } : {}) };
}

/**
 * Parses Python source. Tree-sitter never fails on bad syntax (it builds
 * ERROR nodes instead); `oldTree`, already `edit()`ed, makes it incremental.
 * Input that would make parsing or the queries on its tree slow beyond
 * linear, or the parser run out of memory, is refused with a reason
 * (`ParseRefusedError`) before that can happen.
 */
export function parsePython(text: string, oldTree?: Tree): Tree {
  const parsed = parsePythonGuarded(pythonParser(), text, { oldTree, heapWatch });
  if (!parsed.ok) {
    dead ||= parsed.runtimeDead;
    throw new ParseRefusedError(asSyntaxProblem(parsed.problem, true));
  }
  if (parsed.syntaxError) syntaxErrors.set(parsed.tree, asSyntaxProblem(parsed.syntaxError, false));
  return parsed.tree;
}

/** The first syntax error of a tree `parsePython` returned (where its ERROR or MISSING nodes start), if any. */
export function syntaxErrorOf(tree: Tree): SyntaxProblem | undefined {
  return syntaxErrors.get(tree);
}

/** Whether the wasm runtime aborted (out of memory) and no parse can work in this process any more. */
export function isParserDead(): boolean {
  return dead;
}
