/**
 * Seeded random edits of source text, the way an editor sees code while it is
 * being typed: half-written, with stray tokens, lines moved and duplicated.
 * Every mutation is a single splice, so a test can replay it as a
 * tree-sitter edit and compare incremental and fresh parses.
 */

/** mulberry32: a tiny, fast, seedable PRNG; good enough to pick edits. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Replace `text.slice(start, end)` with `insert`. */
export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly insert: string;
}

export function applySplice(text: string, splice: Splice): string {
  return text.slice(0, splice.start) + splice.insert + text.slice(splice.end);
}

/** Tokens that change the structure the rules look at the most. */
export const STRUCTURAL_TOKENS: readonly string[] = [
  'async ', 'await ', 'for ', ' in ', ':', '(', ')', '[', ']', '{', '}', '"""', "'''", '"', "'", '\t', '\n', '\r\n',
  '    ', 'yield ', 'def ', 'class ', 'lambda: ', '*', '**', ',', '.', '@', '#', '\\', 'return ', 'with ', 'if ', 'else',
  'async for x in ', 'for x in agen()', 'raise StopIteration', '__aiter__', '__anext__', 'anext(', 'aiter(', 'f"', 'b"',
];

/** Characters for random insertions, including ones that stress offsets and encodings. */
const ODD_CHARACTERS: readonly string[] = [
  'a', 'z', '_', '0', ' ', '\t', '\n', '\r', '\0', '\f', '\v', '\u00a0', '\u2028', '\ufeff', 'é', '😀', '\ud800', '\udc00',
  '$', '?', '!', '`', ';', '=', '-', '+', '%', '&', '|', '^', '~', '<', '>',
];

export type MutationKind =
  | 'truncate'
  | 'delete-characters'
  | 'insert-characters'
  | 'duplicate-characters'
  | 'delete-lines'
  | 'duplicate-lines'
  | 'swap-lines'
  | 'insert-token'
  | 'reindent-line';

export const MUTATION_KINDS: readonly MutationKind[] = [
  'truncate', 'delete-characters', 'insert-characters', 'duplicate-characters', 'delete-lines', 'duplicate-lines',
  'swap-lines', 'insert-token', 'reindent-line',
];

/** Offsets at which each line starts, plus the text length as a sentinel. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  if (starts[starts.length - 1] !== text.length) starts.push(text.length);
  return starts;
}

/** A random span of whole lines: [start of line a, start of line b). */
function lineSpan(random: Random, starts: readonly number[], maxLines: number): { start: number; end: number } {
  const first = random.int(starts.length - 1);
  const last = Math.min(starts.length - 1, first + random.between(1, maxLines));
  return { start: starts[first]!, end: starts[last]! };
}

export function randomSplice(random: Random, text: string, kind: MutationKind): Splice {
  const length = text.length;
  const at = () => random.int(length + 1);
  switch (kind) {
    case 'truncate': {
      const cut = at();
      return { start: cut, end: length, insert: '' };
    }
    case 'delete-characters': {
      const start = at();
      return { start, end: Math.min(length, start + random.between(1, 12)), insert: '' };
    }
    case 'insert-characters': {
      const count = random.between(1, 4);
      let insert = '';
      for (let i = 0; i < count; i++) insert += random.pick(ODD_CHARACTERS);
      const start = at();
      return { start, end: start, insert };
    }
    case 'duplicate-characters': {
      const from = at();
      const copied = text.slice(from, from + random.between(1, 40));
      const start = at();
      return { start, end: start, insert: copied };
    }
    case 'delete-lines': {
      const span = lineSpan(random, lineStarts(text), 3);
      return { ...span, insert: '' };
    }
    case 'duplicate-lines': {
      const span = lineSpan(random, lineStarts(text), 4);
      return { start: span.start, end: span.start, insert: text.slice(span.start, span.end) };
    }
    case 'swap-lines': {
      const starts = lineStarts(text);
      if (starts.length < 3) return { start: 0, end: 0, insert: '' };
      const a = random.int(starts.length - 2);
      const b = Math.min(starts.length - 2, a + random.between(1, 6));
      const lineA = text.slice(starts[a]!, starts[a + 1]!);
      const lineB = text.slice(starts[b]!, starts[b + 1]!);
      if (a === b) return { start: starts[a]!, end: starts[a]!, insert: '' };
      const middle = text.slice(starts[a + 1]!, starts[b]!);
      // Keep the line breaks where they were, so a last line without one stays last.
      const bodyA = lineA.replace(/\r?\n$/, '');
      const bodyB = lineB.replace(/\r?\n$/, '');
      return { start: starts[a]!, end: starts[b + 1]!, insert: bodyB + lineA.slice(bodyA.length) + middle + bodyA + lineB.slice(bodyB.length) };
    }
    case 'insert-token': {
      const start = at();
      return { start, end: start, insert: random.pick(STRUCTURAL_TOKENS) };
    }
    case 'reindent-line': {
      const starts = lineStarts(text);
      const line = starts[random.int(starts.length)]!;
      const indent = /^[ \t]*/.exec(text.slice(line))![0];
      const options = ['', '\t', ' ', '    ', indent + '    ', indent.slice(1), indent + '\t'];
      return { start: line, end: line + indent.length, insert: random.pick(options) };
    }
  }
}

/** Describes a splice well enough to find it again in a failure message. */
export function describeSplice(splice: Splice): string {
  return `replace [${splice.start}, ${splice.end}) with ${JSON.stringify(splice.insert.length > 60 ? `${splice.insert.slice(0, 60)}…` : splice.insert)}`;
}
