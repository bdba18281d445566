/*
 * The extension host's side of the Pyodide runner (worker.ts): starts the
 * worker thread, keeps it warm between runs, and turns its event lines into
 * a `TracedRun` like the CPython runner's (same events, batches, caps and
 * ends). Everything slow happens in the worker; this side only routes
 * messages. Stop, the time limit and the caps terminate the worker (the only
 * way to stop `while True: pass`); the next run starts a fresh one.
 *
 * The worker lives in the editor's process, so its memory is the editor's:
 * the worker refuses to grow the interpreter's memory past the run's limit,
 * its JavaScript heap is capped by `resourceLimits`, and this side ends the
 * run if the process grows past the limit plus a margin all the same.
 */

import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS, EventCollector, resolveLimits, type RunLimits } from '../collect';
import { endReason, naturalEnd } from '../ends';
import type { RunEnd, RunResult, TracedRun } from '../run';
import type { PyodideRunRequest, PyodideWorkerData, PyodideWorkerMessage } from './worker';

export interface PyodideHostOptions {
  /** dist/pyodide-worker.js */
  readonly workerScript: string;
  /** dist/pyodide (or node_modules/pyodide in tests) */
  readonly pyodideFolder: string;
  /** The tracer script (dist/tracer.py). */
  readonly tracer: string;
  /** A writable folder for Pyodide's memory snapshot (a cold start in a fraction of the time). */
  readonly cacheFolder?: string;
  /** Loading news for the panel ("Loading Pyodide…"); `done` when loading ended, well or not. */
  readonly onProgress?: (message: string, done: boolean) => void;
}


/** Longer than any cold start seen (10 s): a load that never settles must not leave a run waiting for ever. */
const LOAD_TIMEOUT_MS = 60_000;

/** A worker thread with Pyodide, loading or loaded. */
interface Loader {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** Its JavaScript heap's limit (`resourceLimits`), from the memory limit it was started for. */
  readonly memoryLimitMb: number;
  /** Receives the worker's messages about the current run. */
  listener: ((message: PyodideWorkerMessage) => void) | undefined;
  /** Called when the thread dies; `end` when the death says why (its heap ran out). */
  lost: ((error: string, end: RunEnd | undefined) => void) | undefined;
  /** What Pyodide printed while loading (a snapshot that did not load…), told when loading fails. */
  log: string;
}

/** A worker whose interpreter memory grew past this is replaced after its run (the memory would stay in the editor's process). */
const MAX_KEPT_MEMORY = 512 * 1024 * 1024;
/** During a run the editor's process may grow by the memory limit plus this, whatever grows it (JavaScript objects made from Python…). */
const MEMORY_MARGIN = 256 * 1024 * 1024;
const MEMORY_POLL_MS = 100;

export class PyodideHost {
  private loader: Loader | undefined;
  private current: TracedRun | undefined;
  private loadedVersion: string | undefined;
  private disposed = false;
  /** The memory limit of the latest run: a worker is started for it (its heap limit cannot change later). */
  private memoryLimitMb = DEFAULT_LIMITS.memoryLimitMb;

  constructor(private readonly options: PyodideHostOptions) {}

  /** "Pyodide 314.0.7, Python 3.14.2" once loaded. */
  get version(): string | undefined {
    return this.loadedVersion;
  }

  /** Starts loading now (the panel pre-warms when no CPython exists); rejects when Pyodide cannot load. */
  async warm(): Promise<void> {
    await this.load().ready;
  }

  /** Runs a snippet, stopping the previous run first. */
  run(options: { readonly code: string } & RunLimits): TracedRun {
    this.current?.stop();
    const run = this.start(options);
    this.current = run;
    void run.done.finally(() => {
      if (this.current === run) this.current = undefined;
    });
    return run;
  }

  dispose(): void {
    this.disposed = true;
    this.current?.stop();
    this.discard();
  }

