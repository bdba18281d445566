/*
 * The playground's view state, built from host messages: the current group
 * of runs, each run's lanes (one per loop and task), items, output and
 * summary. Pure (no DOM) and incremental: every event costs about O(1), so a
 * run of 50,000 events stays cheap to follow live.
 */

import type { EndEvent, ErrorEvent, LoopEvent, LoopKind, TraceEvent } from '../events';
import type { HostMessage, PlaygroundLanguage, RunEnd, RuntimeKind } from '../protocol';

type RunStarted = Extract<HostMessage, { type: 'runStarted' }>;
type RunEnded = Extract<HostMessage, { type: 'runEnded' }>;

export interface Lane {
  /** Position among the run's lanes, in order of first appearance. */
  readonly index: number;
  readonly loop: number;
  readonly task: string | null;
  /** 1-based line of the loop in the snippet (0 when the loop was never announced). */
  readonly line: number;
  readonly kind: LoopKind;
  /** The loop's source line, trimmed. */
  readonly text: string;
  /** Indices into `Run.items`, in arrival order. */
  readonly items: number[];
  /** Every time a loop instance in this lane ended (a loop can run more than once in one task). */
  readonly ends: EndEvent[];
}

export interface Item {
  /** 1-based order of arrival across the whole run. */
  readonly order: number;
  readonly lane: number;
  /** Order within its loop instance. */
  readonly n: number;
  readonly at: number;
  readonly wait: number;
  readonly task: string | null;
  readonly value: string;
}

export interface Output {
  readonly stream: 'stdout' | 'stderr';
  readonly at: number;
  readonly text: string;
}

/** One row of the ordered list: what happened, in the order it happened. */
export type Row =
  | { readonly kind: 'item'; readonly item: number }
  | { readonly kind: 'out'; readonly output: number }
  | { readonly kind: 'end'; readonly lane: number; readonly end: EndEvent }
  | { readonly kind: 'error'; readonly error: ErrorEvent };

export interface Summary {
  /** Nanoseconds from start to exit (or to the latest event while running). */
  readonly wall: number;
  readonly items: number;
  /** Sum of every item's wait. */
  readonly waiting: number;
  /** Waiting that happened while another wait was also under way: `waiting` minus the union of the wait intervals. */
  readonly overlapped: number;
  /** The most waits under way at one moment (1 = one at a time). */
  readonly peak: number;
}

export interface Run {
  readonly runId: string;
  readonly position: number;
  readonly title: string;
  readonly language: PlaygroundLanguage;
  readonly runtime: { readonly kind: RuntimeKind; readonly label: string };
  readonly source: string;
  readonly sourceLines: readonly string[];
  readonly loops: Map<number, LoopEvent>;
  readonly lanes: Lane[];
  readonly items: Item[];
  readonly outputs: Output[];
  readonly rows: Row[];
  error: ErrorEvent | undefined;
  /** The tracer's own event cap was reached. */
  capped: boolean;
  exitAt: number | undefined;
  /** The latest time any event reported. */
  latest: number;
  ended: { readonly end: RunEnd; readonly milliseconds: number; readonly exitCode: number | null; readonly message?: string } | undefined;
  /** Every event as received, for saving the view. */
  readonly events: TraceEvent[];
  readonly waits: WaitStats;
  readonly laneKeys: Map<string, number>;
}

export interface Group {
  readonly id: string;
  readonly size: number;
  /** By position; a slot is empty until its run starts. */
  readonly runs: (Run | undefined)[];
}

/**
 * Sum, union and peak overlap of wait intervals `(at - wait, at]`, kept
 * incrementally. Intervals arrive roughly in order of their end, so both
 * the merged union and the sorted ends only change near their tails.
 */
export class WaitStats {
  total = 0;
  covered = 0;
  peak = 0;
  /** Disjoint, sorted: [start0, end0, start1, end1, …]. */
  private readonly union: number[] = [];
  /** Every interval, sorted by end. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  add(at: number, wait: number): void {
    const start = at - wait;
    this.total += wait;
    this.peak = Math.max(this.peak, this.deepestAmong(start, at) + (wait > 0 ? 1 : 0));
    if (wait > 0) {
      this.merge(start, at);
      const index = upperBound(this.ends, at);
      this.ends.splice(index, 0, at);
      this.starts.splice(index, 0, start);
    }
  }

  get overlapped(): number {
    return this.total - this.covered;
  }

  /** How many earlier intervals are under way at once, at worst, somewhere inside (start, end]. */
  private deepestAmong(start: number, end: number): number {
    // Intervals that end at or before `start` cannot overlap; the rest are a suffix of `ends`.
    const from = upperBound(this.ends, start);
    if (from === this.ends.length || end <= start) return 0;
    const edges: [number, number][] = [];
    for (let i = from; i < this.ends.length; i++) {
      const s = Math.max(this.starts[i]!, start);
      const e = Math.min(this.ends[i]!, end);
      if (s < e) edges.push([s, 1], [e, -1]);
    }
    // At equal times, an end comes before a start: touching intervals do not overlap.
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let depth = 0;
    let deepest = 0;
    for (const [, step] of edges) {
      depth += step;
      deepest = Math.max(deepest, depth);
    }
    return deepest;
  }

