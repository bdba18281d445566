/*
 * The waiting of a run, kept incrementally as items arrive: the sum of the
 * wait intervals `(at - wait, at]`, their union, and the most under way at
 * one moment. Thousands of consumers waiting at once (a TaskGroup of 10,000)
 * cost O(log n) per item, not a pass over every overlapping wait.
 */

export class WaitStats {
  total = 0;
  covered = 0;
  /** Disjoint, sorted: [start0, end0, start1, end1, …]. Intervals arrive roughly in order of their end, so it changes near its tail. */
  private readonly union: number[] = [];
  private readonly edges = new EdgeTree();

  add(at: number, wait: number): void {
    this.total += wait;
    if (wait <= 0) return;
    const start = at - wait;
    this.merge(start, at);
    // At equal times an end counts before a start: touching intervals do not overlap.
    this.edges.insert(start, 1);
    this.edges.insert(at, -1);
  }

  get overlapped(): number {
    return this.total - this.covered;
  }

  /** The most waits under way at one moment (1 = one at a time). */
  get peak(): number {
    return this.edges.deepest;
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

/**
 * The intervals' edges (+1 where a wait starts, -1 where it ends) in a treap
 * ordered by time, each subtree knowing its sum and its largest prefix sum:
 * the depth at a moment is the sum of the edges before it, so the deepest
 * overlap is the whole tree's largest prefix sum. Nodes live in parallel
 * arrays (no object per edge).
 */
class EdgeTree {
  private readonly time: number[] = [];
  private readonly step: number[] = [];
  private readonly priority: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly sum: number[] = [];
  /** The largest prefix sum of the subtree, the empty prefix included (so never below 0). */
  private readonly best: number[] = [];
  private root = -1;

  get deepest(): number {
    return this.root < 0 ? 0 : this.best[this.root]!;
  }

  insert(time: number, step: number): void {
    const node = this.time.length;
    this.time.push(time);
    this.step.push(step);
    this.priority.push(Math.random());
    this.left.push(-1);
    this.right.push(-1);
    this.sum.push(step);
    this.best.push(Math.max(0, step));
    this.root = this.insertUnder(this.root, node);
  }

  private insertUnder(at: number, node: number): number {
    if (at < 0) return node;
    if (this.time[node]! < this.time[at]! || (this.time[node] === this.time[at] && this.step[node]! < this.step[at]!)) {
      this.left[at] = this.insertUnder(this.left[at]!, node);
      if (this.priority[this.left[at]!]! > this.priority[at]!) return this.rotateRight(at);
    } else {
      this.right[at] = this.insertUnder(this.right[at]!, node);
      if (this.priority[this.right[at]!]! > this.priority[at]!) return this.rotateLeft(at);
    }
    this.update(at);
    return at;
  }

  private rotateRight(at: number): number {
    const child = this.left[at]!;
    this.left[at] = this.right[child]!;
    this.right[child] = at;
    this.update(at);
    this.update(child);
    return child;
  }

  private rotateLeft(at: number): number {
    const child = this.right[at]!;
    this.right[at] = this.left[child]!;
    this.left[child] = at;
    this.update(at);
    this.update(child);
    return child;
  }

  private update(node: number): void {
    const left = this.left[node]!;
    const right = this.right[node]!;
    const before = (left < 0 ? 0 : this.sum[left]!) + this.step[node]!;
    this.sum[node] = before + (right < 0 ? 0 : this.sum[right]!);
    this.best[node] = Math.max(left < 0 ? 0 : this.best[left]!, before + (right < 0 ? 0 : this.best[right]!));
  }
}
