import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePython } from '../../src/python/analyze';
import { PythonDocumentAnalysis, type TextChange } from '../../src/python/incremental';
import { Random } from '../support/mutations';
import { ready } from '../support/python';

/*
 * The editor re-analyses only the units a keystroke changed. That must never
 * change the answer: after every edit, the incremental findings equal a fresh
 * analysis of the same text.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const TOKENS = ['a', ' ', '\n', ':', '(', ')', 'async ', 'await ', 'yield x', 'return self', 'for x in y: pass\n', '#', '"', 'def __aiter__(self):\n        pass\n    '];

function sources(): { name: string; text: string }[] {
  return ['python', 'corpus'].flatMap((folder) => {
    const dir = path.join(FIXTURES, folder);
    return fs.readdirSync(dir).filter((file) => file.endsWith('.py')).sort().map((file) => ({ name: `${folder}/${file}`, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
  });
}

function randomChange(random: Random, text: string): TextChange {
  const start = random.int(text.length + 1);
  switch (random.int(4)) {
    case 0:
      return { start, end: Math.min(text.length, start + random.between(1, 3)), text: '' };
    case 1:
      return { start, end: start, text: random.pick(TOKENS) };
    default: {
      // Typing one character inside a line, the common case.
      return { start, end: start, text: random.pick(['x', '_', '1', ' ', '.', ',']) };
    }
  }
}

function apply(text: string, change: TextChange): string {
  return text.slice(0, change.start) + change.text + text.slice(change.end);
}

function comparable(result: ReturnType<typeof analyzePython>) {
  return { findings: result.findings.map((f) => ({ ...f, fixes: f.fixes.map((fix) => ({ ...fix, edits: [...fix.edits] })) })), errors: result.errors };
}

describe('incremental analysis while typing', () => {
  before(ready);

  it('gives the same findings as a fresh analysis after every random edit', function () {
    this.timeout(120_000);
    const random = new Random(20261121);
    let reused = 0;
    let edits = 0;
    for (const { name, text: original } of sources()) {
      const document = new PythonDocumentAnalysis();
      let text = original;
      document.update(text);
      for (let step = 0; step < 40; step++) {
        const change = randomChange(random, text);
        text = apply(text, change);
        const incremental = document.update(text, [change]);
        const fresh = analyzePython({ text });
        assert.deepEqual(comparable(incremental), comparable(fresh), `${name}, edit ${step}: ${JSON.stringify(change)}`);
        reused += document.lastStats.reused;
        edits++;
      }
      document.dispose();
    }
    assert.ok(reused > edits, `units were reused only ${reused} times over ${edits} edits`);
  });

  it('re-analyses only the edited function when its signature is unchanged', () => {
    const text = [
      'async def ticker(n):',
      '    for i in range(n):',
      '        yield i',
      '',
      'async def main():',
      '    for t in ticker(3):',
      '        print(t)',
      '',
      'async def other():',
      '    for t in ticker(3):',
      '        print(t)',
      '',
    ].join('\n');
    const document = new PythonDocumentAnalysis();
    assert.equal(document.update(text).findings.length, 2);
    const at = text.indexOf('print(t)');
    const change = { start: at, end: at, text: 'x = 1; ' };
    const result = document.update(apply(text, change), [change]);
    assert.equal(result.findings.length, 2);
    assert.deepEqual(document.lastStats, { analysed: 1, reused: 2, full: false });
    // Making `ticker` a plain function changes what the others see: everything is analysed again.
    const asyncAt = apply(text, change).indexOf('async def ticker');
    const unAsync = { start: asyncAt, end: asyncAt + 'async '.length, text: '' };
    const after = document.update(apply(apply(text, change), unAsync), [unAsync]);
    assert.equal(document.lastStats.full, true);
    assert.equal(after.findings.filter((f) => f.code === 'AIT101').length, 0);
    document.dispose();
  });

  /** `changes`: the edit changes the findings of a unit it does not touch (so reusing them would be wrong). */
  const cases: { name: string; text: string; edit: (text: string) => TextChange; changes?: boolean }[] = [
    {
      name: 'a class named in another class\'s __aiter__ (AIT205 reads them file-wide)',
      text: 'class Foo:\n    async def __anext__(self):\n        return 1\n\nclass Bar:\n    def __aiter__(self):\n        return Foo()\n',
      edit: (text) => ({ start: text.indexOf('Foo()'), end: text.indexOf('Foo()') + 3, text: 'Baz' }),
    },
    {
      name: 'a class iterated with `async for` in another function (AIT205 is an error only then)',
      text: 'class Foo:\n    async def __anext__(self):\n        return 1\n\nasync def main():\n    async for x in Foo():\n        print(x)\n',
      edit: (text) => ({ start: text.indexOf('Foo()'), end: text.indexOf('Foo()') + 3, text: 'Baz' }),
    },
    {
      name: 'the assignment of a name another function\'s `async for` iterates (AIT205)',
      text: 'class Foo:\n    async def __anext__(self):\n        return 1\n\nasync def main():\n    source = Foo()\n    async for x in source:\n        print(x)\n',
      edit: (text) => ({ start: text.indexOf('Foo()'), end: text.indexOf('Foo()') + 3, text: 'Baz' }),
    },
    {
      name: 'the body of a helper that returns `anext(...)` (AIT104 reads it at the call sites)',
      text: 'def peek(it):\n    return anext(it)\n\nasync def main(it):\n    print(peek(it))\n',
      edit: (text) => ({ start: text.indexOf('anext(it)'), end: text.indexOf('anext(it)') + 5, text: 'other' }),
    },
    {
      name: 'a helper starting to return `anext(...)` (AIT104 finds such helpers from their text)',
      text: 'def peek(it):\n    return next(it)\n\nasync def main(it):\n    print(peek(it))\n',
      edit: (text) => ({ start: text.indexOf('next(it)'), end: text.indexOf('next(it)'), text: 'a' }),
    },
    {
      name: 'a placeholder __next__ becoming real (AIT201 reads the partner)',
      text: 'class It:\n    def __iter__(self):\n        pass\n    def __next__(self):\n        pass\n',
      edit: (text) => ({ start: text.lastIndexOf('pass'), end: text.lastIndexOf('pass') + 4, text: 'return 1' }),
    },
    {
      name: 'a walrus in a decorator shadowing a builtin',
      text: 'async def agen():\n    yield 1\n\n@register(list := make_list)\ndef handler():\n    pass\n\ndef main():\n    x = list(agen())\n',
      edit: (text) => ({ start: text.indexOf('x = list'), end: text.indexOf('x = list') + 1, text: 'y' }),
    },
    {
      name: 'the line-break style of fixes',
      text: '# header\nclass It:\n    def __iter__(self):\n        print(1)\n    def __next__(self):\n        return 1\n',
      edit: () => ({ start: 8, end: 8, text: '\r' }),
    },
    {
      name: 'a yield in a default value',
      text: 'def f(x=(yield)):\n    return 1\n\nasync def main():\n    async for i in f():\n        pass\n',
      edit: (text) => ({ start: text.lastIndexOf('pass'), end: text.lastIndexOf('pass') + 4, text: 'print(i)' }),
    },
    {
      name: 'a local async def another loop awaits starting to pace itself (AIT301 reads its body)',
      text: 'import asyncio\n\nasync def work(x):\n    await asyncio.to_thread(print, x)\n\nasync def main(xs):\n    for x in xs:\n        await work(x)\n',
      edit: (text) => ({ start: text.indexOf('\n\nasync def main'), end: text.indexOf('\n\nasync def main'), text: '\n    await asyncio.sleep(1)' }),
      changes: true,
    },
    {
      name: 'a method awaited through `self` starting to write shared state (AIT301)',
      text: 'import asyncio\n\nclass C:\n    async def page(self, url):\n        return await asyncio.to_thread(print, url)\n\n    async def crawl(self, urls):\n        for url in urls:\n            await self.page(url)\n',
      edit: (text) => ({ start: text.indexOf('return await'), end: text.indexOf('return await') + 6, text: 'self.seen =' }),
      changes: true,
    },
    {
      name: 'where the client a helper requests on comes from (AIT301)',
      text: 'import httpx\n\nasync def get(url):\n    client = httpx.AsyncClient()\n    return await client.get(url)\n\nasync def main(urls):\n    for url in urls:\n        await get(url)\n',
      edit: (text) => ({ start: text.indexOf('httpx.AsyncClient()'), end: text.indexOf('httpx.AsyncClient()') + 'httpx.AsyncClient'.length, text: 'make_client' }),
      changes: true,
    },
    {
      name: 'typing in a loop that awaits a helper whose client is a local of the helper (AIT301 reads the helper\'s bindings)',
      text: 'import httpx\n\nasync def get(url):\n    client = httpx.AsyncClient()\n    return await client.get(url)\n\nasync def main(urls):\n    for url in urls:\n        await get(url)\n        print(url)\n',
      edit: (text) => ({ start: text.indexOf('print(url)') + 9, end: text.indexOf('print(url)') + 9, text: ', 1' }),
    },
    {
      name: 'a stray `yield` keyword left in an ERROR node (no longer a generator for any fact)',
      text: fs.readFileSync(path.join(FIXTURES, 'incremental', 'stray-yield.py'), 'utf8'),
      edit: (text) => ({ start: text.indexOf('asyncio.sleep(0.1)') + 2, end: text.indexOf('asyncio.sleep(0.1)') + 2, text: '#' }),
      changes: true,
    },
    {
      // Broken code where an edit in one class changes how the parser recovers in another, whose text is the same.
      name: 'unchanged text that error recovery parses anew',
      text: fs.readFileSync(path.join(FIXTURES, 'incremental', 'recovered-differently.py'), 'utf8'),
      edit: (text) => ({ start: text.indexOf('self.page >= self.last') + 4, end: text.indexOf('self.page >= self.last') + 4, text: ')' }),
      changes: true,
    },
  ];
  for (const { name, text, edit, changes } of cases) {
    it(`stays equal to a fresh analysis: ${name}`, () => {
      const document = new PythonDocumentAnalysis();
      document.update(text);
      const change = edit(text);
      const after = apply(text, change);
      assert.deepEqual(comparable(document.update(after, [change])), comparable(analyzePython({ text: after })));
      if (changes) assert.notDeepEqual(analyzePython({ text }).findings.map((f) => f.code), analyzePython({ text: after }).findings.map((f) => f.code));
      const back = { start: change.start, end: change.start + change.text.length, text: text.slice(change.start, change.end) };
      assert.deepEqual(comparable(document.update(text, [back])), comparable(analyzePython({ text })));
      document.dispose();
    });
  }

  it('falls back to a full parse when the changes do not match the text', () => {
    const document = new PythonDocumentAnalysis();
    document.update('async def f():\n    yield 1\n');
    const result = document.update('def g():\n    for x in f(): pass\n', [{ start: 0, end: 0, text: 'nonsense' }]);
    assert.equal(document.lastStats.full, true);
    assert.deepEqual(result.findings, []);
    document.dispose();
  });
});
