/*
 * What every runner does with the tracer's output (a child's fd 3, or
 * Pyodide's worker messages): count its bytes as they arrive, cut it into
 * lines, parse and validate each JSON line, keep the events, hand them on in
 * batches, and say when a cap is reached. The snippet's other output (stdout,
 * stderr) counts against the same output cap, so no channel, and no single
 * line, is ever held in memory past the cap.
 */

import { parseTraceEvent, type ExitEvent, type RunEnd, type TraceEvent } from './events';

/** Bounds and delivery, common to every runtime. */
export interface RunLimits {
  readonly timeLimitMs?: number;
  readonly maxEvents?: number;
  /** Bytes of output on every channel (events, stdout, stderr) before the run is stopped. */
  readonly maxOutputBytes?: number;
  /** Memory the snippet may use, in MiB (how it is enforced depends on the runtime). */
  readonly memoryLimitMb?: number;
  readonly maxRepr?: number;
  /** Events are delivered in batches, at most every `batchMs`. */
  readonly batchMs?: number;
  readonly onEvents?: (events: readonly TraceEvent[]) => void;
}

export const DEFAULT_LIMITS = { timeLimitMs: 5000, maxEvents: 10_000, maxOutputBytes: 4 * 1024 * 1024, memoryLimitMb: 1024, maxRepr: 200, batchMs: 16 };

export type ResolvedLimits = typeof DEFAULT_LIMITS & Pick<RunLimits, 'onEvents'>;

export function resolveLimits(options: RunLimits): ResolvedLimits {
  const limits = { ...DEFAULT_LIMITS };
  // An option given as undefined keeps its default.
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (limits as Record<string, unknown>)[key] = value;
  return limits as ResolvedLimits;
}

/** What the interpreter printed outside the tracer is kept up to this size. */
const MAX_STDERR = 64 * 1024;
const NEWLINE = 0x0a;

export class EventCollector {
  readonly events: TraceEvent[] = [];
  stderr = '';
  private batch: TraceEvent[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private bytes = 0;
  /** The output cap was reached: nothing more is read. */
  private full = false;
  /** The start of the line under way on the event channel. */
  private partial: Buffer[] = [];
  /** The tracer's own exit event, held back to be the last one (see `finish`). */
  private exit: ExitEvent | undefined;
  private wall: number | undefined;
  private latest = 0;
  private lastError: TraceEvent | undefined;

  /** @param stop called when the output cap or the event cap is reached */
  constructor(
    private readonly limits: ResolvedLimits,
    private readonly stop: (end: RunEnd) => void,
  ) {}

  /** Counts `count` bytes of output; false once the cap is passed (the run is being stopped). */
  count(count: number): boolean {
    if (this.full) return false;
    this.bytes += count;
    if (this.bytes <= this.limits.maxOutputBytes) return true;
    this.full = true;
    this.partial = [];
    this.stop('output-cap');
    return false;
  }

  /** Raw bytes of the event channel, cut into lines here (a line is only joined once it is whole, and never past the cap). */
  chunk(data: Buffer): void {
    if (!this.count(data.length)) return;
    let start = 0;
    for (let newline = data.indexOf(NEWLINE); newline !== -1; newline = data.indexOf(NEWLINE, start)) {
      this.partial.push(data.subarray(start, newline));
      this.parse(Buffer.concat(this.partial).toString('utf8'));
      this.partial = [];
      start = newline + 1;
    }
    if (start < data.length) this.partial.push(data.subarray(start));
  }

  /** One whole line of the channel, without its newline (Pyodide's worker sends lines). */
  line(text: string): void {
    if (this.count(Buffer.byteLength(text) + 1)) this.parse(text);
  }

  /** What the interpreter wrote outside the tracer: counted, and kept up to a size. */
  addStderr(data: Buffer | string): void {
    if (!this.count(typeof data === 'string' ? Buffer.byteLength(data) : data.length)) return;
    if (this.stderr.length < MAX_STDERR) this.stderr += data.toString();
  }

  /** The snippet's uncaught error was running out of memory (Python's MemoryError, V8 failing to allocate). */
  get outOfMemory(): boolean {
    const error = this.lastError;
    return error?.t === 'error' && (error.type === 'MemoryError' || (error.type === 'RangeError' && /allocation failed|could not allocate/i.test(error.message)));
  }

  /** Delivers what is pending now. */
  flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.batch.length === 0) return;
    const delivered = this.batch;
    this.batch = [];
    this.limits.onEvents?.(delivered);
  }

  /**
   * Ends the events with the one exit event, saying how and why the run
   * ended, and delivers the rest. `endedAt` (epoch ms) is when the snippet's
   * process ended, for an exit event the tracer could not write itself.
   */
  finish(end: RunEnd, reason: string, endedAt = Date.now()): void {
    const at = this.exit?.at ?? Math.max(this.latest, this.wall === undefined ? 0 : Math.round((endedAt / 1000 - this.wall) * 1e9));
    this.add({ t: 'exit', at, end, reason });
    this.flush();
  }

  private parse(text: string): void {
    if (!text) return;
    let event: TraceEvent | undefined;
    try {
      // The snippet can write to the channel too: only well-formed events count.
      event = parseTraceEvent(JSON.parse(text));
    } catch {
      return;
    }
    if (!event) return;
    if (event.t === 'exit') {
      this.exit = event;
      return;
    }
    if (event.t === 'start') this.wall = event.wall;
    if (event.t === 'error') this.lastError = event;
    if ('at' in event) this.latest = Math.max(this.latest, event.at);
    this.add(event);
    if (event.t === 'cap') this.stop('event-cap');
  }

  private add(event: TraceEvent): void {
    this.events.push(event);
    this.batch.push(event);
    this.batchTimer ??= setTimeout(() => this.flush(), this.limits.batchMs);
  }
}