  private merge(start: number, end: number): void {
    const u = this.union;
    const pairs = u.length / 2;
    // The first interval that ends at or after `start`, and the first that starts after `end`.
    let first = pairs;
    while (first > 0 && u[(first - 1) * 2 + 1]! >= start) first--;
    let last = first;
    while (last < pairs && u[last * 2]! <= end) last++;
    let mergedStart = start;
    let mergedEnd = end;
    for (let i = first; i < last; i++) {
      mergedStart = Math.min(mergedStart, u[i * 2]!);
      mergedEnd = Math.max(mergedEnd, u[i * 2 + 1]!);
      this.covered -= u[i * 2 + 1]! - u[i * 2]!;
    }
    this.covered += mergedEnd - mergedStart;
    u.splice(first * 2, (last - first) * 2, mergedStart, mergedEnd);
  }
}

/** The first index whose value is greater than `value` in an ascending array. */
function upperBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  if (high > 0 && values[high - 1]! <= value) return high;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function createRun(started: RunStarted): Run {
  return {
    runId: started.runId,
    position: started.position,
    title: started.title,
    language: started.language,
    runtime: started.runtime,
    source: started.source,
    sourceLines: started.source.split(/\r?\n/),
    loops: new Map(),
    lanes: [],
    items: [],
    outputs: [],
    rows: [],
    error: undefined,
    capped: false,
    exitAt: undefined,
    latest: 0,
    ended: undefined,
    events: [],
    waits: new WaitStats(),
    laneKeys: new Map(),
  };
}

function laneFor(run: Run, loop: number, task: string | null): number {
  const key = `${loop}\u0000${task ?? ''}`;
  let index = run.laneKeys.get(key);
  if (index === undefined) {
    const announced = run.loops.get(loop);
    const line = announced?.line ?? 0;
    index = run.lanes.length;
    run.lanes.push({ index, loop, task, line, kind: announced?.kind ?? 'for', text: (run.sourceLines[line - 1] ?? '').trim(), items: [], ends: [] });
    run.laneKeys.set(key, index);
  }
  return index;
}

/** Applies one trace event to its run. */
export function addEvent(run: Run, event: TraceEvent): void {
  run.events.push(event);
  if ('at' in event) run.latest = Math.max(run.latest, event.at);
  switch (event.t) {
    case 'loop':
      run.loops.set(event.loop, event);
      return;
    case 'item': {
      const lane = laneFor(run, event.loop, event.task);
      const index = run.items.length;
      run.items.push({ order: index + 1, lane, n: event.n, at: event.at, wait: event.wait, task: event.task, value: event.value });
      run.lanes[lane]!.items.push(index);
      run.rows.push({ kind: 'item', item: index });
      run.waits.add(event.at, event.wait);
      return;
    }
    case 'end': {
      const lane = laneFor(run, event.loop, event.task);
      run.lanes[lane]!.ends.push(event);
      run.rows.push({ kind: 'end', lane, end: event });
      return;
    }
    case 'out': {
      const previous = run.outputs.at(-1);
      const lastRow = run.rows.at(-1);
      // The tracer reports writes, not lines: a line written in pieces is joined into one row.
      if (previous && lastRow?.kind === 'out' && previous.stream === event.stream && !previous.text.endsWith('\n')) {
        run.outputs[run.outputs.length - 1] = { ...previous, text: previous.text + event.text };
        return;
      }
      run.outputs.push({ stream: event.stream, at: event.at, text: event.text });
      run.rows.push({ kind: 'out', output: run.outputs.length - 1 });
      return;
    }
    case 'error':
      run.error = event;
      run.rows.push({ kind: 'error', error: event });
      return;
    case 'cap':
      run.capped = true;
      return;
    case 'exit':
      run.exitAt = event.at;
      return;
    case 'start':
      return;
  }
}

