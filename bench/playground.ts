/*
 * Playground benchmarks, not timed tests (see bench/README.md):
 *   - Run → first item event in the extension host, CPython and Node (the
 *     Node path includes the TypeScript instrumenter's worker, cold and warm);
 *   - tracer overhead per item: the same loop timed inside the snippet, with
 *     and without the tracer, on CPython and Node;
 *   - the end of a run: finding and killing what the snippet left (contain.ts),
 *     by cgroup and by the environment scan;
 *   - the panel's model taking in events: 100,000 items on four tasks, and a
 *     real run of 9,990 consumers all waiting at once.
 * How fast the panel draws what arrives is bench/playground-render.js.
 *
 *   npx tsx bench/playground.ts        (after `node esbuild.js`)
 */

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Containment } from '../src/playground/contain';
import type { TraceEvent } from '../src/playground/events';
import { SnippetTransformer } from '../src/playground/js/transformer';
import { runPython, runTransformed, type TracedRun } from '../src/playground/run';
import { PlaygroundModel, summarize } from '../src/playground/webview/model';
import { PY_CONSUMERS } from '../test/webview/snippets';

const ROOT = path.join(__dirname, '..');
const TRACER = path.join(ROOT, 'src', 'playground', 'python', 'tracer.py');
const RUNTIME = path.join(ROOT, 'src', 'playground', 'js', 'runtime.mjs');
const WORKER = path.join(ROOT, 'dist', 'transform-worker.js');
const REPEATS = 7;
const ITEMS = 100_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const PYTHON_FIRST = `import asyncio
async def belt():
    yield "plate"
async def main():
    async for plate in belt():
        pass
asyncio.run(main())
`;
const TS_FIRST = `async function* belt(): AsyncGenerator<string> { yield 'plate'; }
for await (const plate of belt()) { void plate; }
`;

/** Milliseconds from starting `start` to its first item event. */
function firstItem(start: (onEvents: (events: readonly { t: string }[]) => void) => TracedRun | Promise<TracedRun>): Promise<number> {
  const began = performance.now();
  return new Promise((resolve, reject) => {
    let seen = false;
    Promise.resolve(
      start((events) => {
        if (!seen && events.some((event) => event.t === 'item')) {
          seen = true;
          resolve(performance.now() - began);
        }
      }),
    ).then(
      (run) =>
        run.done.then((result) => {
          if (!seen) reject(new Error(`no item: ${result.end} ${result.stderr}`));
        }),
      reject,
    );
  });
}

const PYTHON_LOOP = `import asyncio, time
async def belt(n):
    for i in range(n):
        yield i
async def main():
    started = time.perf_counter()
    async for plate in belt(${ITEMS}):
        pass
    print("ELAPSED", time.perf_counter() - started)
asyncio.run(main())
`;

const TS_LOOP = `async function* belt(n: number): AsyncGenerator<number> { for (let i = 0; i < n; i++) yield i; }
const started = performance.now();
for await (const plate of belt(${ITEMS})) { void plate; }
console.log('ELAPSED', (performance.now() - started) / 1000);
`;

function elapsedOf(text: string): number {
  const match = /ELAPSED ([\d.e-]+)/.exec(text);
  if (!match) throw new Error(`no ELAPSED in ${text.slice(0, 300)}`);
  return Number(match[1]);
}

