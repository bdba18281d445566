/*
 * The misconception "this loop runs its work in parallel", decided the same
 * way for every language. A frontend walks one loop's body in its own syntax
 * and records, through `LoopFlowRecorder`, what flows through and between
 * iterations; `sequentialSite` then decides whether the loop is independent
 * work awaited one item at a time, asking the frontend only what syntax
 * must answer (is this awaited call independent work?).
 *
 * Values are tracked by access path (`x`, `self.items`, `this.cache[]` for
 * any element of `this.cache`), each with the tags of what it was computed
 * from in this iteration:
 *   - `item`: the loop's own variables (its target, or what a `while` loop
 *     steps through and tests: an index it moves by a constant, a worklist
 *     it pops from), which differ from one iteration to the next;
 *   - `await`: the result of an `await` earlier in this iteration;
 *   - `carried`: a value that may come from an earlier iteration: a path
 *     read before this iteration writes it, and written somewhere in the body.
 * Everything is conservative in the direction of "dependent": a write in a
 * branch does not count as definite, a write through an unknown call counts
 * as none, and whatever a frontend cannot follow makes `opaque` true, which
 * the decision reads as "stay silent".
 */

export type Tag = 'item' | 'await' | 'carried';
export type Tags = ReadonlySet<Tag>;

export const NO_TAGS: Tags = new Set();
const NO_NAMES: ReadonlySet<string> = new Set();

/** One wait in a loop's own body: an `await`, or a construct that awaits by itself (`async with`, a nested `async for` / `for await`). */
export interface AwaitSite<N> {
  readonly node: N;
  /** The awaited expression (`fetch(url)` of `await fetch(url)`), the context expression of `async with`, the iterated one of a nested async loop. */
  readonly awaited: N;
  /** What the awaited expression is computed from. */
  readonly tags: Tags;
  /** Whether it sits in the body of a `try` of the loop (a retry, or a per-item error handler). */
  readonly inTry: boolean;
  readonly kind: 'await' | 'async with' | 'async loop';
}

/** Control flow leaving the loop or skipping to the next iteration. */
export interface Exit<N> {
  readonly node: N;
  readonly kind: 'break' | 'continue' | 'return' | 'raise';
  /** The exit depends on an awaited value: its own value, a condition guarding it, or a handler around an await. */
  readonly dependsOnAwait: boolean;
}

export interface CarriedPath {
  /** An await produced the value carried to the next iteration. */
  readonly fromAwait: boolean;
  /** An awaited expression reads the carried value (a cursor, a counter). */
  readonly readByAwait: boolean;
}

/** What flows through one loop, and from one iteration to the next. */
export interface LoopFlow<N> {
  readonly loop: N;
  /** The names that hold this iteration's item. */
  readonly items: ReadonlySet<string>;
  /** Every wait of the loop's own body (nested loops included; nested functions not). */
  readonly awaits: readonly AwaitSite<N>[];
  readonly exits: readonly Exit<N>[];
  /** Paths whose value may come from an earlier iteration. */
  readonly carried: ReadonlyMap<string, CarriedPath>;
  /** A loop condition that reads something an await in the body produces (polling, reading until done). */
  readonly conditionReadsAwaited: boolean;
  /** The body does something the frontend does not follow: the decision stays silent. */
  readonly opaque: boolean;
  /** Paths the body changes in place (`results.append(x)`, `results.push(x)`), for the rules' fix shapes. */
  readonly mutated: ReadonlySet<string>;
  /** The `yield`s of the body (a generator's loop feeds its consumer item by item). */
  readonly yields: readonly N[];
}

export function unionTags(...sets: readonly Tags[]): Tags {
  if (sets.length === 1) return sets[0]!;
  const result = new Set<Tag>();
  for (const set of sets) for (const tag of set) result.add(tag);
  return result;
}

export function withTag(set: Tags, tag: Tag): Tags {
  if (set.has(tag)) return set;
  return unionTags(set, new Set([tag]));
}

