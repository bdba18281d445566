/*
 * Snippets the playground's webview tests run for real (CPython through
 * src/playground/python/tracer.py, Node through src/playground/js/runtime.mjs):
 * the gallery's misconception pair in both languages, a run that breaks and
 * raises, and a run with thousands of items.
 */

import * as path from 'node:path';
import { runPython, type RunResult } from '../../src/playground/run';
import { runNode } from '../../src/playground/run-node';

const ROOT = path.resolve(__dirname, '..', '..');
export const TRACER = path.join(ROOT, 'src', 'playground', 'python', 'tracer.py');
export const RUNTIME = path.join(ROOT, 'src', 'playground', 'js', 'runtime.mjs');

const PY_SOURCES = `import asyncio


async def fetch_pages(name, delay):
    for number in range(3):
        await asyncio.sleep(delay)
        yield f"{name}-page-{number}"


async def read_all(name):
    async for page in fetch_pages(name, 0.1):
        print("got", page)
`;

export const PY_SEQUENTIAL = `${PY_SOURCES}

async def main():
    await read_all("a")
    await read_all("b")


asyncio.run(main())
`;

export const PY_TASKGROUP = `${PY_SOURCES}

async def main():
    async with asyncio.TaskGroup() as group:
        group.create_task(read_all("a"), name="a")
        group.create_task(read_all("b"), name="b")


asyncio.run(main())
`;

/** Line of `async for` in both Python snippets. */
export const PY_LOOP_LINE = 11;

const TS_SOURCES = `const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* fetchPages(name: string) {
  for (let number = 0; number < 3; number++) {
    await sleep(100);
    yield \`\${name}-page-\${number}\`;
  }
}

async function readAll(name: string) {
  for await (const page of fetchPages(name)) {
    console.log('got', page);
  }
}
`;

export const TS_SEQUENTIAL = `${TS_SOURCES}
await readAll('a');
await readAll('b');
`;

export const TS_PROMISE_ALL = `${TS_SOURCES}
await Promise.all([readAll('a'), readAll('b')]);
`;

export const TS_LOOP_LINE = 11;

/** A loop left with `break`, then one that ends in an error raised inside its generator. */
export const PY_ERROR = `import asyncio


async def ticks(limit):
    for number in range(limit):
        await asyncio.sleep(0.02)
        if number == 3:
            raise ValueError(f"tick {number} is broken")
        yield number


async def main():
    async for tick in ticks(10):
        if tick == 1:
            break
    async for tick in ticks(10):
        print("tick", tick)


asyncio.run(main())
`;

/** Lines: the break loop, the failing loop, the raise. */
export const PY_ERROR_LINES = { breakLoop: 13, errorLoop: 16, raise: 8 };

export const PY_MANY = (count: number) => `import asyncio


async def numbers():
    for number in range(${count}):
        await asyncio.sleep(0)
        yield number


async def main():
    total = 0
    async for number in numbers():
        total += number
    print("total", total)


asyncio.run(main())
`;

export const python = (code: string, maxEvents = 10_000): Promise<RunResult> => runPython({ code, tracer: TRACER, maxEvents, timeLimitMs: 15_000 }).done;
export const node = (code: string): Promise<RunResult> => runNode({ code, runtime: RUNTIME, fileName: 'snippet.ts', timeLimitMs: 15_000 }).done;

/** `count` consumers in one TaskGroup, each receiving one item from its own generator, a few hundred waiting at any moment. */
export const PY_CONSUMERS = (count: number) => `import asyncio


async def one(number):
    await asyncio.sleep(0.01 * (number % 50))
    yield number


async def consume(number):
    async for item in one(number):
        pass


async def main():
    async with asyncio.TaskGroup() as group:
        for number in range(${count}):
            group.create_task(consume(number))


asyncio.run(main())
`;

/** Ticks printed until the process kills itself with SIGSEGV in the middle of the loop. */
export const PY_CRASH = `import asyncio
import os
import signal


async def ticks():
    for number in range(10):
        await asyncio.sleep(0.02)
        yield number


async def main():
    async for tick in ticks():
        print("tick", tick)
        if tick == 2:
            os.kill(os.getpid(), signal.SIGSEGV)


asyncio.run(main())
`;
