/*
 * Runs a snippet under a playground tracer (python/tracer.py for CPython,
 * js/runtime.mjs for Node) in a child process of its own process group, and
 * streams its events back in batches. Every run is bounded: a time limit, an
 * event cap, an output cap counted on every channel as bytes arrive, and a
 * memory limit (the interpreter's own, and the child's resident memory
 * watched from here). Stop, the limits and the end of the run kill the whole
 * process tree, including what left the process group (contain.ts); the run
 * is reported over only once all of it is gone and its folder is cleaned up.
 * The VS Code playground is built on this; nothing here knows VS Code.
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { TransformedSnippet } from './js/transform';

import { EventCollector, resolveLimits, type RunLimits } from './collect';
import { Containment, residentBytes } from './contain';
import { endReason, naturalEnd } from './ends';
import type { RunEnd, TraceEvent } from './events';
import { makeRunFolder, removeRunFolder } from './folder';

export type { TraceEvent, RunEnd, RunLimits };

export interface PythonRunOptions extends RunLimits {
  readonly code: string;
  /** The interpreter; `python3` by default. */
  readonly python?: string;
  /** The tracer script (`dist/tracer.py` when bundled). */
  readonly tracer: string;
}

export interface RunResult {
  readonly end: RunEnd;
  /** Why, in a few words: "out of memory (limit 1 GB)", "killed by signal SIGSEGV", "time limit (5 s)". */
  readonly reason: string;
  readonly exitCode: number | null;
  /** The signal that ended the snippet's process, when one did (ours included, at a limit or Stop). */
  readonly signal: string | null;
  readonly events: readonly TraceEvent[];
  /** What the interpreter itself printed outside the tracer (a crash before the tracer ran). */
  readonly stderr: string;
  readonly milliseconds: number;
  /** What could not be cleaned up (a temporary folder left behind, processes that would not die). */
  readonly warnings: readonly string[];
}

export interface TracedRun {
  readonly done: Promise<RunResult>;
  /** Kills the run's whole process tree; resolves `done` with `stopped`. */
  stop(): void;
}

/** After the snippet's own exit, how long its event channel may take to drain. */
const DRAIN_MS = 250;
/** The child's watchdog fires this long after the parent's time limit. */
const CHILD_GRACE_MS = 2000;
/** How often the child's resident memory is looked at (a snippet allocates at most a few hundred MB in between). */
const MEMORY_POLL_MS = 100;

/** Kills a run's process group on POSIX, its process tree (`taskkill /T`) on Windows. */
function killTree(pid: number): void {
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function runPython(options: PythonRunOptions): TracedRun {
  const folder = makeRunFolder();
  const snippet = path.join(folder, 'snippet.py');
  fs.writeFileSync(snippet, options.code);
  const memoryLimitMb = resolveLimits(options).memoryLimitMb;
  // The tracer sets RLIMIT_AS from this before the snippet runs: CPython raises MemoryError at the limit.
  return runTraced(options.python ?? 'python3', ['-X', 'utf8', '-u', options.tracer, snippet], folder, { PYTHONDONTWRITEBYTECODE: '1', ASYNC_LENS_MEMORY_MB: String(memoryLimitMb) }, options);
}

/**
 * Runs `program args` in `folder` (removed afterwards) with the event channel
 * on fd 3, in its own process group, within `options`' bounds.
 */
function runTraced(program: string, args: readonly string[], folder: string, env: Record<string, string>, options: RunLimits): TracedRun {
  const started = Date.now();
  const limits = resolveLimits(options);
  const windows = process.platform === 'win32';
  const containment = new Containment(randomBytes(8).toString('hex'));
  const child = spawn(program, args, {
    cwd: folder,
    // A process group of its own (POSIX), so one signal ends everything the snippet started.
    detached: !windows,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
      ...containment.env,
      ASYNC_LENS_MAX_EVENTS: String(limits.maxEvents),
      ASYNC_LENS_MAX_REPR: String(limits.maxRepr),
      // The child's own watchdog, a little after ours: it ends the run even if this process dies first.
      ASYNC_LENS_DEADLINE_SECONDS: String((limits.timeLimitMs + CHILD_GRACE_MS) / 1000),
    },
  });
  if (child.pid !== undefined) containment.adopt(child.pid);

  let end: RunEnd | undefined;
  let settled = false;
  const channel = child.stdio[3] as Readable;
  const streams = [channel, child.stdout!, child.stderr!];
  const kill = (reason: RunEnd) => {
    end ??= reason;
    // Once settled, the group is gone and its id may belong to someone else.
    if (child.pid === undefined || settled) return;
    killTree(child.pid);
    // Past the output cap nothing more is read, whoever still writes.
    if (reason === 'output-cap') for (const stream of streams) stream.destroy();
  };
  const timer = setTimeout(() => kill('timeout'), limits.timeLimitMs);
  const memoryLimit = limits.memoryLimitMb * 2 ** 20;
  // The interpreters' own limits (RLIMIT_AS, V8's heap) leave out what Node allocates outside its heap: Buffers, ArrayBuffers.
  const memoryWatch = process.platform === 'linux' ? setInterval(() => child.pid !== undefined && (residentBytes(child.pid) ?? 0) > memoryLimit && kill('memory-limit'), MEMORY_POLL_MS) : undefined;

  const collector = new EventCollector(limits, kill);
  channel.on('data', (chunk: Buffer) => collector.chunk(chunk));
  child.stderr!.on('data', (chunk: Buffer) => collector.addStderr(chunk));
  // The snippet's stdout goes through the tracer; what else reaches fd 1 (a subprocess, os.write) only counts.
  child.stdout!.on('data', (chunk: Buffer) => collector.count(chunk.length));

  let finishing = false;
  /** When the snippet's process ended (cleaning up after it takes a moment more, and is not the snippet's time). */
  let exitedAt: number | undefined;
  const done = new Promise<RunResult>((resolve) => {
    const finish = async (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (finishing) return;
      finishing = true;
      clearTimeout(timer);
      clearInterval(memoryWatch);
      const warnings: string[] = [];
      try {
        // Whatever else the snippet started goes too (it may hold the pipes open), before the run is over.
        if (child.pid !== undefined) killTree(child.pid);
        warnings.push(...(await containment.sweep()));
        settled = true;
        for (const stream of streams) stream.destroy();
        const warning = await removeRunFolder(folder);
        if (warning) warnings.push(warning);
      } finally {
        const final = end ?? naturalEnd({ signal, outOfMemory: collector.outOfMemory, stderr: collector.stderr });
        const reason = endReason(final, limits, { signal, exitCode });
        try {
          collector.finish(final, reason, exitedAt);
        } catch {
          // An `onEvents` that throws on the last batch: its events are in the result all the same, and the run is over.
        }
        resolve({ end: final, reason, exitCode, signal, events: collector.events, stderr: collector.stderr, milliseconds: Date.now() - started, warnings });
      }
    };
    child.on('error', (error) => {
      end ??= 'failed-to-start';
      collector.stderr += error.message;
      void finish(null, null);
    });
    // `close` waits for the event channel to drain as well as for the exit. A background
    // process the snippet started can hold the pipes open, though: once the snippet itself
    // has exited, the channel gets a moment to drain, then the run is over.
    child.on('close', (code, signal) => void finish(code, signal));
    child.on('exit', (code, signal) => {
      exitedAt = Date.now();
      const drained = () => void finish(code, signal);
      if (channel.readableEnded || channel.destroyed) drained();
      else {
        channel.once('end', drained);
        setTimeout(drained, DRAIN_MS);
      }
    });
  });

  return { done, stop: () => kill('stopped') };
}

