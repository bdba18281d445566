/*
 * Which rows the timeline draws for a run: one per lane (a loop on one task)
 * while there are few; past `MAX_ROWS`, the loops with the most lanes are
 * each folded into one row, drawn as a density (how many of its tasks were
 * waiting, and how many items arrived, at each moment), so that ten thousand
 * consumers of one loop read as one band and stay cheap to take in and draw.
 * Pure (no DOM), so the unit tests check it.
 */

import type { Lane } from './model';

/** Rows of lanes a run shows at most before loops are folded: a few hundred stay readable and cheap. */
export const MAX_ROWS = 200;

export type LaneRow =
  | { readonly kind: 'lane'; readonly lane: Lane }
  /** Every lane of one loop, folded into one row. */
  | { readonly kind: 'loop'; readonly loop: number; readonly lanes: readonly Lane[] };

export interface LaneLayout {
  readonly rows: readonly LaneRow[];
  /** The row each lane is drawn in, by lane index. */
  readonly rowOf: readonly number[];
}

export function layoutLanes(lanes: readonly Lane[], maxRows = MAX_ROWS): LaneLayout {
  const byLoop = new Map<number, Lane[]>();
  for (const lane of lanes) {
    const list = byLoop.get(lane.loop);
    if (list) list.push(lane);
    else byLoop.set(lane.loop, [lane]);
  }
  // The loops with the most lanes fold first, until the rows fit; the others keep a row per lane.
  const folded = new Set<number>();
  let count = lanes.length;
  const crowded = [...byLoop].filter(([, list]) => list.length > 1).sort((a, b) => b[1].length - a[1].length);
  for (const [loop, list] of crowded) {
    if (count <= maxRows) break;
    folded.add(loop);
    count -= list.length - 1;
  }
  const rows: LaneRow[] = [];
  const rowOf: number[] = [];
  const loopRows = new Map<number, number>();
  for (const lane of lanes) {
    if (!folded.has(lane.loop)) {
      rowOf[lane.index] = rows.length;
      rows.push({ kind: 'lane', lane });
      continue;
    }
    let row = loopRows.get(lane.loop);
    if (row === undefined) {
      row = rows.length;
      loopRows.set(lane.loop, row);
      rows.push({ kind: 'loop', loop: lane.loop, lanes: byLoop.get(lane.loop)! });
    }
    rowOf[lane.index] = row;
  }
  return { rows, rowOf };
}

/** A short key of the layout: the timeline rebuilds its row labels only when it changes. */
export const layoutKey = (layout: LaneLayout): string => layout.rows.map((row) => (row.kind === 'lane' ? row.lane.index : `L${row.loop}`)).join(',');
