import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { PyodideHost, type PyodideHostOptions } from '../../src/playground/pyodide/host';
import type { TraceEvent } from '../../src/playground/run';
import { BREAK_AND_RAISE, COUNTDOWN, ms, of, peakWaiting, SOURCES, TRACER } from '../support/playground';

/*
 * The playground's Pyodide runner against the real Pyodide (node_modules/pyodide):
 * the same tracer events as CPython's, asyncio.run() without stack switching,
 * the bounds of a run, and the memory snapshot that shortens a cold start.
 * One warm host serves most tests; the worker is bundled into a temp folder.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const PYODIDE = path.join(ROOT, 'node_modules', 'pyodide');
const values = (events: readonly TraceEvent[]) => of(events, 'item').map((item) => item.value);
const printed = (events: readonly TraceEvent[]) => of(events, 'out').map((event) => event.text).join('');

describe('playground: Pyodide runner', function () {
  this.timeout(30_000);
  let folder: string;
  let options: PyodideHostOptions;
  let host: PyodideHost;
  const progress: string[] = [];

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-pyodide-'));
    // The same bundle as esbuild.js's `pyodide-worker` entry, built alone (the others are not needed here).
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'src', 'playground', 'pyodide', 'worker.ts')],
      outfile: path.join(folder, 'pyodide-worker.js'),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['pyodide'],
      logLevel: 'silent',
    });
    options = { workerScript: path.join(folder, 'pyodide-worker.js'), pyodideFolder: PYODIDE, tracer: TRACER, cacheFolder: path.join(folder, 'cache') };
    host = new PyodideHost({ ...options, onProgress: (message, done) => progress.push(`${done ? 'done' : 'loading'}: ${message}`) });
    await host.warm();
  });

  after(() => {
    host?.dispose();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('loads with progress, names its version and saves a snapshot', () => {
    assert.match(progress[0] ?? '', /^loading: Loading Pyodide/);
    assert.match(progress.at(-1) ?? '', /^done: Pyodide \d+\.\d+\.\d+, Python 3\.\d+\.\d+ ready/);
    assert.match(host.version ?? '', /^Pyodide \d+\.\d+\.\d+, Python 3\.\d+/);
    assert.equal(fs.readdirSync(path.join(folder, 'cache')).filter((name) => name.endsWith('.snapshot.gz')).length, 1);
  });

  it('traces the Countdown: 5,4,3,2,1, each waiting at least its sleep, prints in order', async () => {
    const result = await host.run({ code: COUNTDOWN }).done;
    assert.equal(result.end, 'exited', result.stderr);
    assert.equal(result.exitCode, 0);
    const items = of(result.events, 'item');
    assert.deepEqual(values(result.events), ['5', '4', '3', '2', '1']);
    for (const item of items) {
      // A sleep is never shorter than asked; how much longer depends on the machine's load.
      assert.ok(ms(item.wait) >= 45, `waited ${ms(item.wait)} ms`);
      assert.equal(item.task, 'Task-1');
    }
    assert.deepEqual(of(result.events, 'loop').map((loop) => [loop.line, loop.kind]), [[20, 'for']]);
    assert.deepEqual(of(result.events, 'end').map((end) => [end.reason, end.items]), [['exhausted', 5]]);
    const order = result.events.filter((event) => event.t === 'item' || event.t === 'out').map((event) => (event.t === 'item' ? `item ${event.value}` : String(event.text).trim()));
    assert.deepEqual(order, ['item 5', 'got 5', 'item 4', 'got 4', 'item 3', 'got 3', 'item 2', 'got 2', 'item 1', 'got 1']);
    assert.equal(result.events[0]?.t, 'start');
    assert.equal(result.events.at(-1)?.t, 'exit');
  });

  it('sequential waits one at a time, a TaskGroup two at once, with items interleaved', async () => {
    const sequential = await host.run({ code: `${SOURCES}\n\nasync def main():\n    await consume("a")\n    await consume("b")\n\nasyncio.run(main())\n` }).done;
    const concurrent = await host.run({
      code: `${SOURCES}\n\nasync def main():\n    async with asyncio.TaskGroup() as group:\n        group.create_task(consume("a"), name="a")\n        group.create_task(consume("b"), name="b")\n\nasyncio.run(main())\n`,
    }).done;
    assert.equal(peakWaiting(sequential.events), 1);
    assert.equal(peakWaiting(concurrent.events), 2);
    assert.deepEqual(values(sequential.events), ["'a0'", "'a1'", "'a2'", "'b0'", "'b1'", "'b2'"]);
    const tasks = of(concurrent.events, 'item').map((item) => item.task);
    assert.deepEqual(tasks.slice(0, 2).sort(), ['a', 'b'], `items alternate between the tasks: ${tasks.join(',')}`);
    assert.deepEqual(tasks.slice(2, 4).sort(), ['a', 'b'], `items alternate between the tasks: ${tasks.join(',')}`);
  });

  it('reports break, errors with the user\'s frames only, and async comprehensions', async () => {
    const result = await host.run({ code: BREAK_AND_RAISE }).done;
    assert.equal(result.end, 'exited');
    assert.deepEqual(of(result.events, 'end').map((end) => [end.loop, end.reason, end.items]), [[1, 'break', 3], [2, 'exhausted', 10], [3, 'error', 2]]);
    assert.deepEqual(of(result.events, 'loop').map((loop) => loop.kind), ['for', 'comprehension', 'for']);
    assert.equal(printed(result.events), '[0, 1, 2]\n');
    const [error] = of(result.events, 'error');
    assert.equal(error?.type, 'ValueError');
    assert.deepEqual(error?.frames.map((frame) => [frame.line, frame.name, frame.text]), [
      [19, '<module>', 'asyncio.run(main())'],
      [16, 'main', 'raise ValueError("bad number")'],
    ]);
  });

  it('runs asyncio.run() wherever CPython does: under __main__, in a sync main, with its result; and top-level await', async () => {
    const TICKS = `import asyncio
import time


async def ticks():
    for tick in range(2):
        await asyncio.sleep(0.02)
        yield tick


async def total():
    return sum([tick async for tick in ticks()])
`;
    const blocking = await host.run({
      code: `${TICKS}

def main():
    result = asyncio.run(total())
    print("sync main got", result)
    loop = asyncio.new_event_loop()
    print("run_until_complete got", loop.run_until_complete(total()))
    loop.close()


if __name__ == "__main__":
    main()
    started = time.perf_counter()
    time.sleep(0.1)
    print("slept", round(time.perf_counter() - started, 1))
`,
    }).done;
    assert.deepEqual(of(blocking.events, 'error'), []);
    assert.equal(printed(blocking.events), 'sync main got 1\nrun_until_complete got 1\nslept 0.1\n');
    const awaiting = await host.run({ code: `${TICKS}\nasync for tick in ticks():\n    print("tick", tick)\nprint("awaited", await total())\n` }).done;
    assert.deepEqual(of(awaiting.events, 'error'), []);
    assert.equal(printed(awaiting.events), 'tick 0\ntick 1\nawaited 1\n');
    // As in CPython, a snippet with top-level `await` already runs in a loop: asyncio.run() inside it is an error.
    const nested = await host.run({ code: `${TICKS}\nawait asyncio.sleep(0)\nasyncio.run(total())\n` }).done;
    assert.match(of(nested.events, 'error')[0]?.message ?? '', /cannot be called from a running event loop/);
  });

  it('runs what the gallery uses: gather, Queue, aclosing, and waits for the work to finish', async () => {
    const code = `import asyncio
from contextlib import aclosing


async def produce(queue):
    for number in range(3):
        await queue.put(number)
        await asyncio.sleep(0.01)
    await queue.put(None)


async def drain(queue):
    while (item := await queue.get()) is not None:
        yield item


async def main():
    queue = asyncio.Queue()
    async with aclosing(drain(queue)) as items:
        results = await asyncio.gather(produce(queue), asyncio.sleep(0.05, "late"))
        async for item in items:
            print("item", item)
    print("gathered", results)
    await asyncio.sleep(0.2)
    print("finished")


asyncio.run(main())
`;
    const result = await host.run({ code }).done;
    assert.deepEqual(of(result.events, 'error'), []);
    assert.deepEqual(values(result.events), ['0', '1', '2']);
    assert.equal(printed(result.events), 'item 0\nitem 1\nitem 2\ngathered [None, \'late\']\nfinished\n');
  });

  it('stops an infinite generator at the event cap', async () => {
    const code = 'import asyncio\n\nasync def forever():\n    while True:\n        yield 1\n\nasync def main():\n    async for _ in forever():\n        pass\n\nasyncio.run(main())\n';
    const result = await host.run({ code, maxEvents: 500 }).done;
    assert.equal(result.end, 'event-cap');
    assert.ok(of(result.events, 'item').length < 500);
    assert.deepEqual(result.events.slice(-2).map((event) => event.t), ['cap', 'exit']);
    assert.equal(result.reason, 'event limit (500 events)');
  });

  it('kills `while True: pass` at the time limit, and the next run starts a fresh worker', async () => {
    const result = await host.run({ code: 'print("spinning", flush=True)\nwhile True:\n    pass\n', timeLimitMs: 1000 }).done;
    assert.equal(result.end, 'timeout');
    assert.equal(result.reason, 'time limit (1 s)');
    assert.deepEqual(of(result.events, 'exit').map(({ end, reason }) => [end, reason]), [['timeout', 'time limit (1 s)']]);
    assert.equal(printed(result.events), 'spinning\n');
    progress.length = 0;
    const next = await host.run({ code: 'print("still here")\n' }).done;
    assert.equal(next.end, 'exited', next.stderr);
    assert.equal(printed(next.events), 'still here\n');
    assert.match(progress[0] ?? '', /^loading: Starting Pyodide .* from its snapshot/);
  });

  it('a new run stops the previous one, and stop() ends a run', async () => {
    /** A run, and a promise of its first batch of events (it has started). */
    const eventsOf = (code: string) => {
      let started: () => void = () => undefined;
      const first = new Promise<void>((resolve) => (started = resolve));
      const run = host.run({ code, timeLimitMs: 60_000, onEvents: () => started() });
      return { run, started: first };
    };
    const previous = eventsOf('import asyncio\n\nasync def main():\n    while True:\n        await asyncio.sleep(0.01)\n\nasyncio.run(main())\n');
    await previous.started;
    const current = eventsOf('import time\nprint("sleeping", flush=True)\nwhile True:\n    time.sleep(0.1)\n');
    assert.equal((await previous.run.done).end, 'stopped');
    await current.started;
    current.run.stop();
    const result = await current.run.done;
    // Stopped, not timed out: the time limit is a minute away.
    assert.equal(result.end, 'stopped');
    assert.equal(result.reason, 'stopped');
    assert.equal(printed(result.events), 'sleeping\n');
    assert.equal((await host.run({ code: 'print(1)' }).done).end, 'exited');
  });

  it("the memory limit: the interpreter's memory may not grow past it (MemoryError), and the editor's process stays within it plus a margin", async () => {
    let baseline: number | undefined;
    let peak = 0;
    // Sampled while the run lasts: the worker is a thread of this process.
    const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
    try {
      const code = 'x = []\nwhile True:\n    x.append(bytearray(10**6))\n';
      const result = await host.run({ code, memoryLimitMb: 256, timeLimitMs: 60_000, onEvents: () => (baseline ??= process.memoryUsage.rss()) }).done;
      assert.equal(result.end, 'memory-limit', result.stderr);
      assert.equal(result.reason, 'out of memory (limit 256 MB)');
      assert.equal(of(result.events, 'error')[0]?.type, 'MemoryError');
      assert.ok(peak - baseline! < 512 * 2 ** 20, `the process grew by ${Math.round((peak - baseline!) / 2 ** 20)} MB`);
    } finally {
      clearInterval(watch);
    }
  });

  it("JavaScript objects made from Python fill the worker's own heap, whose limit ends the run; the next run gets a fresh worker", async () => {
    const code = 'from js import Array\nx = Array.new()\nwhile True:\n    x.push(Array.new(100000).fill(1.5))\n';
    const result = await host.run({ code, memoryLimitMb: 256, timeLimitMs: 60_000 }).done;
    assert.equal(result.end, 'memory-limit', result.stderr);
    assert.equal((await host.run({ code: 'print("fresh")', memoryLimitMb: 256 }).done).end, 'exited');
  });

  it('one 100 MB line stops at the output cap, never posted whole', async () => {
    const result = await host.run({ code: `print("x" * ${100 * 1024 * 1024})\n`, timeLimitMs: 60_000 }).done;
    assert.equal(result.end, 'output-cap');
    assert.equal(result.reason, 'output limit (4 MB)');
    const kept = of(result.events, 'out').reduce((sum, event) => sum + event.text.length, 0);
    assert.ok(kept <= 4 * 1024 * 1024, `${kept} characters kept`);
  });

  it('a second host starts from the snapshot, and a damaged snapshot only costs a normal load', async () => {
    const restoring: string[] = [];
    const restored = new PyodideHost({ ...options, onProgress: (message) => restoring.push(message) });
    try {
      await restored.warm();
      assert.match(restoring[0] ?? '', /from its snapshot/);
      assert.deepEqual(values((await restored.run({ code: COUNTDOWN }).done).events), ['5', '4', '3', '2', '1']);
    } finally {
      restored.dispose();
    }
    const cache = path.join(folder, 'cache');
    const [snapshot] = fs.readdirSync(cache).filter((name) => name.endsWith('.snapshot.gz'));
    fs.writeFileSync(path.join(cache, snapshot!), zlib.gzipSync(Buffer.from('not a snapshot')).subarray(0, 20));
    const messages: string[] = [];
    const damaged = new PyodideHost({ ...options, onProgress: (message) => messages.push(message) });
    try {
      await damaged.warm();
      assert.match(messages[0] ?? '', /^Loading Pyodide/);
      assert.equal((await damaged.run({ code: 'print("ok")' }).done).end, 'exited');
      assert.ok(zlib.gunzipSync(fs.readFileSync(path.join(cache, snapshot!))).length > 1_000_000, 'the snapshot was saved again');
    } finally {
      damaged.dispose();
    }
  });

  it('says so when Pyodide cannot be loaded', async () => {
    const broken = new PyodideHost({ ...options, pyodideFolder: path.join(folder, 'nowhere'), cacheFolder: undefined });
    try {
      const result = await broken.run({ code: 'print(1)' }).done;
      assert.equal(result.end, 'failed-to-start');
      assert.match(result.stderr, /Pyodide could not be loaded/);
    } finally {
      broken.dispose();
    }
  });
});
