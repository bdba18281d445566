/*
 * Why a run ended, decided once for every runner and said in a few words
 * ("out of memory (limit 1 GB)", "killed by signal SIGSEGV", "time limit
 * (5 s)"): the exit event, the panel's summary and its lane ends show them.
 */

import type { ResolvedLimits } from './collect';
import type { RunEnd } from './events';

/** How the snippet's process (or thread) ended by itself, when no bound or Stop ended it first. */
export function naturalEnd(facts: { readonly signal: string | null; readonly outOfMemory: boolean; readonly stderr: string }): RunEnd {
  // V8 aborts when its heap is full (--max-old-space-size): a signal, with these words on stderr.
  if (facts.outOfMemory || /JavaScript heap out of memory/.test(facts.stderr)) return 'memory-limit';
  return facts.signal ? 'killed' : 'exited';
}

export function endReason(end: RunEnd, limits: Pick<ResolvedLimits, 'timeLimitMs' | 'maxEvents' | 'maxOutputBytes' | 'memoryLimitMb'>, facts: { readonly signal?: string | null; readonly exitCode?: number | null } = {}): string {
  switch (end) {
    case 'exited':
      return facts.exitCode ? `exited with code ${facts.exitCode}` : 'exited';
    case 'timeout':
      return `time limit (${trim(limits.timeLimitMs / 1000)} s)`;
    case 'stopped':
      return 'stopped';
    case 'event-cap':
      return `event limit (${limits.maxEvents.toLocaleString('en')} events)`;
    case 'output-cap':
      return `output limit (${size(limits.maxOutputBytes / 2 ** 20)})`;
    case 'memory-limit':
      return `out of memory (limit ${size(limits.memoryLimitMb)})`;
    case 'killed':
      return `killed by signal ${facts.signal ?? 'unknown'}`;
    case 'failed-to-start':
      return 'failed to start';
  }
}

/** MiB as people read them: "512 MB", "1 GB", "1.5 GB". */
function size(mb: number): string {
  return mb >= 1024 ? `${trim(mb / 1024)} GB` : `${trim(mb)} MB`;
}

const trim = (value: number) => String(Number(value.toFixed(1)));
