/*
 * The playground's Pyodide runner: a worker thread that loads Pyodide (the
 * zero-install Python) from the folder in `workerData`, then runs snippets
 * one at a time under the CPython runner's own tracer (python/tracer.py),
 * posting each event line back as it is written. A snippet runs synchronously
 * here: the tracer makes asyncio wait by sleeping this thread (see its
 * "Pyodide" section), and the host stops a run by terminating the thread.
 *
 * Each run is bounded here as well as by the host: the interpreter's
 * WebAssembly memory may not grow past the run's memory limit (Python then
 * raises MemoryError), and output past the output cap is never posted (the
 * thread waits to be terminated instead), so the editor's process never
 * holds more than the limits allow.
 *
 * Loading takes seconds; a memory snapshot of the loaded interpreter, kept in
 * the cache folder, cuts that to a fraction (see snapshot.ts).
 */

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { PyodideInterface } from 'pyodide';
import { readSnapshot, snapshotFile, writeSnapshot } from './snapshot';

export interface PyodideWorkerData {
  readonly pyodideFolder: string;
  /** The tracer's source (python/tracer.py). */
  readonly tracer: string;
  readonly cacheFolder?: string;
}

export interface PyodideRunRequest {
  readonly type: 'run';
  readonly code: string;
  readonly maxEvents: number;
  readonly maxRepr: number;
  readonly maxOutputBytes: number;
  readonly memoryLimitBytes: number;
}

export type PyodideWorkerMessage =
  | { readonly type: 'progress'; readonly message: string }
  | { readonly type: 'ready'; readonly version: string; readonly milliseconds: number; readonly snapshot: SnapshotUse }
  | { readonly type: 'failed'; readonly error: string }
  /** The snippet starts now (the host's time limit starts here, not at loading). */
  | { readonly type: 'started' }
  /** One event of the tracer, as JSON text. */
  | { readonly type: 'line'; readonly line: string }
  /** What Pyodide printed outside the tracer. */
  | { readonly type: 'stderr'; readonly text: string }
  /** The run's output reached the cap: nothing more is posted, and the thread waits to be terminated. */
  | { readonly type: 'overflow' }
  /** `memory`: the size of the interpreter's WebAssembly memory now (it never shrinks). */
  | { readonly type: 'finished'; readonly error?: string; readonly memory: number };

/** How the interpreter was loaded: from a snapshot, fresh (and a snapshot saved), or fresh (no cache folder, or saving failed). */
export type SnapshotUse = 'restored' | 'saved' | 'none';

type LoadPyodide = (options: Record<string, unknown>) => Promise<PyodideInterface>;

const TRACER_MODULE = 'async_lens_tracer';
const WARM_UP = `import asyncio

async def numbers():
    yield 1

async def main():
    async for number in numbers():
        print(number)
    print([number async for number in numbers()])

asyncio.run(main())
`;
const TRACER_FOLDER = '/async_lens';

const post = (message: PyodideWorkerMessage) => parentPort!.postMessage(message);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Blocks this thread for `seconds` without spinning (Pyodide's own `time.sleep` busy-waits). */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (seconds: number) => {
  if (seconds > 0) Atomics.wait(sleeper, 0, 0, seconds * 1000);
};

/** The current run's bounds (none while Pyodide loads). */
let memoryLimit = Number.POSITIVE_INFINITY;
let outputLeft = Number.POSITIVE_INFINITY;

/*
 * Emscripten grows the interpreter's memory with WebAssembly.Memory's grow()
 * and takes a failure as malloc failing: CPython raises MemoryError. Refusing
 * to grow past the run's limit is a memory maximum Pyodide has no option for.
 */
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, pages: number): number {
  if (this.buffer.byteLength + pages * 65536 > memoryLimit) throw new RangeError('the playground\'s memory limit');
  return grow.call(this, pages);
};

