import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePython } from '../../src/python/analyze';
import { PythonFacts } from '../../src/python/semantic/facts';
import { knownApiTable } from '../../src/python/known-apis';
import { parsePython, type Node, type Tree } from '../../src/python/parser';
import { codeOwner, hasOwnYield } from '../../src/python/semantic/owner';
import { tokensAt, wordPattern } from '../../src/python/syntax';
import { ready } from '../support/python';

function factsOf(text: string): { tree: Tree; facts: PythonFacts; find: (snippet: string, type?: string) => Node } {
  const tree = parsePython(text);
  const facts = new PythonFacts(tree.rootNode, { known: knownApiTable() });
  const find = (snippet: string, type?: string) => {
    const at = text.indexOf(snippet);
    assert.ok(at >= 0, `no ${snippet}`);
    let node = tree.rootNode.descendantForIndex(at, at)!;
    while (type && node.type !== type && node.parent) node = node.parent;
    return node;
  };
  return { tree, facts, find };
}

describe('Python facts', () => {
  before(ready);

  it('finds the tokens of a whole name from the text, Unicode names included', () => {
    const text = 'def f(données, é):\n    données = 1\n    donnéesX = 2\n    s = "données"\n    return données.x, é\n';
    const tree = parsePython(text);
    const found = tokensAt(tree.rootNode, wordPattern('données'));
    // The parameter, the assignment, the use, and the string (its smallest node); not `donnéesX`.
    assert.deepEqual(found.map((node) => [node.type, node.startPosition.row]), [['identifier', 0], ['identifier', 1], ['string_content', 3], ['identifier', 4]]);
    assert.deepEqual(tokensAt(tree.rootNode, wordPattern('é')).map((node) => node.startPosition.row), [0, 4]);
    assert.deepEqual(tokensAt(tree.rootNode, wordPattern('a.b')), [], 'a pattern is escaped, not a regex');
    tree.delete();
  });

  it('resolves names through function, class and comprehension scopes', () => {
    const { tree, facts, find } = factsOf([
      'import asyncio as aio',
      'from typing import AsyncIterator',
      'items = [1]',
      'class C:',
      '    items = "class attribute"',
      '    def m(self, stream: AsyncIterator[int]):',
      '        total = [items for items in stream]',
      '        return items, stream, aio.sleep',
      '',
    ].join('\n'));
    const use = find('items, stream', 'identifier');
    const resolution = facts.resolve('items', use);
    assert.ok(typeof resolution !== 'string');
    // Class bodies are skipped when resolving from a method: the module's `items`.
    assert.equal(resolution.scope.type, 'module');
    assert.equal(facts.resolve('items', find('items for', 'identifier')), 'unknown', 'a comprehension target');
    assert.equal(facts.qualifiedName(find('aio.sleep', 'attribute')), 'asyncio.sleep');
    assert.equal(facts.iterability(find('stream]', 'identifier')).kind, 'async');
    assert.equal(facts.resolve('len', use), 'builtin');
    tree.delete();
  });

  it('knows generators and the scope of each node without walking parents', () => {
    const { tree, facts, find } = factsOf('async def outer():\n    def inner():\n        yield 1\n    return inner\n');
    const outer = find('async def outer', 'function_definition');
    const inner = find('def inner', 'function_definition');
    assert.equal(facts.isGenerator(inner), true);
    assert.equal(facts.isGenerator(outer), false, 'a nested function\'s yield is its own');
    assert.equal(facts.scopeOf(inner).id, outer.id);
    assert.equal(facts.scopeOf(outer).type, 'module');
    tree.delete();
  });

  it('lets lambdas inside a comprehension see its targets', () => {
    const text = 'async def agen():\n    yield 1\nx = agen()\nfs = [lambda: [i for i in x] for x in range(3)]\n';
    assert.deepEqual(analyzePython({ text }).findings.map((f) => f.code), []);
  });

  it('resolves default values and annotations in the scope around the function', () => {
    const text = 'from typing import AsyncIterator\nx = [1, 2]\ndef f(x: AsyncIterator[int] = list(x)):\n    pass\n';
    assert.deepEqual(analyzePython({ text }).findings.map((f) => f.code), []);
    const { tree, facts, find } = factsOf('def f(a=(yield)):\n    return 1\n');
    assert.equal(facts.isGenerator(find('def f', 'function_definition')), false, 'a yield in a default value is not the function\'s');
    tree.delete();
  });

  it('terminates on a file whose root is an ERROR node', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', 'broken_root.py.txt'), 'utf8');
    const tree = parsePython(text);
    assert.equal(tree.rootNode.type, 'ERROR');
    tree.delete();
    const result = analyzePython({ text });
    assert.deepEqual(result.errors, []);
  });

  it('answers "whose code is this node" and "is this a generator" the same from the index and by climbing the tree, on every fixture', () => {
    const folders = ['python', 'corpus'].map((folder) => path.join(__dirname, '..', 'fixtures', folder));
    let nodes = 0;
    for (const folder of folders) {
      for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.py'))) {
        const { tree, facts } = factsOf(fs.readFileSync(path.join(folder, file), 'utf8'));
        const cursor = tree.walk();
        const visit = (): void => {
          const node = cursor.currentNode;
          if (node.id !== tree.rootNode.id) {
            nodes++;
            assert.equal(facts.scopeOf(node).id, codeOwner(node).id, `${file}: the owner of ${node.type} at ${node.startPosition.row + 1}:${node.startPosition.column + 1}`);
            if (node.type === 'function_definition' || node.type === 'lambda') {
              assert.equal(facts.isGenerator(node), hasOwnYield(node), `${file}: generator ${node.startPosition.row + 1}`);
            }
          }
          if (cursor.gotoFirstChild()) {
            do visit(); while (cursor.gotoNextSibling());
            cursor.gotoParent();
          }
        };
        visit();
        cursor.delete();
        tree.delete();
      }
    }
    assert.ok(nodes > 10_000, `only ${nodes} nodes compared`);
  });

  it('resolves decorators through the imports, not their text', () => {
    const source = (decorator: string, imports: string) => [
      imports,
      'class Stream:',
      `    ${decorator}`,
      '    def __aiter__(self):',
      '        print("no return")',
      '',
      '    async def __anext__(self):',
      '        raise StopAsyncIteration',
      '',
    ].join('\n');
    const flagged = (decorator: string, imports: string) => analyzePython({ text: source(decorator, imports), settings: { select: ['AIT201'] } }).findings.length;
    assert.equal(flagged('@override', 'from typing import override'), 1, 'typing.override leaves the method as it is');
    assert.equal(flagged('@typing_extensions.override', 'import typing_extensions'), 1);
    assert.equal(flagged('@ovr', 'from typing import override as ovr'), 1, 'an alias of it too');
    assert.equal(flagged('@override', 'def override(fn):\n    return lambda self: iter(())\n'), 0, 'a local function of that name may return anything');
    assert.equal(flagged('@override', 'from mylib import override'), 0, 'so may another library\'s');
    assert.equal(flagged('@override', ''), 1, 'an unbound name is taken as the well-known decorator (a snippet without its imports)');
  });
});
