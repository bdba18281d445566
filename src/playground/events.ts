/*
 * The events a traced run reports (CPython tracer, Node runtime, Pyodide),
 * typed once and validated wherever they cross a boundary: the runner reads
 * them from a pipe the snippet could also write to, and the webview receives
 * them from the extension. Times are nanoseconds since the run started.
 * Nothing here imports Node or VS Code: the webview bundle uses it too.
 */

export type LoopKind = 'for' | 'comprehension';
export type LoopEnd = 'exhausted' | 'break' | 'error';

/**
 * How a run ended, in the runner's words: the snippet's own end (`exited`),
 * one of the run's bounds (a time, event, output or memory limit), a signal
 * from outside (`killed`: a crash, the OOM killer), Stop, or no start at all.
 */
export type RunEnd = 'exited' | 'timeout' | 'stopped' | 'event-cap' | 'output-cap' | 'memory-limit' | 'killed' | 'failed-to-start';
export const RUN_ENDS: ReadonlySet<string> = new Set<RunEnd>(['exited', 'timeout', 'stopped', 'event-cap', 'output-cap', 'memory-limit', 'killed', 'failed-to-start']);

export interface StartEvent {
  readonly t: 'start';
  /** Wall clock at start, Unix seconds. */
  readonly wall: number;
}
/** A loop was found in the snippet (announced before it runs). */
export interface LoopEvent {
  readonly t: 'loop';
  readonly loop: number;
  /** 1-based line and 0-based column of the loop in the snippet. */
  readonly line: number;
  readonly col: number;
  readonly kind: LoopKind;
  /** JS only: the enclosing function's name (JS has no task names). */
  readonly task?: string;
}
export interface ItemEvent {
  readonly t: 'item';
  readonly loop: number;
  /** 1-based order of the item within its loop instance. */
  readonly n: number;
  /** When it arrived. */
  readonly at: number;
  /** How long the loop waited for it (asked at `at - wait`). */
  readonly wait: number;
  /** The asyncio task (Python) or enclosing function plus instance (JS); null outside any task. */
  readonly task: string | null;
  /** repr / inspect of the value, truncated by the tracer. */
  readonly value: string;
}
export interface EndEvent {
  readonly t: 'end';
  readonly loop: number;
  readonly at: number;
  readonly task: string | null;
  readonly reason: LoopEnd;
  readonly items: number;
  readonly error?: string;
}
export interface OutEvent {
  readonly t: 'out';
  readonly stream: 'stdout' | 'stderr';
  readonly at: number;
  readonly text: string;
}
export interface ErrorFrame {
  /** 1-based line in the snippet. */
  readonly line: number;
  readonly name: string;
  readonly text: string;
}
export interface ErrorEvent {
  readonly t: 'error';
  readonly at: number;
  readonly type: string;
  readonly message: string;
  /** Only the snippet's own frames, outermost first. */
  readonly frames: readonly ErrorFrame[];
}
export interface CapEvent {
  readonly t: 'cap';
  readonly at: number;
  readonly events: number;
}
/**
 * The run is over: always the last event. The tracers write `t` and `at`;
 * the runner adds how the run ended and why in words ("killed by signal
 * SIGSEGV"), and writes the event itself when the tracer never could.
 */
export interface ExitEvent {
  readonly t: 'exit';
  readonly at: number;
  readonly end?: RunEnd;
  readonly reason?: string;
}

export type TraceEvent = StartEvent | LoopEvent | ItemEvent | EndEvent | OutEvent | ErrorEvent | CapEvent | ExitEvent;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isString = (value: unknown): value is string => typeof value === 'string';
const isTask = (value: unknown): value is string | null => value === null || typeof value === 'string';

/** The event if `value` is a well-formed one, else undefined (unknown kinds and bad fields are dropped, not trusted). */
export function parseTraceEvent(value: unknown): TraceEvent | undefined {
  if (!isObject(value)) return undefined;
  const e = value;
  switch (e.t) {
    case 'start':
      return typeof e.wall === 'number' ? (e as unknown as StartEvent) : undefined;
    case 'loop':
      return isCount(e.loop) && isCount(e.line) && isCount(e.col) && (e.kind === 'for' || e.kind === 'comprehension') && (e.task === undefined || isString(e.task))
        ? (e as unknown as LoopEvent)
        : undefined;
    case 'item':
      return isCount(e.loop) && isCount(e.n) && isCount(e.at) && isCount(e.wait) && isTask(e.task) && isString(e.value) ? (e as unknown as ItemEvent) : undefined;
    case 'end':
      return isCount(e.loop) &&
        isCount(e.at) &&
        isTask(e.task) &&
        (e.reason === 'exhausted' || e.reason === 'break' || e.reason === 'error') &&
        isCount(e.items) &&
        (e.error === undefined || isString(e.error))
        ? (e as unknown as EndEvent)
        : undefined;
    case 'out':
      return (e.stream === 'stdout' || e.stream === 'stderr') && isCount(e.at) && isString(e.text) ? (e as unknown as OutEvent) : undefined;
    case 'error':
      return isCount(e.at) &&
        isString(e.type) &&
        isString(e.message) &&
        Array.isArray(e.frames) &&
        e.frames.every((frame) => isObject(frame) && isCount(frame.line) && isString(frame.name) && isString(frame.text))
        ? (e as unknown as ErrorEvent)
        : undefined;
    case 'cap':
      return isCount(e.at) && isCount(e.events) ? (e as unknown as CapEvent) : undefined;
    case 'exit':
      return isCount(e.at) && (e.end === undefined || RUN_ENDS.has(e.end as string)) && (e.reason === undefined || isString(e.reason)) ? (e as unknown as ExitEvent) : undefined;
    default:
      return undefined;
  }
}