/** Posts output while the run's output cap allows; past it, says so once and waits for the host to end this thread. */
function postOutput(message: PyodideWorkerMessage & { readonly type: 'line' | 'stderr' }): void {
  outputLeft -= Buffer.byteLength(message.type === 'line' ? message.line : message.text) + 1;
  if (outputLeft >= 0) {
    post(message);
    return;
  }
  post({ type: 'overflow' });
  Atomics.wait(sleeper, 0, 0);
}

async function load(data: PyodideWorkerData): Promise<PyodideInterface> {
  const started = performance.now();
  // By path, not by package name: the extension ships Pyodide's files in dist/pyodide/, with no node_modules.
  const { loadPyodide } = (await import(pathToFileURL(path.join(data.pyodideFolder, 'pyodide.mjs')).href)) as { loadPyodide: LoadPyodide };
  const options = {
    indexURL: data.pyodideFolder + path.sep,
    stdout: (text: string) => postOutput({ type: 'stderr', text: `${text}\n` }),
    stderr: (text: string) => postOutput({ type: 'stderr', text: `${text}\n` }),
  };
  const cached = data.cacheFolder && snapshotFile(data.cacheFolder, data.pyodideFolder);
  let snapshot: SnapshotUse = 'none';
  let pyodide: PyodideInterface | undefined;
  const saved = cached ? readSnapshot(cached) : undefined;
  if (saved) {
    post({ type: 'progress', message: 'Starting Pyodide (Python in WebAssembly) from its snapshot…' });
    try {
      pyodide = await loadPyodide({ ...options, _loadSnapshot: saved });
      snapshot = 'restored';
    } catch (error) {
      // A snapshot that passed its checksum but does not load: start fresh and replace it.
      post({ type: 'stderr', text: `Pyodide's snapshot did not load (${describe(error)}); loading afresh.\n` });
    }
  }
  if (!pyodide) {
    post({ type: 'progress', message: 'Loading Pyodide (Python in WebAssembly): a few seconds the first time…' });
    pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(cached) });
    if (cached) {
      try {
        // Right after loading, before anything else touches the interpreter: the snapshot holds Python's state only.
        writeSnapshot(cached, pyodide.makeMemorySnapshot());
        snapshot = 'saved';
      } catch (error) {
        post({ type: 'stderr', text: `Pyodide's snapshot could not be saved (${describe(error)}).\n` });
      }
    }
  }
  pyodide.FS.mkdirTree(TRACER_FOLDER);
  pyodide.FS.writeFile(`${TRACER_FOLDER}/${TRACER_MODULE}.py`, data.tracer);
  pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(TRACER_FOLDER)})`);
  const tracer = pyodide.pyimport(TRACER_MODULE);
  tracer.install_pyodide(sleep);
  // V8 compiles Pyodide's functions on first use: a first snippet would take ~100 ms more than the next ones.
  tracer.run(WARM_UP, () => undefined, 100, 100);
  const python = String(pyodide.runPython('import sys; sys.version.split()[0]'));
  // Pyodide finishes its start-up in tasks of its own (a few hundred ms): ready means a run starts at once.
  await new Promise((resolve) => setTimeout(resolve, 0));
  post({ type: 'ready', version: `Pyodide ${pyodide.version}, Python ${python}`, milliseconds: Math.round(performance.now() - started), snapshot });
  return pyodide;
}

function serve(pyodide: PyodideInterface): void {
  const tracer = pyodide.pyimport(TRACER_MODULE);
  const writeLine = (line: string) => postOutput({ type: 'line', line });
  parentPort!.on('message', (request: PyodideRunRequest) => {
    if (request.type !== 'run') return;
    memoryLimit = request.memoryLimitBytes;
    outputLeft = request.maxOutputBytes;
    post({ type: 'started' });
    const memory = () => (pyodide as unknown as { _module?: { HEAP8?: Uint8Array } })._module?.HEAP8?.length ?? 0;
    try {
      tracer.run(request.code, writeLine, request.maxEvents, request.maxRepr);
      post({ type: 'finished', memory: memory() });
    } catch (error) {
      post({ type: 'finished', error: describe(error), memory: memory() });
    }
  });
}

load(workerData as PyodideWorkerData).then(serve, (error: unknown) => post({ type: 'failed', error: describe(error) }));
