/*
 * What every runner does with the tracer's output (a child's fd 3, or
 * Pyodide's worker messages): parse and validate each JSON line, keep the
 * events, hand them on in batches, and say when a cap is reached.
 */

import { parseTraceEvent, type TraceEvent } from './events';
import type { RunEnd } from './protocol';

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

export const DEFAULT_LIMITS = { timeLimitMs: 5000, maxEvents: 10_000, maxOutputBytes: 4 * 1024 * 1024, maxRepr: 200, batchMs: 16 };

export type ResolvedLimits = typeof DEFAULT_LIMITS & Pick<RunLimits, 'onEvents'>;

export function resolveLimits(options: RunLimits): ResolvedLimits {
  return { ...DEFAULT_LIMITS, ...options };
}

/** What the interpreter printed outside the tracer is kept up to this size. */
const MAX_STDERR = 64 * 1024;

export class EventCollector {
  readonly events: TraceEvent[] = [];
  stderr = '';
  private batch: TraceEvent[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private bytes = 0;

  /** @param stop called when the output cap or the event cap is reached */
  constructor(
    private readonly limits: ResolvedLimits,
    private readonly stop: (end: RunEnd) => void,
  ) {}

  /** One line of the tracer's channel (without its newline). */
  line(text: string): void {
    this.bytes += Buffer.byteLength(text) + 1;
    if (this.bytes > this.limits.maxOutputBytes) {
      this.stop('output-cap');
      return;
    }
    if (!text) return;
    let event: TraceEvent | undefined;
    try {
      // The snippet can write to the channel too: only well-formed events count.
      event = parseTraceEvent(JSON.parse(text));
    } catch {
      return;
    }
    if (!event) return;
    this.events.push(event);
    this.batch.push(event);
    this.batchTimer ??= setTimeout(() => this.flush(), this.limits.batchMs);
    if (event.t === 'cap') this.stop('event-cap');
  }

  /** What the interpreter wrote outside the tracer (kept, up to a size). */
  addStderr(text: string): void {
    if (this.stderr.length < MAX_STDERR) this.stderr += text;
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
}