async function main(): Promise<void> {
  if (!fs.existsSync(WORKER)) throw new Error('build first: node esbuild.js');
  const python = execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
  console.log(`Playground benchmarks (${python}, Node ${process.version}, ${os.cpus().length} CPUs; medians of ${REPEATS})\n`);

  // ---- Run → first item --------------------------------------------------
  const cpython: number[] = [];
  for (let i = 0; i < REPEATS; i++) cpython.push(await firstItem((onEvents) => runPython({ code: PYTHON_FIRST, tracer: TRACER, onEvents })));
  const bare = median(Array.from({ length: REPEATS }, () => {
    const began = performance.now();
    execFileSync('python3', ['-c', 'pass']);
    return performance.now() - began;
  }));

  const transformer = new SnippetTransformer(WORKER);
  const runtimeUrl = pathToFileURL(RUNTIME).href;
  const viaWorker = (onEvents: (events: readonly { t: string }[]) => void) =>
    transformer.transform(TS_FIRST, runtimeUrl, 'snippet.ts').then((transformed) => runTransformed(transformed, { onEvents }));
  const nodeCold = await firstItem(viaWorker);
  const nodeWarm: number[] = [];
  for (let i = 0; i < REPEATS; i++) nodeWarm.push(await firstItem(viaWorker));
  const nodeBare = median(Array.from({ length: REPEATS }, () => {
    const began = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    return performance.now() - began;
  }));

  console.log('Run → first item event (extension host side)');
  console.log(`  CPython                      ${median(cpython).toFixed(0).padStart(5)} ms   (python3 -c pass alone: ${bare.toFixed(0)} ms)`);
  console.log(`  Node, instrumenter cold      ${nodeCold.toFixed(0).padStart(5)} ms   (loads TypeScript in its worker once)`);
  console.log(`  Node, instrumenter warm      ${median(nodeWarm).toFixed(0).padStart(5)} ms   (node -e 0 alone: ${nodeBare.toFixed(0)} ms)`);

  // ---- tracer overhead per item -----------------------------------------
  const limits = { maxEvents: ITEMS * 3, maxOutputBytes: 512 * 1024 * 1024, timeLimitMs: 120_000 };
  const untracedPython: number[] = [];
  const tracedPython: number[] = [];
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-bench-'));
  const plain = path.join(folder, 'loop.py');
  fs.writeFileSync(plain, PYTHON_LOOP);
  for (let i = 0; i < 3; i++) {
    untracedPython.push(elapsedOf(execFileSync('python3', [plain], { encoding: 'utf8' })));
    const result = await runPython({ code: PYTHON_LOOP, tracer: TRACER, ...limits }).done;
    tracedPython.push(elapsedOf(result.events.map((event) => (event.t === 'out' ? event.text : '')).join('')));
  }
  const untracedNode: number[] = [];
  const tracedNode: number[] = [];
  const plainJs = path.join(folder, 'loop.mjs');
  // The untraced program: the same loop without the runtime import or the wrapper.
  fs.writeFileSync(plainJs, TS_LOOP.replace(/: AsyncGenerator<number>|: number/g, ''));
  const tracedTs = await transformer.transform(TS_LOOP, runtimeUrl, 'snippet.ts');
  for (let i = 0; i < 3; i++) {
    untracedNode.push(elapsedOf(execFileSync(process.execPath, [plainJs], { encoding: 'utf8' })));
    const result = await runTransformed(tracedTs, limits).done;
    tracedNode.push(elapsedOf(result.events.map((event) => (event.t === 'out' ? event.text : '')).join('')));
  }
  fs.rmSync(folder, { recursive: true, force: true });
  transformer.dispose();

  const perItem = (traced: number[], untraced: number[]) => ((median(traced) - median(untraced)) / ITEMS) * 1e6;
  console.log(`\nTracer overhead per item (${ITEMS.toLocaleString('en')} items from an async generator, no sleeps, timed inside the snippet; best case for the loop, worst case for the tracer)`);
  console.log(`  CPython   untraced ${(median(untracedPython) * 1e3).toFixed(0).padStart(5)} ms   traced ${(median(tracedPython) * 1e3).toFixed(0).padStart(6)} ms   → ${perItem(tracedPython, untracedPython).toFixed(1)} µs per item`);
  console.log(`  Node      untraced ${(median(untracedNode) * 1e3).toFixed(0).padStart(5)} ms   traced ${(median(tracedNode) * 1e3).toFixed(0).padStart(6)} ms   → ${perItem(tracedNode, untracedNode).toFixed(1)} µs per item`);
}

let mechanism = '';

/** Milliseconds to end a run's processes: a sleeper that left the process group, found and killed. */
async function sweep(cgroup: boolean): Promise<number> {
  const containment = new Containment(randomBytes(8).toString('hex'), { cgroup });
  if (cgroup) mechanism = containment.mechanism;
  const leader = spawn('python3', ['-c', 'import subprocess; subprocess.Popen(["sleep", "60"], start_new_session=True)'], { env: { ...process.env, ...containment.env }, stdio: 'ignore' });
  containment.adopt(leader.pid!);
  await new Promise((resolve) => leader.on('exit', resolve));
  const began = performance.now();
  const problems = await containment.sweep();
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return performance.now() - began;
}

/** Milliseconds for the panel's model to take in `events` in the runner's batches. */
function ingest(events: readonly TraceEvent[]): { ms: number; peak: number } {
  const model = new PlaygroundModel();
  model.apply({ type: 'runStarted', runId: 'r', group: 'g', position: 0, groupSize: 1, title: 'bench', language: 'python', runtime: { kind: 'cpython', label: 'bench' }, source: '' });
  const began = performance.now();
  for (let i = 0; i < events.length; i += 256) model.apply({ type: 'events', runId: 'r', events: events.slice(i, i + 256) });
  return { ms: performance.now() - began, peak: summarize(model.runs[0]!).peak };
}

async function ends(): Promise<void> {
  const byCgroup: number[] = [];
  const byScan: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    byCgroup.push(await sweep(true));
    byScan.push(await sweep(false));
  }
  const processes = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  console.log(`\nEnd of a run: killing a process that left the run's process group (${processes} processes on the machine)`);
  console.log(`  ${mechanism === 'cgroup' ? 'cgroup.kill, then the environment scan' : `no writable cgroup here (${mechanism}): the scan alone`}   ${median(byCgroup).toFixed(1).padStart(6)} ms`);
  console.log(`  the environment scan alone               ${median(byScan).toFixed(1).padStart(6)} ms`);

  const four: TraceEvent[] = [];
  for (let i = 0; i < 100_000; i++) four.push({ t: 'item', loop: 1, n: Math.floor(i / 4) + 1, at: 1000 + i * 10, wait: 40, task: `t${i % 4}`, value: String(i) });
  const consumers = await runPython({ code: PY_CONSUMERS(9990), tracer: TRACER, maxEvents: 30_000, timeLimitMs: 120_000 }).done;
  console.log(`\nThe panel's model taking in a run (in batches of 256, median of ${REPEATS})`);
  for (const [label, events] of [['100,000 items on 4 tasks', four], [`9,990 consumers (real CPython run, ${consumers.events.length.toLocaleString('en')} events)`, consumers.events]] as const) {
    const runs = Array.from({ length: REPEATS }, () => ingest(events));
    console.log(`  ${label.padEnd(52)} ${median(runs.map((run) => run.ms)).toFixed(0).padStart(6)} ms   (${runs[0]!.peak.toLocaleString('en')} waiting at once)`);
  }
}

main()
  .then(ends)
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
