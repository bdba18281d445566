import * as assert from 'node:assert/strict';
import { applyFixes } from '../../src/engine/text';
import type { TextEdit } from '../../src/engine/types';
import { addImport, addModuleImport, appendToBody, insertMethodBefore, removeAsync } from '../../src/python/edits';
import { parsePython, type Node } from '../../src/python/parser';
import { ready } from '../support/python';

/* The edits every Python fix is made of, each on its own. */

function withTree<T>(text: string, use: (root: Node) => T): T {
  const tree = parsePython(text);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

function apply(text: string, edit: TextEdit | undefined): string {
  assert.ok(edit, 'an edit');
  return applyFixes(text, [{ edits: [edit] }]).text;
}

function first(root: Node, type: string): Node {
  const node = root.descendantsOfType(type)[0];
  assert.ok(node, `no ${type}`);
  return node;
}

describe('Python fix edits', () => {
  before(ready);

  it('removeAsync drops the keyword and the blanks after it, and nothing without one', () => {
    const text = 'async def f():\n    async\tfor x in y:\n        pass\n';
    withTree(text, (root) => {
      assert.equal(apply(text, removeAsync(first(root, 'for_statement'), text)), 'async def f():\n    for x in y:\n        pass\n');
      assert.equal(removeAsync(first(root, 'block'), text), undefined);
    });
  });

  it('appendToBody adds a line indented like the last statement, or `; ` on a one-line body', () => {
    const text = 'class A:\n    def __iter__(self):\n        if x:\n            pass\n        print(1)  # done\n\n    def one(self): print(1)\n';
    withTree(text, (root) => {
      const [iter, one] = root.descendantsOfType('function_definition');
      assert.equal(apply(text, appendToBody(iter!, 'return self', text)), text.replace('print(1)  # done', 'print(1)  # done\n        return self'));
      assert.equal(apply(text, appendToBody(one!, 'return self', text)), text.replace('def one(self): print(1)', 'def one(self): print(1); return self'));
    });
  });

  it('insertMethodBefore puts a method above another, above its decorators, with tabs or spaces as the class does', () => {
    const spaces = 'class A:\n    @traced\n    async def __anext__(self):\n        return 1\n';
    withTree(spaces, (root) => {
      assert.equal(
        apply(spaces, insertMethodBefore(first(root, 'function_definition'), ['def __aiter__(self):', 'return self'], spaces)),
        'class A:\n    def __aiter__(self):\n        return self\n\n    @traced\n    async def __anext__(self):\n        return 1\n',
      );
    });
    const tabs = 'class A:\n\tasync def __anext__(self): return 1\n';
    withTree(tabs, (root) => {
      assert.equal(
        apply(tabs, insertMethodBefore(first(root, 'function_definition'), ['def __aiter__(self):', 'return self'], tabs)),
        'class A:\n\tdef __aiter__(self):\n\t\treturn self\n\n\tasync def __anext__(self): return 1\n',
      );
    });
  });

  it('addImport goes after the docstring and imports, before the first statement otherwise, and never twice', () => {
    const cases: [string, string][] = [
      ['"""Doc."""\nimport os\nfrom x import y\n\nprint(1)\n', '"""Doc."""\nimport os\nfrom x import y\nfrom asyncio import gather\n\nprint(1)\n'],
      ['#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nprint(1)\n', '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nfrom asyncio import gather\nprint(1)\n'],
      ['from __future__ import annotations\n', 'from __future__ import annotations\nfrom asyncio import gather\n'],
      ['', 'from asyncio import gather\n'],
      ['# only a comment', '# only a comment\nfrom asyncio import gather\n'],
    ];
    for (const [before, after] of cases) withTree(before, (root) => assert.equal(apply(before, addImport(root, 'asyncio', 'gather')), after, JSON.stringify(before)));
    withTree('from asyncio import sleep, gather\n', (root) => assert.equal(addImport(root, 'asyncio', 'gather'), undefined));
    withTree('try:\n    import uvloop\nexcept ImportError:\n    pass\n', (root) => assert.equal(addImport(root, 'asyncio', 'gather'), undefined));
  });

  it('addImport leaves two blank lines before a top-level definition it goes in front of', () => {
    const text = '@cached\nasync def rows():\n    yield 1\n';
    withTree(text, (root) => assert.equal(apply(text, addImport(root, 'contextlib', 'aclosing')), `from contextlib import aclosing\n\n\n${text}`));
  });

  it('addModuleImport adds `import module` where addImport would, and never twice', () => {
    const text = '"""Doc."""\nimport time\nfrom os import path\n\nprint(1)\n';
    withTree(text, (root) => assert.equal(apply(text, addModuleImport(root, 'asyncio')), text.replace('from os import path\n', 'from os import path\nimport asyncio\n')));
    withTree('import os, asyncio\n', (root) => assert.equal(addModuleImport(root, 'asyncio'), undefined));
    withTree('from asyncio import sleep\n', (root) => assert.ok(addModuleImport(root, 'asyncio'), 'a from-import does not bind the module'));
    withTree('if True:\n    import asyncio\n', (root) => assert.equal(addModuleImport(root, 'asyncio'), undefined));
  });
});
