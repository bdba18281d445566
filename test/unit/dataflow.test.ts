import * as assert from 'node:assert/strict';
import { analyzeLoop, whileDrivers, type LoopFlow } from '../../src/python/semantic/dataflow';
import { parsePython, type Node } from '../../src/python/parser';
import { ready } from '../support/python';

/*
 * The dependency analysis of one loop (src/python/semantic/dataflow.ts), on
 * its own: what each await is computed from, what an iteration leaves for
 * the next, which exits depend on a result. The rules built on it are
 * tested through their fixtures.
 */

function flowOf(body: string): LoopFlow {
  const text = `async def f(items, other, session):\n${body.split('\n').map((line) => `    ${line}`).join('\n')}\n`;
  const tree = parsePython(text);
  const loop = tree.rootNode.descendantsOfType(['for_statement', 'while_statement'])[0] as Node;
  return analyzeLoop(loop);
}

function awaitTags(flow: LoopFlow): string[] {
  return flow.awaits.map((site) => `${site.awaited.text}: ${[...site.tags].sort().join(' ') || '-'}`);
}

describe('loop dataflow', () => {
  before(ready);

  it('tags what each await is computed from: the item, an earlier await, a carried value', () => {
    const flow = flowOf([
      'for url in items:',
      '    page = await fetch(url)',
      '    size = await measure(page)',
      '    await log(other)',
    ].join('\n'));
    assert.deepEqual(awaitTags(flow), ['fetch(url): item', 'measure(page): await item', 'log(other): -']);
    assert.deepEqual([...flow.carried.keys()], []);
    assert.deepEqual([...flow.items], ['url']);
  });

  it('finds a cursor carried from one iteration to the next, and that an await produced it', () => {
    const flow = flowOf([
      'cursor = None',
      'for _ in range(10):',
      '    page = await fetch(cursor)',
      '    cursor = page.next',
    ].join('\n'));
    assert.deepEqual(flow.carried.get('cursor'), { fromAwait: true, readByAwait: true });
    assert.deepEqual(awaitTags(flow), ['fetch(cursor): carried']);
  });

  it('finds accumulators (`+=`), containers read back, and attributes, but not a list only appended to', () => {
    assert.deepEqual(flowOf('for x in items:\n    total += await f(x)').carried.get('total'), { fromAwait: true, readByAwait: false });
    const seen = flowOf('for x in items:\n    if x in seen:\n        continue\n    seen.add(await f(x))');
    assert.deepEqual(seen.carried.get('seen'), { fromAwait: true, readByAwait: false });
    const state = flowOf('for x in items:\n    await f(x, self.state)\n    self.state = x');
    assert.equal(state.carried.get('self.state')?.readByAwait, true);
    const appended = flowOf('for x in items:\n    results.append(await f(x))');
    assert.deepEqual([...appended.carried.keys()], []);
    assert.deepEqual([...appended.mutated], ['results']);
  });

  it('takes a write on one branch only as not definite', () => {
    const oneBranch = flowOf('for x in items:\n    if x:\n        y = x\n    await f(y)');
    assert.deepEqual(awaitTags(oneBranch), ['f(y): carried']);
    const bothBranches = flowOf('for x in items:\n    if x:\n        y = x\n    else:\n        y = 0\n    await f(y)');
    assert.deepEqual(awaitTags(bothBranches), ['f(y): item']);
  });

  it('knows which exits depend on an awaited result, and that an inner loop\'s `break` is its own', () => {
    const firstMatch = flowOf('for x in items:\n    page = await f(x)\n    if page:\n        return page');
    assert.deepEqual(firstMatch.exits.map((exit) => [exit.kind, exit.dependsOnAwait]), [['return', true]]);
    const retry = flowOf('for x in items:\n    try:\n        await f(x)\n    except OSError:\n        continue');
    assert.deepEqual(retry.exits.map((exit) => [exit.kind, exit.dependsOnAwait]), [['continue', true]]);
    assert.equal(retry.awaits[0]!.inTry, true);
    const skip = flowOf('for x in items:\n    if not x:\n        continue\n    await f(x)');
    assert.deepEqual(skip.exits.map((exit) => [exit.kind, exit.dependsOnAwait]), [['continue', false]]);
    const inner = flowOf('for x in items:\n    for y in x:\n        break\n    await f(x)');
    assert.deepEqual(inner.exits, []);
  });

  it('records `async with` heads and nested `async for` as awaits, and yields', () => {
    const flow = flowOf([
      'for url in items:',
      '    async with session.get(url) as response:',
      '        async for chunk in response.content:',
      '            yield chunk',
    ].join('\n'));
    assert.deepEqual(flow.awaits.map((site) => [site.kind, site.awaited.text, [...site.tags].sort().join(' ')]), [
      ['async with', 'session.get(url)', 'item'],
      ['await', 'response.content', 'await item'],
    ]);
    assert.equal(flow.yields.length, 1);
  });

  it('reads a `while` condition against what the body awaits (polling), and gives up on `global`', () => {
    assert.equal(flowOf('while not done:\n    done = await check()').conditionReadsAwaited, true);
    assert.equal(flowOf('while items:\n    await f(items.pop())').conditionReadsAwaited, false);
    assert.equal(flowOf('for x in items:\n    global counter\n    counter = await f(x)').opaque, true);
  });

  it('finds what a `while` loop steps through itself: an index moved by a constant, a private worklist it pops', () => {
    const drivers = (body: string): string[] => [...whileDrivers(flowOf(body).loop)].sort();
    assert.deepEqual(drivers('i = 0\nwhile i < len(items):\n    await f(items[i])\n    i += 1'), ['i']);
    assert.deepEqual(drivers('n = 10\nwhile n > 0 and other:\n    n -= 2\n    await f(n)'), ['n']);
    assert.deepEqual(drivers('todo = list(items)\nwhile todo:\n    x = todo.pop()\n    await f(x)'), ['todo']);
    assert.deepEqual(drivers('todo = list(items)\nwhile len(todo) > 0:\n    x = todo.popleft()\n    await f(x)'), ['todo']);
    // The item flows into the await, and the step is not carried work.
    const index = flowOf('i = 0\nwhile i < len(items):\n    await f(items[i])\n    i += 1');
    assert.deepEqual(awaitTags(index), ['f(items[i]): item']);
    assert.deepEqual([...index.carried.keys()], []);
  });

  it('finds no driver where the loop does not step one item at a time', () => {
    const drivers = (body: string): string[] => [...whileDrivers(flowOf(body).loop)].sort();
    // Runs until something else says stop.
    assert.deepEqual(drivers('while True:\n    await f(other)'), []);
    assert.deepEqual(drivers('while not done:\n    done = await check()'), []);
    // The body feeds the worklist: a crawl.
    assert.deepEqual(drivers('todo = list(items)\nwhile todo:\n    x = todo.pop()\n    todo.extend(await links(x))'), []);
    // The awaited work is handed the worklist, or a closure reaches it.
    assert.deepEqual(drivers('todo = list(items)\nwhile todo:\n    x = todo.pop()\n    await visit(x, todo)'), []);
    assert.deepEqual(drivers('todo = list(items)\nasync def visit(x):\n    todo.append(x)\nwhile todo:\n    x = todo.pop()\n    await visit(x)'), []);
    // A parameter: its caller may share it.
    assert.deepEqual(drivers('while items:\n    x = items.pop()\n    await f(x)'), []);
    // A step under a condition, a jump, a second write.
    assert.deepEqual(drivers('i = 0\nwhile i < 9:\n    if other:\n        i += 1\n    await f(i)'), []);
    assert.deepEqual(drivers('i = 0\nwhile i < 9:\n    await f(i)\n    i = i * 2'), []);
    assert.deepEqual(drivers('i = 0\nwhile i < 9:\n    await f(i)\n    i += 1\n    i += 1'), []);
    // A condition that calls anything but `len`.
    assert.deepEqual(drivers('i = 0\nwhile i < limit():\n    await f(i)\n    i += 1'), []);
    assert.deepEqual(drivers('i = 0\nwhile i < 9:\n    await f(i)\n    i += step'), []);
  });
});
