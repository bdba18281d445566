/*
 * The words and numbers the playground shows: durations, the summary line,
 * the comparison's verdict. Pure, so the unit tests read the same sentences
 * the user does.
 */

import type { LoopEnd } from '../events';
import type { Summary } from './model';

/** A duration in nanoseconds as people read it: "1.21 s", "0.61 s", "3.2 ms". */
export function seconds(ns: number): string {
  if (ns >= 10e9) return `${(ns / 1e9).toFixed(1)} s`;
  if (ns >= 10e6) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

const NUMBER = new Intl.NumberFormat('en');
export const count = (value: number): string => NUMBER.format(value);
export const plural = (value: number, one: string, many = `${one}s`): string => `${count(value)} ${value === 1 ? one : many}`;

/** Overlap below this is clock noise, not concurrency. */
const NOISE_NS = 1e6;

const overlaps = (summary: Summary): boolean => summary.peak > 1 && summary.overlapped >= NOISE_NS;

export interface SummaryPart {
  readonly value: string;
  readonly label: string;
  /** What comes before this part: " · " or ", ". */
  readonly joiner: string;
}

/** The summary as numbers and their words, for the view to set the numbers large. */
export function summaryParts(summary: Summary): SummaryPart[] {
  const parts: SummaryPart[] = [
    { value: seconds(summary.wall), label: 'wall', joiner: '' },
    { value: count(summary.items), label: summary.items === 1 ? 'item' : 'items', joiner: ' · ' },
    { value: seconds(summary.waiting), label: 'waiting', joiner: ' · ' },
  ];
  if (overlaps(summary)) parts.push({ value: seconds(summary.overlapped), label: 'overlapped', joiner: ' · ' }, { value: count(summary.peak), label: 'at once', joiner: ', ' });
  else parts.push({ value: 'nothing', label: 'overlapped', joiner: ' · ' });
  return parts;
}

/** "1.21 s wall · 6 items · 1.20 s waiting · nothing overlapped". */
export const summaryLine = (summary: Summary): string => summaryParts(summary).map((part) => `${part.joiner}${part.value} ${part.label}`).join('');

export interface Timed {
  readonly title: string;
  readonly wall: number;
}

/** One line that says which of two runs was faster, and by how much. */
export function verdict(first: Timed, second: Timed): string {
  const [fast, slow] = first.wall <= second.wall ? [first, second] : [second, first];
  if (fast.wall <= 0) return `${first.title}: ${seconds(first.wall)} · ${second.title}: ${seconds(second.wall)}`;
  const ratio = slow.wall / fast.wall;
  if (ratio < 1.1) return `${first.title} (${seconds(first.wall)}) and ${second.title} (${seconds(second.wall)}) took about as long.`;
  return `${fast.title} finished in ${seconds(fast.wall)}, ${ratio.toFixed(1)}× faster than ${slow.title} (${seconds(slow.wall)}).`;
}

export const END_WORDS: Record<LoopEnd, string> = { exhausted: 'exhausted', break: 'left early (break)', error: 'raised' };
