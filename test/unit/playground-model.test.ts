import * as assert from 'node:assert/strict';
import type { TraceEvent } from '../../src/playground/events';
import type { HostMessage } from '../../src/playground/protocol';
import type { RunResult } from '../../src/playground/run';
import { PlaygroundModel, summarize, type Run } from '../../src/playground/webview/model';
import { layoutLanes, MAX_ROWS } from '../../src/playground/webview/lanes';
import { WaitStats } from '../../src/playground/webview/waits';
import { seconds, summaryLine, verdict } from '../../src/playground/webview/text';
import * as snippets from '../webview/snippets';

/*
 * The playground webview's model: what it makes of events from real CPython
 * and Node runs (lanes, order, ends, errors, the summary), and the overlap
 * arithmetic on hand-checked intervals.
 */

const S = 1e9;

function messagesOf(runId: string, group: string, position: number, groupSize: number, title: string, source: string, result: RunResult, language: 'python' | 'typescript' = 'python'): HostMessage[] {
  return [
    { type: 'runStarted', runId, group, position, groupSize, title, language, runtime: { kind: language === 'python' ? 'cpython' : 'node', label: 'test' }, source },
    { type: 'events', runId, events: result.events },
    { type: 'runEnded', runId, end: result.end, milliseconds: result.milliseconds, exitCode: result.exitCode },
  ];
}

function modelOf(...messages: HostMessage[]): PlaygroundModel {
  const model = new PlaygroundModel();
  for (const message of messages) model.apply(message);
  return model;
}

function waits(...intervals: [at: number, wait: number][]): WaitStats {
  const stats = new WaitStats();
  for (const [at, wait] of intervals) stats.add(at, wait);
  return stats;
}

