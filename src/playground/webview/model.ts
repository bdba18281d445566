/*
 * The playground's view state, built from host messages: the current group
 * of runs, each run's lanes (one per loop and task), items, output and
 * summary. Pure (no DOM) and incremental: every event costs about O(1), so a
 * run of 50,000 events stays cheap to follow live.
 */

import type { EndEvent, ErrorEvent, LoopEvent, LoopKind, TraceEvent } from '../events';
import type { HostMessage, PlaygroundLanguage, RunEnd, RuntimeKind } from '../protocol';
import { WaitStats } from './waits';

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
  /** Why the run ended, as its exit event says ("killed by signal SIGSEGV"). */
  exitReason: string | undefined;
  /** The latest time any event reported. */
  latest: number;
  ended: { readonly end: RunEnd; readonly milliseconds: number; readonly exitCode: number | null; readonly reason?: string; readonly message?: string } | undefined;
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

function createRun(started: RunStarted): Run {
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
    exitReason: undefined,
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
function addEvent(run: Run, event: TraceEvent): void {
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
      run.exitReason = event.reason;
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

const isRunning = (run: Run | undefined): boolean => run !== undefined && run.ended === undefined;

/** Why the run ended, when it did not end by itself: a limit, Stop, a signal ("out of memory (limit 1 GB)"). */
export function cutShort(run: Run): string | undefined {
  const ended = run.ended;
  if (!ended || ended.end === 'exited') return undefined;
  return ended.reason ?? run.exitReason ?? ended.end;
}

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
  return {
    end: message.end,
    milliseconds: message.milliseconds,
    exitCode: message.exitCode,
    ...(message.reason !== undefined ? { reason: message.reason } : {}),
    ...(message.message !== undefined ? { message: message.message } : {}),
  };
}
