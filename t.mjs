import { Parser, Language } from 'web-tree-sitter';
await Parser.init();
const Py = await Language.load('node_modules/tree-sitter-python/tree-sitter-python.wasm');
const p = new Parser(); p.setLanguage(Py);
const src = process.argv[2];
console.log(p.parse(src).rootNode.toString());