describe('playground webview: overlap arithmetic', () => {
  it('back-to-back waits do not overlap', () => {
    const stats = waits([1, 1], [2, 1], [3, 1]);
    assert.deepEqual([stats.total, stats.covered, stats.overlapped, stats.peak], [3, 3, 0, 1]);
  });

  it('two identical waits overlap entirely, two at once', () => {
    const stats = waits([1, 1], [1, 1]);
    assert.deepEqual([stats.total, stats.covered, stats.overlapped, stats.peak], [2, 1, 1, 2]);
  });

  it('partly overlapping waits: (0, 2] and (1, 3] share one unit', () => {
    const stats = waits([2, 2], [3, 2]);
    assert.deepEqual([stats.total, stats.covered, stats.overlapped, stats.peak], [4, 3, 1, 2]);
  });

  it('a long wait that arrives last, over two short overlapping ones: three at once', () => {
    const stats = waits([3, 1], [3.5, 1], [10, 10]);
    assert.deepEqual([stats.total, stats.covered, stats.overlapped, stats.peak], [12, 10, 2, 3]);
  });

  it('waits arriving out of order, apart and bridged', () => {
    const apart = waits([5, 1], [3, 1]);
    assert.deepEqual([apart.total, apart.covered, apart.overlapped, apart.peak], [2, 2, 0, 1]);
    // (0, 1] and (2, 3], then (0.5, 2.5] bridges them: the union is (0, 3].
    const bridged = waits([1, 1], [3, 1], [2.5, 2]);
    assert.deepEqual([bridged.total, bridged.covered, bridged.overlapped, bridged.peak], [4, 3, 1, 2]);
  });

  it('three tasks waiting together; items that did not wait count for nothing', () => {
    const stats = waits([1, 1], [1, 1], [1, 1], [1.5, 0], [2, 0]);
    assert.deepEqual([stats.total, stats.covered, stats.overlapped, stats.peak], [3, 1, 2, 3]);
  });

  it('the summary line says whether anything overlapped', () => {
    assert.equal(summaryLine({ wall: 1.21 * S, items: 6, waiting: 1.2 * S, overlapped: 0, peak: 1 }), '1.21 s wall · 6 items · 1.20 s waiting · nothing overlapped');
    assert.equal(summaryLine({ wall: 0.61 * S, items: 6, waiting: 1.2 * S, overlapped: 0.6 * S, peak: 2 }), '0.61 s wall · 6 items · 1.20 s waiting · 0.60 s overlapped, 2 at once');
    // Clock noise is not concurrency.
    assert.match(summaryLine({ wall: 1e9, items: 2, waiting: 1e9, overlapped: 1000, peak: 2 }), /nothing overlapped$/);
    assert.equal(verdict({ title: 'One after another', wall: 1.21 * S }, { title: 'TaskGroup', wall: 0.61 * S }), 'TaskGroup finished in 0.61 s, 2.0× faster than One after another (1.21 s).');
    assert.equal(seconds(3.25e6), '3.3 ms');
  });

  it('100,000 items over four tasks: four lanes, four at once (how fast: bench/playground.ts)', () => {
    const model = modelOf({ type: 'runStarted', runId: 'r', group: 'g', position: 0, groupSize: 1, title: 't', language: 'python', runtime: { kind: 'cpython', label: 'x' }, source: 'x' });
    const events: TraceEvent[] = [{ t: 'loop', loop: 1, line: 1, col: 0, kind: 'for' }];
    for (let i = 0; i < 100_000; i++) events.push({ t: 'item', loop: 1, n: Math.floor(i / 4) + 1, at: 1000 + i * 10, wait: 40, task: `t${i % 4}`, value: String(i) });
    for (let i = 0; i < events.length; i += 500) model.apply({ type: 'events', runId: 'r', events: events.slice(i, i + 500) });
    const summary = summarize(model.runs[0]!);
    assert.equal(summary.items, 100_000);
    assert.equal(summary.peak, 4);
    assert.equal(model.runs[0]!.lanes.length, 4);
    assert.equal(layoutLanes(model.runs[0]!.lanes).rows.length, 4);
  });

  it('10,000 consumers of one loop, all waiting at once: one lane each, folded into one row past a few hundred', () => {
    const model = modelOf({ type: 'runStarted', runId: 'r', group: 'g', position: 0, groupSize: 1, title: 't', language: 'python', runtime: { kind: 'cpython', label: 'x' }, source: 'x' });
    const events: TraceEvent[] = [{ t: 'loop', loop: 1, line: 1, col: 0, kind: 'for' }, { t: 'loop', loop: 2, line: 2, col: 0, kind: 'for' }];
    for (let i = 0; i < 10_000; i++) events.push({ t: 'item', loop: 1, n: 1, at: S + i, wait: S, task: `Task-${i}`, value: String(i) });
    // A second loop of a few tasks keeps its lanes.
    for (let i = 0; i < 3; i++) events.push({ t: 'item', loop: 2, n: 1, at: 3 * S, wait: 1000, task: `Task-${i}`, value: String(i) });
    model.apply({ type: 'events', runId: 'r', events });
    const run = model.runs[0]!;
    assert.equal(summarize(run).peak, 10_000);
    assert.equal(run.lanes.length, 10_003);
    const layout = layoutLanes(run.lanes, MAX_ROWS);
    assert.deepEqual(layout.rows.map((row) => (row.kind === 'loop' ? `loop ${row.loop}: ${row.lanes.length} lanes` : `lane ${row.lane.task}`)), ['loop 1: 10000 lanes', 'lane Task-0', 'lane Task-1', 'lane Task-2']);
    assert.equal(layout.rowOf[9_999], 0);
    assert.equal(layout.rowOf[10_002], 3);
    // Few lanes are never folded.
    assert.equal(layoutLanes(run.lanes.slice(-3), MAX_ROWS).rows.every((row) => row.kind === 'lane'), true);
  });
});