  private start(options: { readonly code: string } & RunLimits): TracedRun {
    const called = Date.now();
    const limits = resolveLimits(options);
    this.memoryLimitMb = limits.memoryLimitMb;
    let limitTimer: NodeJS.Timeout | undefined;
    let memoryTimer: NodeJS.Timeout | undefined;
    let started: number | undefined;
    /** The worker running the snippet, once it was sent. */
    let running: Loader | undefined;
    let settled = false;
    /** `end` undefined: the snippet ended by itself (how, the events say). */
    let finishRun: (end: RunEnd | undefined, exitCode: number | null) => void = () => undefined;

    const done = new Promise<RunResult>((resolve) => {
      finishRun = (given, exitCode) => {
        if (settled) return;
        settled = true;
        clearTimeout(limitTimer);
        clearInterval(memoryTimer);
        if (running) {
          running.listener = undefined;
          running.lost = undefined;
          // Idle, it must not keep the process alive.
          if (running === this.loader) running.worker.unref();
        }
        const end = given ?? naturalEnd({ signal: null, outOfMemory: collector.outOfMemory, stderr: collector.stderr });
        const reason = endReason(end, limits, { exitCode });
        collector.finish(end, reason);
        resolve({ end, reason, exitCode, signal: null, events: collector.events, stderr: collector.stderr, milliseconds: Date.now() - (started ?? called), warnings: [] });
      };
    });
    /**
     * Ends the run now. The worker goes if it was given the snippet, and a
     * fresh one starts loading for the next run; one still loading is kept.
     */
    const kill = (end: RunEnd) => {
      if (settled) return;
      finishRun(end, null);
      if (!running) return;
      this.discard(running);
      if (!this.disposed) this.warm().catch(() => undefined);
    };
    const collector = new EventCollector(limits, kill);

    const receive = (message: PyodideWorkerMessage) => {
      switch (message.type) {
        case 'started': {
          started = Date.now();
          limitTimer = setTimeout(() => kill('timeout'), limits.timeLimitMs);
          const ceiling = process.memoryUsage.rss() + limits.memoryLimitMb * 2 ** 20 + MEMORY_MARGIN;
          memoryTimer = setInterval(() => process.memoryUsage.rss() > ceiling && kill('memory-limit'), MEMORY_POLL_MS);
          return;
        }
        case 'line':
          return collector.line(message.line);
        case 'stderr':
          return collector.addStderr(message.text);
        case 'overflow':
          return kill('output-cap');
        case 'finished':
          if (!message.error) {
            // WebAssembly memory never shrinks: a snippet that grew it a lot gives its worker up.
            if (message.memory > MAX_KEPT_MEMORY && running) {
              this.discard(running);
              if (!this.disposed) this.warm().catch(() => undefined);
            }
            return finishRun(undefined, 0);
          }
          // The tracer itself failed (a fatal Pyodide error, a stack overflow): the interpreter is not to be trusted again.
          collector.stderr += `The Pyodide runner failed: ${message.error}\n`;
          if (running) this.discard(running);
          return finishRun(undefined, 1);
        default:
          return;
      }
    };

    const begin = async () => {
      let loader: Loader;
      try {
        loader = this.load();
        await loader.ready;
      } catch (error) {
        collector.stderr += error instanceof Error ? error.message : String(error);
        return finishRun('failed-to-start', null);
      }
      // Stopped while Pyodide was loading: nothing to send.
      if (settled) return;
      if (loader !== this.loader) return finishRun('failed-to-start', null);
      running = loader;
      loader.listener = receive;
      loader.lost = (error, end) => {
        collector.stderr += error;
        finishRun(end, null);
      };
      loader.worker.ref();
      loader.worker.postMessage({
        type: 'run',
        code: options.code,
        maxEvents: limits.maxEvents,
        maxRepr: limits.maxRepr,
        maxOutputBytes: limits.maxOutputBytes,
        memoryLimitBytes: limits.memoryLimitMb * 2 ** 20,
      } satisfies PyodideRunRequest);
    };
    void begin();

    return { done, stop: () => kill('stopped') };
  }

  /** The worker, loading or loaded; a new one (with progress) after the last was terminated. */
  private load(): Loader {
    // A worker started for another memory limit is replaced (its heap limit is fixed at its start).
    if (this.loader && this.loader.memoryLimitMb !== this.memoryLimitMb) this.discard();
    if (this.loader) return this.loader;
    if (this.disposed) throw new Error('The Pyodide runner was disposed.');
    const { onProgress } = this.options;
    const data: PyodideWorkerData = {
      pyodideFolder: this.options.pyodideFolder,
      tracer: fs.readFileSync(this.options.tracer, 'utf8'),
      ...(this.options.cacheFolder ? { cacheFolder: this.options.cacheFolder } : {}),
    };
    const memoryLimitMb = this.memoryLimitMb;
    const worker = new Worker(this.options.workerScript, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb } });
    let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // Nobody may be waiting (a warm-up whose caller ignores failures).
    ready.catch(() => undefined);
    const loader: Loader = { worker, ready, memoryLimitMb, listener: undefined, lost: undefined, log: '' };
    const timeout = setTimeout(() => fail(`Pyodide did not load within ${LOAD_TIMEOUT_MS / 1000} s.`), LOAD_TIMEOUT_MS);
    const fail = (error: string, end?: RunEnd) => {
      clearTimeout(timeout);
      if (settle) onProgress?.(`Pyodide could not be loaded: ${error}`, true);
      settle?.reject(new Error(`Pyodide could not be loaded: ${error}${loader.log ? `\n${loader.log}` : ''}`));
      settle = undefined;
      loader.lost?.(error, end);
      this.discard(loader);
    };
    worker.on('message', (message: PyodideWorkerMessage) => {
      switch (message.type) {
        case 'progress':
          onProgress?.(message.message, false);
          return;
        case 'ready':
          clearTimeout(timeout);
          this.loadedVersion = message.version;
          onProgress?.(`${message.version} ready (${(message.milliseconds / 1000).toFixed(1)} s)`, true);
          settle?.resolve();
          settle = undefined;
          if (!loader.listener) worker.unref();
          return;
        case 'failed':
          return fail(message.error);
        case 'stderr':
          if (loader.listener) return loader.listener(message);
          if (loader.log.length < 16 * 1024) loader.log += message.text;
          return;
        default:
          loader.listener?.(message);
      }
    });
    // A worker whose JavaScript heap passed its `resourceLimits` dies with this code.
    worker.on('error', (error: NodeJS.ErrnoException) => fail(error.message, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory-limit' : undefined));
    worker.on('exit', (code) => {
      if (this.loader === loader) fail(`the worker thread exited (${code}).`);
    });
    this.loader = loader;
    return loader;
  }

  /** Terminates a worker (the current one by default); the next run loads a fresh one. */
  private discard(loader = this.loader): void {
    if (!loader) return;
    if (this.loader === loader) this.loader = undefined;
    loader.listener = undefined;
    void loader.worker.terminate();
  }
}