export function summarize(run: Run): Summary {
  return {
    wall: run.exitAt ?? run.latest,
    items: run.items.length,
    waiting: run.waits.total,
    overlapped: run.waits.overlapped,
    peak: run.waits.peak,
  };
}

export const isRunning = (run: Run | undefined): boolean => run !== undefined && run.ended === undefined;

/** The lane's label: where the loop is and what it is. */
export function laneLabel(run: Run, lane: Lane): { line: string; code: string; detail: string } {
  const kind = lane.kind === 'comprehension' ? 'async comprehension' : run.language === 'python' ? 'async for' : 'for await';
  const task = lane.task === null ? 'no task' : run.language === 'python' ? `task ${lane.task}` : lane.task;
  return { line: lane.line > 0 ? `line ${lane.line}` : 'line ?', code: lane.text || kind, detail: `${kind} · ${task}` };
}

/** The playground's whole state: what a reload must restore. */
export class PlaygroundModel {
  group: Group | undefined;
  /** Bumped on every change, so the view knows when to draw. */
  version = 0;

  /** Applies a run message; returns whether it changed the group. */
  apply(message: HostMessage): boolean {
    switch (message.type) {
      case 'runStarted': {
        // A group of another id or shape starts a new view (ids are unique per session, so a restored view never mixes in).
        if (!this.group || this.group.id !== message.group || this.group.size !== message.groupSize) {
          this.group = { id: message.group, size: message.groupSize, runs: Array.from({ length: message.groupSize }, () => undefined) };
        }
        // A replay of the same run starts it afresh.
        this.group.runs[message.position] = createRun(message);
        break;
      }
      case 'events': {
        const run = this.run(message.runId);
        if (!run) return false;
        for (const event of message.events) addEvent(run, event);
        break;
      }
      case 'runEnded': {
        const run = this.run(message.runId);
        if (!run) return false;
        run.ended = endOf(message);
        break;
      }
      default:
        return false;
    }
    this.version++;
    return true;
  }

  run(runId: string): Run | undefined {
    return this.group?.runs.find((run) => run?.runId === runId);
  }

  get runs(): Run[] {
    return (this.group?.runs ?? []).filter((run): run is Run => run !== undefined);
  }

  get running(): boolean {
    return this.runs.some(isRunning) || (this.group !== undefined && this.runs.length < this.group.size && !this.runs.some((run) => run.ended?.end === 'stopped'));
  }

  /** The right end of the shared time axis: the longest run so far. */
  get span(): number {
    return Math.max(0, ...this.runs.map((run) => summarize(run).wall));
  }

  /** The group as messages (capped), to save with `setState` and replay on restore. */
  save(maxEvents: number): SavedGroup | undefined {
    if (!this.group) return undefined;
    let budget = maxEvents;
    const runs: SavedRun[] = [];
    for (const run of this.runs) {
      const events = run.events.length <= budget ? run.events : run.events.slice(0, budget);
      budget -= events.length;
      runs.push({
        started: { type: 'runStarted', runId: run.runId, group: this.group.id, position: run.position, groupSize: this.group.size, title: run.title, language: run.language, runtime: run.runtime, source: run.source },
        events,
        truncated: events.length < run.events.length,
        ...(run.ended ? { ended: { type: 'runEnded', runId: run.runId, ...run.ended } } : {}),
      });
    }
    return { runs };
  }

  restore(saved: SavedGroup): void {
    for (const run of saved.runs) {
      const { runId } = run.started;
      this.apply(run.started);
      this.apply({ type: 'events', runId, events: run.events });
      const notes = [run.ended?.message, run.ended ? undefined : 'The view was reloaded during this run.', run.truncated ? 'Only its first events were kept across the reload.' : undefined];
      const message = notes.filter((note) => note !== undefined).join('\n');
      // A run under way when the view was saved is shown as stopped there, unless the host replays it.
      this.apply({ ...(run.ended ?? { type: 'runEnded', runId, end: 'stopped', milliseconds: 0, exitCode: null }), ...(message ? { message } : {}) });
    }
  }
}

export interface SavedRun {
  readonly started: RunStarted;
  readonly events: readonly TraceEvent[];
  readonly truncated: boolean;
  readonly ended?: RunEnded;
}
export interface SavedGroup {
  readonly runs: readonly SavedRun[];
}

function endOf(message: RunEnded): NonNullable<Run['ended']> {
  return { end: message.end, milliseconds: message.milliseconds, exitCode: message.exitCode, ...(message.message !== undefined ? { message: message.message } : {}) };
}