describe('playground webview: the model on real runs', function () {
  this.timeout(60_000);
  let pySequential: RunResult;
  let pyTaskGroup: RunResult;

  before(async () => {
    pySequential = await snippets.python(snippets.PY_SEQUENTIAL);
    pyTaskGroup = await snippets.python(snippets.PY_TASKGROUP);
    assert.equal(pySequential.end, 'exited', pySequential.stderr);
    assert.equal(pyTaskGroup.end, 'exited', pyTaskGroup.stderr);
  });

  const pair = () =>
    modelOf(...messagesOf('g1-1', 'g1', 0, 2, 'One after another', snippets.PY_SEQUENTIAL, pySequential), ...messagesOf('g1-2', 'g1', 1, 2, 'TaskGroup', snippets.PY_TASKGROUP, pyTaskGroup));

  it('Python, one after another: one lane, six items in order, no overlap', () => {
    const [run] = pair().runs as [Run, Run];
    assert.equal(run.lanes.length, 1);
    const [lane] = run.lanes;
    assert.deepEqual([lane!.line, lane!.task, lane!.kind, lane!.text], [snippets.PY_LOOP_LINE, 'Task-1', 'for', 'async for page in fetch_pages(name, 0.1):']);
    assert.deepEqual(run.items.map((item) => [item.order, item.n, item.value]), [
      [1, 1, "'a-page-0'"],
      [2, 2, "'a-page-1'"],
      [3, 3, "'a-page-2'"],
      [4, 1, "'b-page-0'"],
      [5, 2, "'b-page-1'"],
      [6, 3, "'b-page-2'"],
    ]);
    assert.deepEqual(lane!.ends.map((end) => [end.reason, end.items]), [['exhausted', 3], ['exhausted', 3]]);
    // Output interleaved in true order: each print right after its item, each loop's end after its last print.
    assert.deepEqual(run.rows.map((row) => row.kind).join(' '), 'item out item out item out end item out item out item out end');
    const summary = summarize(run);
    assert.equal(summary.overlapped, 0);
    assert.equal(summary.peak, 1);
    assert.ok(summary.waiting > 0.55 * S, seconds(summary.waiting));
    assert.ok(summary.wall >= summary.waiting, 'one after another takes at least the sum of its waits');
    assert.match(summaryLine(summary), /^\d+\.\d\d s wall · 6 items · \d+\.\d\d s waiting · nothing overlapped$/);
  });

  it('Python, TaskGroup: one lane per task, items alternating, waits overlapping two at once', () => {
    const model = pair();
    const [sequential, concurrent] = model.runs as [Run, Run];
    assert.deepEqual(concurrent.lanes.map((lane) => [lane.line, lane.task]), [
      [snippets.PY_LOOP_LINE, 'a'],
      [snippets.PY_LOOP_LINE, 'b'],
    ]);
    assert.deepEqual(concurrent.items.map((item) => item.lane), [0, 1, 0, 1, 0, 1]);
    const summary = summarize(concurrent);
    assert.equal(summary.peak, 2);
    // Two tasks: at most half the waiting can overlap.
    assert.ok(summary.overlapped > 0 && summary.overlapped <= summary.waiting / 2, seconds(summary.overlapped));
    assert.match(summaryLine(summary), /overlapped, 2 at once$/);
    // Which one wins is the verdict's business (checked on fixed numbers above); here it names both.
    assert.match(verdict({ title: 'One after another', wall: summarize(sequential).wall }, { title: 'TaskGroup', wall: summary.wall }), /TaskGroup.*One after another|One after another.*TaskGroup/);
    assert.equal(model.span, Math.max(summarize(sequential).wall, summary.wall));
    assert.equal(model.running, false);
  });

  it('TypeScript, Promise.all vs one after another: lanes per function instance', async () => {
    const sequential = await snippets.node(snippets.TS_SEQUENTIAL);
    const concurrent = await snippets.node(snippets.TS_PROMISE_ALL);
    const model = modelOf(...messagesOf('a', 'g', 0, 2, 'One after another', snippets.TS_SEQUENTIAL, sequential, 'typescript'), ...messagesOf('b', 'g', 1, 2, 'Promise.all', snippets.TS_PROMISE_ALL, concurrent, 'typescript'));
    const [first, second] = model.runs as [Run, Run];
    assert.deepEqual(first.lanes.map((lane) => lane.task), ['readAll#1', 'readAll#2']);
    assert.deepEqual(second.lanes.map((lane) => lane.task), ['readAll#1', 'readAll#2']);
    assert.equal(summarize(first).peak, 1);
    assert.equal(summarize(second).peak, 2);
    assert.equal(second.lanes[0]!.text, 'for await (const page of fetchPages(name)) {');
  });

  it('a break and an error: lane ends with reasons, the error with its frames, in order', async () => {
    const result = await snippets.python(snippets.PY_ERROR);
    const [run] = modelOf(...messagesOf('e', 'g', 0, 1, 'ticks', snippets.PY_ERROR, result)).runs as [Run];
    assert.deepEqual(run.lanes.map((lane) => [lane.line, lane.ends.map((end) => end.reason)]), [
      [snippets.PY_ERROR_LINES.breakLoop, ['break']],
      [snippets.PY_ERROR_LINES.errorLoop, ['error']],
    ]);
    assert.equal(run.error?.type, 'ValueError');
    assert.equal(run.error?.message, 'ValueError: tick 3 is broken');
    assert.deepEqual(run.error?.frames.map((frame) => frame.line).at(-1), snippets.PY_ERROR_LINES.raise);
    assert.equal(run.rows.at(-1)?.kind, 'error');
    assert.deepEqual(run.outputs.map((output) => output.text), ['tick 0\n', 'tick 1\n', 'tick 2\n']);
  });

  it('replays, new groups and saved state', () => {
    const model = pair();
    const saved = model.save(10_000)!;
    const restored = new PlaygroundModel();
    restored.restore(JSON.parse(JSON.stringify(saved)));
    assert.deepEqual(restored.runs.map((run) => summaryLine(summarize(run))), model.runs.map((run) => summaryLine(summarize(run))));
    assert.deepEqual(restored.runs.map((run) => run.rows.length), model.runs.map((run) => run.rows.length));

    // Capped: the first events are kept, and the run says so.
    const small = new PlaygroundModel();
    small.restore(model.save(5)!);
    assert.equal(small.runs[0]!.events.length, 5);
    assert.match(small.runs[0]!.ended?.message ?? '', /first events/);

    // The host replays the current group after a reload: the same run starts afresh, not twice.
    const replayed = pair();
    replayed.apply(messagesOf('g1-1', 'g1', 0, 2, 'One after another', snippets.PY_SEQUENTIAL, pySequential)[0]!);
    assert.equal(replayed.runs[0]!.items.length, 0);
    assert.equal(replayed.runs.length, 2);
    assert.equal(replayed.running, true);
    // A new group replaces the view.
    replayed.apply({ type: 'runStarted', runId: 'g2-1', group: 'g2', position: 0, groupSize: 1, title: 'x', language: 'python', runtime: { kind: 'cpython', label: 'x' }, source: '' });
    assert.deepEqual(replayed.runs.map((run) => run.runId), ['g2-1']);
    // Events for a run that is not shown are ignored.
    assert.equal(replayed.apply({ type: 'events', runId: 'g1-2', events: [{ t: 'exit', at: 1 }] }), false);
  });

  it('joins a line written in pieces into one output row', () => {
    const model = modelOf({ type: 'runStarted', runId: 'r', group: 'g', position: 0, groupSize: 1, title: 't', language: 'python', runtime: { kind: 'cpython', label: 'x' }, source: '' }, {
      type: 'events',
      runId: 'r',
      events: [
        { t: 'out', stream: 'stdout', at: 1, text: 'a' },
        { t: 'out', stream: 'stdout', at: 2, text: 'b\n' },
        { t: 'out', stream: 'stderr', at: 3, text: 'c\n' },
        { t: 'out', stream: 'stdout', at: 4, text: 'd\n' },
      ],
    });
    assert.deepEqual(model.runs[0]!.outputs.map((output) => [output.stream, output.text]), [
      ['stdout', 'ab\n'],
      ['stderr', 'c\n'],
      ['stdout', 'd\n'],
    ]);
  });
});
