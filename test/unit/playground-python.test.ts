import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPython, type TraceEvent } from '../../src/playground/run';
import { BREAK_AND_RAISE, COUNTDOWN, ms, of, peakWaiting, processesWith, SOURCES, TRACER } from '../support/playground';

/*
 * The playground's CPython runner against the real python3: the tracer's
 * events, their timing and order, and the bounds of a run.
 */

describe('playground: CPython runner', function () {
  this.timeout(20_000);

  it('traces the Countdown: 5,4,3,2,1, each waiting at least its sleep, prints in order', async () => {
    const result = await runPython({ code: COUNTDOWN, tracer: TRACER }).done;
    assert.equal(result.end, 'exited', result.stderr);
    const items = of(result.events, 'item');
    assert.deepEqual(items.map((item) => item.value), ['5', '4', '3', '2', '1']);
    for (const item of items) {
      // A sleep is never shorter than asked; how much longer depends on the machine's load.
      assert.ok(ms(item.wait) >= 45, `waited ${ms(item.wait)} ms`);
      assert.equal(item.task, 'Task-1');
    }
    assert.deepEqual(of(result.events, 'loop').map((loop) => [loop.line, loop.kind]), [[20, 'for']]);
    assert.deepEqual(of(result.events, 'end').map((end) => [end.reason, end.items]), [['exhausted', 5]]);
    // Each print comes right after the item it prints.
    const order = result.events.filter((event) => event.t === 'item' || event.t === 'out').map((event) => (event.t === 'item' ? `item ${event.value}` : String(event.text).trim()));
    assert.deepEqual(order, ['item 5', 'got 5', 'item 4', 'got 4', 'item 3', 'got 3', 'item 2', 'got 2', 'item 1', 'got 1']);
    assert.equal(result.events.at(-1)?.t, 'exit');
  });

  it('sequential waits one at a time (at least the sum of the sleeps), a TaskGroup two at once, with items interleaved', async () => {
    const sequential = await runPython({ code: `${SOURCES}\n\nasync def main():\n    await consume("a")\n    await consume("b")\n\nasyncio.run(main())\n`, tracer: TRACER }).done;
    const concurrent = await runPython({
      code: `${SOURCES}\n\nasync def main():\n    async with asyncio.TaskGroup() as group:\n        group.create_task(consume("a"), name="a")\n        group.create_task(consume("b"), name="b")\n\nasyncio.run(main())\n`,
      tracer: TRACER,
    }).done;
    const span = (events: readonly TraceEvent[]) => {
      const items = of(events, 'item');
      return ms(items.at(-1)!.at) - ms(items[0]!.at) + ms(items[0]!.wait);
    };
    assert.ok(span(sequential.events) >= 280, `sequential took ${span(sequential.events)} ms`);
    assert.equal(peakWaiting(sequential.events), 1);
    assert.equal(peakWaiting(concurrent.events), 2);
    assert.deepEqual(of(sequential.events, 'item').map((item) => item.value), ["'a0'", "'a1'", "'a2'", "'b0'", "'b1'", "'b2'"]);
    const tasks = of(concurrent.events, 'item').map((item) => item.task);
    assert.deepEqual(tasks.slice(0, 2).sort(), ['a', 'b'], `items alternate between the tasks: ${tasks.join(',')}`);
  });

  it('reports break, errors with the user\'s frames only, and async comprehensions', async () => {
    const result = await runPython({ code: BREAK_AND_RAISE, tracer: TRACER }).done;
    assert.deepEqual(of(result.events, 'end').map((end) => [end.loop, end.reason, end.items]), [[1, 'break', 3], [2, 'exhausted', 10], [3, 'error', 2]]);
    assert.deepEqual(of(result.events, 'loop').map((loop) => loop.kind), ['for', 'comprehension', 'for']);
    const [error] = of(result.events, 'error');
    assert.equal(error?.type, 'ValueError');
    assert.deepEqual((error?.frames as { line: number; name: string; text: string }[]).map((frame) => [frame.line, frame.name, frame.text]), [
      [19, '<module>', 'asyncio.run(main())'],
      [16, 'main', 'raise ValueError("bad number")'],
    ]);
  });

  it('top-level `async for` runs too', async () => {
    const code = 'import asyncio\n\nasync def ticks():\n    yield 1\n    yield 2\n\nasync for tick in ticks():\n    print(tick)\n';
    const result = await runPython({ code, tracer: TRACER }).done;
    assert.deepEqual(of(result.events, 'item').map((item) => item.value), ['1', '2']);
    assert.deepEqual(of(result.events, 'error'), []);
  });

  it('stops an infinite generator at the event cap', async () => {
    const code = 'import asyncio\n\nasync def forever():\n    while True:\n        yield 1\n\nasync def main():\n    async for _ in forever():\n        pass\n\nasyncio.run(main())\n';
    const result = await runPython({ code, tracer: TRACER, maxEvents: 500 }).done;
    assert.equal(result.end, 'event-cap');
    assert.ok(of(result.events, 'item').length < 500);
  });

  it('kills a snippet that never ends at the time limit, leaving no process behind', async () => {
    const token = `async-lens-orphan-probe-${process.pid}`;
    const code = `import subprocess, sys, time\nchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "${token}"])\nprint("started", flush=True)\nwhile True:\n    time.sleep(1)\n`;
    const result = await runPython({ code, tracer: TRACER, timeLimitMs: 1500 }).done;
    assert.equal(result.end, 'timeout');
    assert.equal(result.reason, 'time limit (1.5 s)');
    assert.deepEqual(of(result.events, 'out').map((event) => event.text), ['started\n']);
    assert.deepEqual(processesWith(token), []);
  });

  it('stop() kills the run, when its first item arrives', async () => {
    const code = 'import asyncio\n\nasync def ticks():\n    while True:\n        await asyncio.sleep(0.05)\n        yield 1\n\nasync def main():\n    async for _ in ticks():\n        pass\n\nasyncio.run(main())\n';
    const run = runPython({ code, tracer: TRACER, timeLimitMs: 60_000, onEvents: (events) => events.some((event) => event.t === 'item') && run.stop() });
    const result = await run.done;
    assert.equal(result.end, 'stopped');
    assert.equal(result.reason, 'stopped');
    assert.ok(of(result.events, 'item').length >= 1);
  });

  it('half-typed code: a SyntaxError on the snippet\'s line, nothing run; binary junk fails cleanly too', async () => {
    const result = await runPython({ code: 'import asyncio\nprint("never")\nasync def f(:\n    pass\n', tracer: TRACER }).done;
    assert.equal(result.end, 'exited');
    const [error] = of(result.events, 'error');
    assert.equal(error?.type, 'SyntaxError');
    assert.deepEqual(error?.frames, [{ line: 3, name: '<module>', text: 'async def f(:' }]);
    assert.equal(of(result.events, 'out').length, 0);
    const junk = await runPython({ code: '\u0000\u00ff\ufffd\u0001', tracer: TRACER }).done;
    assert.equal(junk.end, 'exited');
    assert.match(of(junk.events, 'error')[0]?.type ?? '', /SyntaxError|ValueError/);
    assert.equal(of(junk.events, 'exit').length, 1);
  });

  it('a background process the snippet left behind neither holds the run open nor survives it', async () => {
    const marker = `async-lens-background-${process.pid}`;
    const code = `import subprocess\nsubprocess.Popen(["sh", "-c", "sleep 30; echo ${marker}"])\nprint("done")\n`;
    // Had the 30 s sleep held the run open, the minute's time limit would not end it as `exited`.
    const result = await runPython({ code, tracer: TRACER, timeLimitMs: 60_000 }).done;
    assert.equal(result.end, 'exited');
    assert.deepEqual(processesWith(marker), []);
  });

  it('without its parent, the child ends itself: at its own deadline, or when nobody reads its events', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-orphan-'));
    try {
      const snippet = path.join(folder, 'snippet.py');
      fs.writeFileSync(snippet, 'import time\nwhile True:\n    time.sleep(0.05)\n');
      const deadline = spawn('python3', [TRACER, snippet], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], env: { ...process.env, ASYNC_LENS_DEADLINE_SECONDS: '0.5' } });
      (deadline.stdio[3] as NodeJS.ReadableStream).resume();
      const [code] = (await once(deadline, 'exit')) as [number];
      assert.equal(code, 124, 'the exit code of the deadline');

      fs.writeFileSync(snippet, 'import time\nwhile True:\n    print("tick")\n    time.sleep(0.01)\n');
      const deaf = spawn('python3', [TRACER, snippet], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
      (deaf.stdio[3] as NodeJS.ReadableStream & { destroy(): void }).destroy();
      const [deafCode] = (await once(deaf, 'exit')) as [number];
      assert.equal(deafCode, 125);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('says so when the interpreter does not exist', async () => {
    const result = await runPython({ code: 'pass', tracer: TRACER, python: '/nonexistent/python3' }).done;
    assert.equal(result.end, 'failed-to-start');
    assert.match(result.stderr, /ENOENT/);
  });
});
