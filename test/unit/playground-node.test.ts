import * as assert from 'node:assert/strict';
import { runNode } from '../../src/playground/run-node';
import type { TraceEvent } from '../../src/playground/run';
import { ms, of, peakWaiting, RUNTIME } from '../support/playground';

/*
 * The playground's Node runner: a TypeScript snippet transpiled in-process
 * with the `for await` transformer, run in a real child Node process.
 */


const COUNTDOWN = `const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Countdown {
  constructor(private current: number) {}
  async *[Symbol.asyncIterator](): AsyncGenerator<number> {
    while (this.current > 0) {
      await sleep(50);
      yield this.current--;
    }
  }
}

async function main() {
  for await (const number of new Countdown(5)) {
    console.log('got', number);
  }
}

await main();
`;

const SOURCES = `const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function* source(name: string) {
  for (let i = 0; i < 3; i++) {
    await sleep(50);
    yield name + i;
  }
}
async function consume(name: string) {
  for await (const item of source(name)) {
  }
}
`;

describe('playground: Node runner', function () {
  this.timeout(20_000);

  it('traces the TypeScript Countdown: 5,4,3,2,1, each waiting at least its sleep, prints in order', async () => {
    const run = runNode({ code: COUNTDOWN, runtime: RUNTIME, fileName: 'countdown.ts' });
    assert.deepEqual(run.loops, [{ loop: 1, line: 14, col: 2, task: 'main' }]);
    const result = await run.done;
    assert.equal(result.end, 'exited', result.stderr);
    const items = of(result.events, 'item');
    assert.deepEqual(items.map((item) => item.value), ['5', '4', '3', '2', '1']);
    // A timer never fires early; how late depends on the machine's load.
    for (const item of items) assert.ok(ms(item.wait) >= 45, `waited ${ms(item.wait)} ms`);
    const order = result.events.filter((event) => event.t === 'item' || event.t === 'out').map((event) => (event.t === 'item' ? `item ${event.value}` : String(event.text).trim()));
    assert.deepEqual(order, ['item 5', 'got 5', 'item 4', 'got 4', 'item 3', 'got 3', 'item 2', 'got 2', 'item 1', 'got 1']);
    assert.deepEqual(of(result.events, 'end').map((end) => [end.reason, end.items]), [['exhausted', 5]]);
  });

  it('sequential waits one at a time (at least the sum of the sleeps), Promise.all two at once', async () => {
    const sequential = await runNode({ code: `${SOURCES}await consume('a');\nawait consume('b');\n`, runtime: RUNTIME }).done;
    const concurrent = await runNode({ code: `${SOURCES}await Promise.all([consume('a'), consume('b')]);\n`, runtime: RUNTIME }).done;
    const span = (events: readonly TraceEvent[]) => {
      const items = of(events, 'item');
      return ms(items.at(-1)!.at) - ms(items[0]!.at) + ms(items[0]!.wait);
    };
    assert.ok(span(sequential.events) >= 280, `sequential took ${span(sequential.events)} ms`);
    assert.equal(peakWaiting(sequential.events), 1);
    assert.equal(peakWaiting(concurrent.events), 2);
    assert.deepEqual(of(concurrent.events, 'item').slice(0, 2).map((item) => item.value).sort(), ['"a0"', '"b0"']);
  });

  it('forwards return() on break (the generator\'s finally runs before the code after the loop) and reports errors', async () => {
    const code = `async function* numbers() {
  try {
    for (let i = 0; ; i++) yield i;
  } finally {
    console.log('closed');
  }
}
for await (const n of numbers()) {
  if (n === 2) break;
}
console.log('after');
for await (const n of [Promise.resolve(1), Promise.resolve(2)]) {
  if (n === 2) throw new RangeError('too big');
}
`;
    const result = await runNode({ code, runtime: RUNTIME }).done;
    assert.deepEqual(of(result.events, 'out').map((event) => String(event.text).trim()), ['closed', 'after']);
    assert.deepEqual(of(result.events, 'end').map((end) => [end.loop, end.reason, end.items]), [[1, 'break', 3], [2, 'break', 2]]);
    assert.deepEqual(of(result.events, 'item').slice(3).map((item) => item.value), ['1', '2']);
    const [error] = of(result.events, 'error');
    assert.equal(error?.message, 'RangeError: too big');
    assert.deepEqual(error?.frames.map((frame) => frame.line), [13]);
  });

  it('half-typed code is not run: a SyntaxError on the snippet\'s line', async () => {
    const run = runNode({ code: 'console.log("never");\nfor await (const x of [1]) {\n  const y = ;\n}\n', runtime: RUNTIME, fileName: 'broken.ts' });
    const result = await run.done;
    assert.equal(result.end, 'exited');
    const [error] = of(result.events, 'error');
    assert.equal(error?.type, 'SyntaxError');
    assert.equal(error?.frames[0]?.line, 3);
    assert.equal(of(result.events, 'out').length, 0, 'nothing ran');
  });

  it('stops an infinite generator at the event cap, and a busy loop at the time limit', async () => {
    const forever = await runNode({ code: 'async function* f() { while (true) yield 1; }\nfor await (const x of f()) {}\n', runtime: RUNTIME, maxEvents: 300 }).done;
    assert.equal(forever.end, 'event-cap');
    assert.ok(of(forever.events, 'cap').length === 1);
    const busy = await runNode({ code: 'while (true) {}\n', runtime: RUNTIME, timeLimitMs: 1000 }).done;
    assert.equal(busy.end, 'timeout');
    assert.equal(busy.reason, 'time limit (1 s)');
  });
});
