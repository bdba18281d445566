/*
 * Runs a snippet under a playground tracer (python/tracer.py for CPython,
 * js/runtime.mjs for Node) in a child process of its own process group, and
 * streams its events back in batches. Every run is bounded: a time limit, an event cap and an output
 * cap; `stop()`, the time limit and the caps kill the whole process tree.
 * The VS Code playground (issue 4) is built on this; nothing here knows VS Code.
 */

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { TransformedSnippet } from './js/transform';

import { EventCollector, resolveLimits, type RunLimits } from './collect';
import type { TraceEvent } from './events';
import type { RunEnd } from './protocol';

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
  readonly exitCode: number | null;
  readonly events: readonly TraceEvent[];
  /** What the interpreter itself printed outside the tracer (a crash before the tracer ran). */
  readonly stderr: string;
  readonly milliseconds: number;
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

/** Kills a run's whole process tree: its process group on POSIX, `taskkill /T` on Windows. */
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
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-run-'));
  const snippet = path.join(folder, 'snippet.py');
  fs.writeFileSync(snippet, options.code);
  return runTraced(options.python ?? 'python3', ['-X', 'utf8', '-u', options.tracer, snippet], folder, { PYTHONDONTWRITEBYTECODE: '1' }, options);
}

/**
 * Runs `program args` in `folder` (removed afterwards) with the event channel
 * on fd 3, in its own process group, within `options`' bounds.
 */
export function runTraced(program: string, args: readonly string[], folder: string, env: Record<string, string>, options: RunLimits): TracedRun {
  const started = Date.now();
  const limits = resolveLimits(options);
  const windows = process.platform === 'win32';
  const child = spawn(program, args, {
    cwd: folder,
    // A process group of its own (POSIX), so one signal ends everything the snippet started.
    detached: !windows,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
      ASYNC_LENS_MAX_EVENTS: String(limits.maxEvents),
      ASYNC_LENS_MAX_REPR: String(limits.maxRepr),
      // The child's own watchdog, a little after ours: it ends the run even if this process dies first.
      ASYNC_LENS_DEADLINE_SECONDS: String((limits.timeLimitMs + CHILD_GRACE_MS) / 1000),
    },
  });

  let end: RunEnd | undefined;
  let settled = false;
  const kill = (reason: RunEnd) => {
    end ??= reason;
    // Once settled, the group is gone and its id may belong to someone else.
    if (child.pid === undefined || settled) return;
    killTree(child.pid);
  };
  const timer = setTimeout(() => kill('timeout'), limits.timeLimitMs);

  const collector = new EventCollector(limits, kill);
  const channel = child.stdio[3] as Readable;
  let partial = '';
  channel.setEncoding('utf8');
  channel.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) collector.line(line);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => collector.addStderr(chunk));
  child.stdout!.resume();

  const done = new Promise<RunResult>((resolve) => {
    const finish = (exitCode: number | null) => {
      if (settled) return;
      // Whatever else the process group started goes too (it may hold the pipes open).
      kill(end ?? 'exited');
      settled = true;
      clearTimeout(timer);
      for (const stream of [channel, child.stdout, child.stderr]) stream?.destroy();
      collector.flush();
      fs.rmSync(folder, { recursive: true, force: true });
      resolve({ end: end ?? 'exited', exitCode, events: collector.events, stderr: collector.stderr, milliseconds: Date.now() - started });
    };
    child.on('error', (error) => {
      end ??= 'failed-to-start';
      collector.stderr += error.message;
      finish(null);
    });
    // `close` waits for the event channel to drain as well as for the exit. A background
    // process the snippet started can hold the pipes open, though: once the snippet itself
    // has exited, the channel gets a moment to drain, then the run is over.
    child.on('close', (code) => finish(code));
    child.on('exit', (code) => {
      const drained = () => finish(code);
      if (channel.readableEnded) drained();
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
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-run-'));
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
  const run = runTraced(options.node ?? process.execPath, ['snippet.mjs'], folder, options.env ?? {}, { ...options, onEvents: options.onEvents && ((events) => options.onEvents!(mapEvents(events))) });
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
    { t: 'exit', at: 0 },
  ];
  options.onEvents?.(events);
  return { done: Promise.resolve({ end: 'exited', exitCode: null, events, stderr: '', milliseconds: 0 }), stop: () => undefined, loops: transformed.loops };
}
