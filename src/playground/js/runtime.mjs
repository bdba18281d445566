// Async Lens playground runtime for Node: imported first by every traced
// snippet. Defines the `for await` tracer the transform calls, and reports
// events as JSON lines on file descriptor 3 (the same events as the CPython
// tracer: loop, item, end, out, error, cap, exit). Console output goes into
// the same channel, synchronously, so prints and items keep their true order.

import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';

const MAX_EVENTS = Number(process.env.ASYNC_LENS_MAX_EVENTS ?? 10000);
const MAX_REPR = Number(process.env.ASYNC_LENS_MAX_REPR ?? 200);
const started = performance.now();
let count = 0;
let capped = false;

const now = () => Math.round((performance.now() - started) * 1e6);

function emit(event) {
  if (capped) return;
  count += 1;
  if (count > MAX_EVENTS) {
    capped = true;
    event = { t: 'cap', at: now(), events: MAX_EVENTS };
  }
  try {
    writeSync(3, `${JSON.stringify(event)}\n`);
  } catch {
    // Nobody reads the events any more (the editor went away): stop, do not run on unseen.
    process.exit(125);
  }
  if (capped) process.exit(0);
}

function show(value) {
  let text;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : inspect(value, { depth: 2, breakLength: Infinity });
  } catch (error) {
    text = `<inspect failed: ${error?.name ?? 'error'}>`;
  }
  return text.length <= MAX_REPR ? text : `${text.slice(0, MAX_REPR - 1)}\u2026`;
}

// Console and process.stdout/stderr writes become `out` events.
for (const [stream, target] of [['stdout', process.stdout], ['stderr', process.stderr]]) {
  target.write = (chunk, encoding, callback) => {
    emit({ t: 'out', stream, at: now(), text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
    if (typeof encoding === 'function') encoding();
    else if (typeof callback === 'function') callback();
    return true;
  };
}

/** Wraps the iterable of one `for await` loop; `return()` (a `break`, a `return` or a throw in the body) is forwarded. */
// JS has no task names: a loop's items are attributed to its enclosing function
// and the how-manieth call of that loop it is (`consume#2`), so two concurrent
// consumers get two lanes.
const instances = new Map();

globalThis.__asyncLensTrace__ = (iterable, loop, fn) => {
  const instance = (instances.get(loop) ?? 0) + 1;
  instances.set(loop, instance);
  const task = `${fn}#${instance}`;
  const source = iterable?.[Symbol.asyncIterator] ? iterable[Symbol.asyncIterator]() : iterable?.[Symbol.iterator]?.();
  if (!source) return iterable;
  let items = 0;
  let ended = false;
  const end = (reason, error) => {
    if (ended) return;
    ended = true;
    emit({ t: 'end', loop, at: now(), task, reason, items, ...(error === undefined ? {} : { error: show(error) }) });
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(value) {
      const asked = now();
      let result;
      try {
        result = await source.next(value);
        // `for await` over a sync iterable awaits each value (an array of promises).
        if (!result.done && !iterable[Symbol.asyncIterator]) result = { done: false, value: await result.value };
      } catch (error) {
        end('error', error);
        throw error;
      }
      if (result.done) {
        end('exhausted');
        return result;
      }
      items += 1;
      const at = now();
      emit({ t: 'item', loop, n: items, at, wait: at - asked, task, value: show(result.value) });
      return result;
    },
    async return(value) {
      end('break');
      return typeof source.return === 'function' ? source.return(value) : { done: true, value };
    },
    async throw(error) {
      end('error', error);
      if (typeof source.throw === 'function') return source.throw(error);
      throw error;
    },
  };
};

globalThis.__asyncLensLoop__ = (loop, line, col, task) => emit({ t: 'loop', loop, line, col, kind: 'for', task });

function reportError(error) {
  const stack = String(error?.stack ?? '');
  const frames = [...stack.matchAll(/at (?:(\S+) \()?[^\s()]*snippet\.mjs:(\d+):(\d+)\)?/g)].map((match) => ({ line: Number(match[2]), name: match[1] ?? '<module>', text: '' }));
  emit({ t: 'error', at: now(), type: error?.name ?? 'Error', message: `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`, frames });
}

process.on('uncaughtException', (error) => {
  reportError(error);
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  reportError(error);
  process.exit(1);
});
process.on('exit', () => emit({ t: 'exit', at: now() }));
// The parent enforces the time limit; this ends the process at its deadline even if the parent is gone.
const deadline = Number(process.env.ASYNC_LENS_DEADLINE_SECONDS ?? 0);
if (deadline > 0) setTimeout(() => process.exit(124), deadline * 1000).unref();
emit({ t: 'start', wall: Date.now() / 1000 });
