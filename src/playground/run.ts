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

import { parseTraceEvent, type TraceEvent } from './events';
import type { RunEnd } from './protocol';

export type { TraceEvent, RunEnd };

/** Bounds and delivery, common to every runtime. */
export interface RunLimits {
  readonly timeLimitMs?: number;
  readonly maxEvents?: number;
  /** Bytes of events (including the snippet's output) before the run is stopped. */
  readonly maxOutputBytes?: number;
  readonly maxRepr?: number;
  /** Events are delivered in batches, at most every `batchMs`. */
  readonly batchMs?: number;
  readonly onEvents?: (events: readonly TraceEvent[]) => void;
}

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

const DEFAULTS = { timeLimitMs: 5000, maxEvents: 10_000, maxOutputBytes: 4 * 1024 * 1024, maxRepr: 200, batchMs: 16 };

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
  const limits = { ...DEFAULTS, ...options };
  const child = spawn(program, args, {
    cwd: folder,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env, ASYNC_LENS_MAX_EVENTS: String(limits.maxEvents), ASYNC_LENS_MAX_REPR: String(limits.maxRepr) },
  });

  const events: TraceEvent[] = [];
  let batch: TraceEvent[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  let bytes = 0;
  let stderr = '';
  let end: RunEnd | undefined;

  const flush = () => {
    batchTimer = undefined;
    if (batch.length === 0) return;
    const delivered = batch;
    batch = [];
    options.onEvents?.(delivered);
  };
  const kill = (reason: RunEnd) => {
    end ??= reason;
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => kill('timeout'), limits.timeLimitMs);

  const channel = child.stdio[3] as Readable;
  let partial = '';
  channel.setEncoding('utf8');
  channel.on('data', (chunk: string) => {
    bytes += Buffer.byteLength(chunk);
    if (bytes > limits.maxOutputBytes) {
      kill('output-cap');
      return;
    }
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line) continue;
      let event: TraceEvent | undefined;
      try {
        // The snippet can write to fd 3 too: only well-formed events count.
        event = parseTraceEvent(JSON.parse(line));
      } catch {
        continue;
      }
      if (!event) continue;
      events.push(event);
      batch.push(event);
      if (event.t === 'cap') kill('event-cap');
    }
    batchTimer ??= setTimeout(flush, limits.batchMs);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  child.stdout!.resume();

  const done = new Promise<RunResult>((resolve) => {
    let settled = false;
    const finish = (exitCode: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Whatever else the process group started goes too.
      kill(end ?? 'exited');
      clearTimeout(batchTimer);
      flush();
      fs.rmSync(folder, { recursive: true, force: true });
      resolve({ end: end ?? 'exited', exitCode, events, stderr, milliseconds: Date.now() - started });
    };
    child.on('error', (error) => {
      end ??= 'failed-to-start';
      stderr += error.message;
      finish(null);
    });
    // `close` waits for the event channel to drain as well as for the exit.
    child.on('close', (code) => finish(code));
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
