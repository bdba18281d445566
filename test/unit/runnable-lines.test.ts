import * as assert from 'node:assert/strict';
import { parsePython } from '../../src/python/parser';
import { runnableLines } from '../../src/hosts/vscode/worker/runnable-lines';
import { ready } from '../support/python';

/* The lines that get the playground's code lens in a Python file. */

describe('playground code lens lines (Python)', () => {
  before(ready);

  it('marks async generators and async for loops, nothing else', () => {
    const source = [
      'import asyncio', //                               0
      'async def ticks(n):', //                          1  async generator
      '    for i in range(n):', //                       2  a plain for
      '        yield i', //                              3
      'async def main():', //                            4  a coroutine, not a generator
      '    async for tick in ticks(3):', //              5  async for
      '        print(tick)', //                          6
      '    def inner():', //                             7
      '        yield 1', //                              8  yield of a nested sync function
      '    squares = [x async for x in ticks(2)]', //    9  a comprehension: the loop lens is enough
      '"""async for in a docstring"""', //              10
      'class Countdown:', //                            11
      '    async def __anext__(self):', //              12  not a generator
      '        return 1', //                            13
      'async def wrapper():', //                        14
      '    gen = (lambda: (yield))', //                 15  yield inside a lambda is the lambda's
      '    await asyncio.sleep(0)', //                  16
    ].join('\n');
    assert.deepEqual(runnableLines(parsePython(source)), [1, 5]);
  });

  it('survives half-typed code', () => {
    assert.deepEqual(runnableLines(parsePython('async def gen(:\n    yield\nasync for x in')), [0]);
  });
});