/** The name an access path starts from (`a` of `a.b[]`). */
export function rootOf(path: string): string {
  return /^[^.[]+/.exec(path)?.[0] ?? path;
}

/** Whether two paths can refer to the same value (one is the other or a part of it). */
function pathsOverlap(a: string, b: string): boolean {
  const within = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(a, b) || within(b, a);
}

/** What one iteration has definitely written so far: path → tags of the value written. */
export interface FlowState {
  readonly env: Map<string, Tags>;
}

export function copyState(state: FlowState): FlowState {
  return { env: new Map(state.env) };
}

/** Keeps what both branches wrote (with the tags of both): a write on one branch only is not definite. */
export function meetStates(a: FlowState, b: FlowState): FlowState {
  const env = new Map<string, Tags>();
  for (const [path, tags] of a.env) {
    const other = b.env.get(path);
    if (other) env.set(path, unionTags(tags, other));
  }
  return { env };
}

/**
 * The bookkeeping of one loop's analysis, whatever the syntax: a frontend
 * first reports every write of the body (`noteWrite`, so that a read knows
 * whether the path is written later), then walks the body in order calling
 * `read`, `write`, `exit`, pushing awaits, guards and try depth as it goes.
 */
export class LoopFlowRecorder<N> {
  readonly awaits: AwaitSite<N>[] = [];
  readonly exits: Exit<N>[] = [];
  readonly mutated = new Set<string>();
  readonly yields: N[] = [];
  opaque = false;
  conditionReadsAwaited = false;
  /** Every path written anywhere in the body, with the tags of each write. */
  protected readonly writes = new Map<string, Tags>();
  /** Reads of a path before this iteration wrote it, and whether an awaited expression made them. */
  private readonly exposedReads: { path: string; byAwait: boolean }[] = [];
  protected tryDepth = 0;
  /** Tags of the conditions and handlers around the statement being walked. */
  protected readonly guards: Tags[] = [];
  protected awaitDepth = 0;

  /**
   * @param itemNames the loop's own variables
   * @param drivers those of them a loop steps itself (`i += 1`, `xs.pop()`): written in the body, yet not carried
   */
  constructor(
    protected readonly itemNames: ReadonlySet<string>,
    protected readonly drivers: ReadonlySet<string> = NO_NAMES,
  ) {}

  noteWrite(path: string, tags: Tags): void {
    this.writes.set(path, unionTags(this.writes.get(path) ?? NO_TAGS, tags));
  }

  /** The tags of a path read now; a read before any write of this iteration is carried when the body writes it. */
  read(path: string, state: FlowState): Tags {
    let tags: Tags = NO_TAGS;
    let definite = false;
    for (const [written, writtenTags] of state.env) {
      if (pathsOverlap(path, written)) {
        tags = unionTags(tags, writtenTags);
        if (written === path || path.startsWith(written)) definite = true;
      }
    }
    const root = rootOf(path);
    if (this.itemNames.has(root) && !definite) tags = withTag(tags, 'item');
    // A loop's own step (`i += 1`, `xs.pop()`) hands each round its item: that is what a `for` target does.
    if (!definite && !this.drivers.has(root)) {
      for (const written of this.writes.keys()) {
        if (!pathsOverlap(path, written)) continue;
        tags = withTag(tags, 'carried');
        this.exposedReads.push({ path, byAwait: this.awaitDepth > 0 });
        break;
      }
    }
    return tags;
  }

  write(path: string, tags: Tags, state: FlowState): void {
    state.env.set(path, tags);
    this.noteWrite(path, tags);
    // A write to `a` replaces `a.b` and `a[]` too.
    for (const known of [...state.env.keys()]) if (known !== path && known.startsWith(path) && pathsOverlap(path, known)) state.env.delete(known);
  }

  exit(node: N, kind: Exit<N>['kind'], ownTags: Tags): void {
    const dependsOnAwait = ownTags.has('await') || this.guards.some((guard) => guard.has('await'));
    this.exits.push({ node, kind, dependsOnAwait });
  }

  /** A loop condition's reads, checked against what the body's awaits produce; a condition the body changes reads a carried value. */
  condition(reads: readonly string[]): void {
    for (const path of reads) {
      for (const [written, tags] of this.writes) if (tags.has('await') && pathsOverlap(path, written)) this.conditionReadsAwaited = true;
    }
    if (reads.some((path) => [...this.writes.keys()].some((written) => pathsOverlap(path, written)))) {
      for (const path of reads) this.exposedReads.push({ path, byAwait: false });
    }
  }

  carried(): Map<string, CarriedPath> {
    const result = new Map<string, CarriedPath>();
    for (const { path, byAwait } of this.exposedReads) {
      for (const [written, tags] of this.writes) {
        // A driver's one write is its own step: it hands the next round its item, as a `for` target is handed one.
        if (!pathsOverlap(path, written) || this.drivers.has(rootOf(written))) continue;
        const entry = result.get(written) ?? { fromAwait: false, readByAwait: false };
        result.set(written, { fromAwait: entry.fromAwait || tags.has('await'), readByAwait: entry.readByAwait || byAwait });
      }
    }
    return result;
  }
}

/** What only a frontend can tell about one loop's waits. */
export interface SequentialQuestions<N> {
  /** Whether the site belongs to this loop itself: not a nested loop's, not a nested async loop. */
  ownSite(site: AwaitSite<N>): boolean;
  /** Whether awaiting the site is a piece of independent work (a request, a read, a subprocess…). */
  isWork(site: AwaitSite<N>): boolean;
  /** Whether the awaited expression is a call (a follow-up on this iteration's work is one: `await response.json()`). */
  awaitsCall(site: AwaitSite<N>): boolean;
}

/**
 * The misconception, decided: a loop whose every await is independent work
 * for its item (or a follow-up on what that work returned), with nothing
 * carried from one iteration to the next, no exit that depends on a result
 * or leaves the loop, no retry, and nothing else awaited (pacing, writes to
 * a shared sink, reads from a queue, promises already running: none of them
 * is work). Returns where the first piece of work is awaited, or undefined
 * when the loop is not (provably) independent work.
 */
export function sequentialSite<N>(flow: LoopFlow<N>, questions: SequentialQuestions<N>): AwaitSite<N> | undefined {
  // A `while` loop has an item only when it steps through one itself (an index, a worklist it pops).
  if (flow.opaque || flow.awaits.length === 0 || flow.items.size === 0) return undefined;
  // Polling, reading until done: the condition waits on what the body awaits.
  if (flow.conditionReadsAwaited) return undefined;
  // First-match searches, early returns and error exits: concurrency would change what runs.
  if (flow.exits.some((exit) => exit.kind !== 'continue' || exit.dependsOnAwait)) return undefined;
  for (const { fromAwait, readByAwait } of flow.carried.values()) if (fromAwait || readByAwait) return undefined;
  let first: AwaitSite<N> | undefined;
  for (const site of flow.awaits) {
    // A nested loop's awaits are that loop's to judge; a retry wraps its await in `try`.
    if (site.inTry || site.kind === 'async loop' || !questions.ownSite(site)) return undefined;
    // Work that reads what an earlier iteration left behind (a counter, a cursor) is not independent.
    if (site.tags.has('carried')) return undefined;
    const work = questions.isWork(site);
    if (work && site.tags.has('item')) {
      first ??= site;
      continue;
    }
    // Anything else must work on what this iteration's work returned (`await response.json()`).
    if (!work && !(site.tags.has('await') && questions.awaitsCall(site))) return undefined;
  }
  return first;
}