export interface TransformedRunOptions extends RunLimits {
  /** The Node executable; this process's own by default. */
  readonly node?: string;
  /** Extra environment (e.g. `ELECTRON_RUN_AS_NODE` when `node` is an Electron binary). */
  readonly env?: Record<string, string>;
}

/** Runs a snippet already instrumented by `transformSnippet` (the VS Code playground transforms in a worker thread). */
export function runTransformed(transformed: TransformedSnippet, options: TransformedRunOptions): TracedRun & { readonly loops: TransformedSnippet['loops'] } {
  if (transformed.diagnostics.length > 0) return notRun(transformed, options);
  const folder = makeRunFolder();
  fs.writeFileSync(path.join(folder, 'snippet.mjs'), transformed.code);
  // Error frames point into the transpiled module: map them back to the snippet's lines.
  const mapped = new WeakSet<TraceEvent>();
  const mapEvents = (events: readonly TraceEvent[]) => {
    for (const event of events) {
      if (event.t !== 'error' || mapped.has(event)) continue;
      mapped.add(event);
      for (const frame of event.frames as unknown as { line: number }[]) frame.line = transformed.lineMap[frame.line - 1] || frame.line;
    }
    return events;
  };
  // V8's heap stops at the memory limit (it aborts, and says so on stderr); run.ts watches the rest.
  const heap = `--max-old-space-size=${resolveLimits(options).memoryLimitMb}`;
  const run = runTraced(options.node ?? process.execPath, [heap, 'snippet.mjs'], folder, options.env ?? {}, { ...options, onEvents: options.onEvents && ((events) => options.onEvents!(mapEvents(events))) });
  return {
    ...run,
    done: run.done.then((result) => {
      mapEvents(result.events);
      return result;
    }),
    loops: transformed.loops,
  };
}

/**
 * A snippet with syntax errors is not run: TypeScript would emit something,
 * but not what the user wrote. The errors are reported the way a runtime
 * error is, on the snippet's lines, like CPython's SyntaxError.
 */
function notRun(transformed: TransformedSnippet, options: RunLimits): TracedRun & { readonly loops: TransformedSnippet['loops'] } {
  const [first] = transformed.diagnostics;
  const events: TraceEvent[] = [
    { t: 'start', wall: Date.now() / 1000 },
    {
      t: 'error',
      at: 0,
      type: 'SyntaxError',
      message: `SyntaxError: ${first!.message}`,
      frames: transformed.diagnostics.map((diagnostic) => ({ line: Math.max(1, diagnostic.line), name: '<module>', text: diagnostic.message })),
    },
    { t: 'exit', at: 0, end: 'exited', reason: 'not run: syntax error' },
  ];
  options.onEvents?.(events);
  return {
    done: Promise.resolve({ end: 'exited', reason: 'not run: syntax error', exitCode: null, signal: null, events, stderr: '', milliseconds: 0, warnings: [] }),
    stop: () => undefined,
    loops: transformed.loops,
  };
}
