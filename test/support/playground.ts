/*
 * What the playground's runner tests share: where the tracer and the Node
 * runtime live, helpers over trace events, and the Python snippets the
 * CPython and Pyodide runners must both get right.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TraceEvent } from '../../src/playground/events';
import { WaitStats } from '../../src/playground/webview/waits';

const ROOT = path.resolve(__dirname, '..', '..');
export const TRACER = path.join(ROOT, 'src', 'playground', 'python', 'tracer.py');
export const RUNTIME = path.join(ROOT, 'src', 'playground', 'js', 'runtime.mjs');

/** Nanoseconds (the events' unit) to milliseconds. */
export const ms = (ns: number) => ns / 1e6;

/** The events of one kind, typed as that kind. */
export const of = <K extends TraceEvent['t']>(events: readonly TraceEvent[], kind: K) => events.filter((event): event is Extract<TraceEvent, { t: K }> => event.t === kind);

/** The seed's Countdown: a hand-written async iterator counting 5..1, 50 ms per number. */
export const COUNTDOWN = `import asyncio


class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration
        await asyncio.sleep(0.05)
        self.current -= 1
        return self.current + 1


async def main():
    async for number in Countdown(5):
        print("got", number)


asyncio.run(main())
`;

/** A source of three items, 50 ms apart, and a consumer; callers add how two consumers run. */
export const SOURCES = `import asyncio


async def source(name, delay):
    for number in range(3):
        await asyncio.sleep(delay)
        yield f"{name}{number}"


async def consume(name):
    async for item in source(name, 0.05):
        pass
`;

/** Leaves one loop with `break`, runs an async comprehension, then raises in a loop (lines 12 and 16). */
export const BREAK_AND_RAISE = `import asyncio


async def numbers():
    for number in range(10):
        yield number


async def main():
    async for number in numbers():
        if number == 2:
            break
    print([n async for n in numbers()][:3])
    async for number in numbers():
        if number == 1:
            raise ValueError("bad number")


asyncio.run(main())
`;

/** Live processes whose command line mentions `token` (a zombie's reads empty: it is dead). */
export function processesWith(token: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(token)) found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Kills what a failed test left behind (by pid, each found by its token). */
export function killLeftovers(token: string): void {
  for (const pid of processesWith(token)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

/** The most waits of a run under way at one moment (the panel's "N at once"): 1 for loops one after the other. */
export function peakWaiting(events: readonly TraceEvent[]): number {
  const stats = new WaitStats();
  for (const item of of(events, 'item')) stats.add(item.at, item.wait);
  return stats.peak;
}
