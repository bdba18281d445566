/// <reference lib="dom" />
/*
 * The timeline: every run of the group stacked on one shared time axis, one
 * lane per (loop, task), a marble where each item arrived and a bar for the
 * wait before it; past a few hundred lanes, the most crowded loops fold into
 * one row each, drawn as a density (lanes.ts). Marks are drawn on a canvas
 * (cheap at 50,000 items); lane labels are real buttons; the marbles are
 * reached with the arrow keys on the focusable canvas, which says what is
 * under its cursor in a live region.
 */

import type { LoopEnd } from '../events';
import { h, setText } from './dom';
import { layoutKey, layoutLanes, type LaneLayout, type LaneRow } from './lanes';
import { cutShort, laneLabel, summarize, type Item, type Lane, type Run } from './model';
import type { Palette } from './palette';
import { END_WORDS, count, plural, seconds } from './text';

export const LANE_HEIGHT = 36;
/** Lanes take the theme's chart colours in turn (the stylesheet's --lane-0…4). */
const LANE_COLORS = 5;
const OUTPUT_HEIGHT = 22;
const AXIS_HEIGHT = 24;
const PAD_LEFT = 10;
const PAD_RIGHT = 56;
const RADIUS = 5.5;

export interface TimelineHost {
  highlight(runId: string, line: number | null): void;
  reveal(runId: string, line: number): void;
  /** Something only this timeline shows changed (hover, focus): draw again soon. */
  redraw(): void;
}

/** Time (ns) ↔ x (CSS px) on the plot, shared by every run of the group. */
export class Scale {
  constructor(
    readonly span: number,
    readonly width: number,
  ) {}
  x(t: number): number {
    return PAD_LEFT + (t / this.span) * (this.width - PAD_LEFT - PAD_RIGHT);
  }
  t(x: number): number {
    return ((x - PAD_LEFT) / (this.width - PAD_LEFT - PAD_RIGHT)) * this.span;
  }
  /** Round tick times, about one per 90 px. */
  ticks(): { step: number; times: number[] } {
    const wanted = Math.max(2, Math.floor((this.width - PAD_LEFT - PAD_RIGHT) / 90));
    const step = niceStep(this.span / wanted);
    const times: number[] = [];
    for (let t = 0; t <= this.span + step / 1000; t += step) times.push(t);
    return { step, times };
  }
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** The axis's right end: a round value past `wall`, so a live run does not rescale every frame. */
export function niceSpan(wall: number): number {
  const floor = 1e6;
  if (wall <= floor) return floor * 10;
  const step = niceStep(wall / 10);
  return Math.ceil((wall * 1.04) / step) * step;
}

function tickLabel(t: number, step: number): string {
  if (t === 0) return '0';
  if (step >= 1e9) return `${t / 1e9} s`;
  if (step >= 1e6) {
    const decimals = Math.max(0, Math.ceil(-Math.log10(step / 1e9) - 1e-9));
    return `${(t / 1e9).toFixed(decimals)} s`;
  }
  return `${(t / 1e6).toFixed(Math.max(0, Math.ceil(-Math.log10(step / 1e6) - 1e-9)))} ms`;
}

type Hover =
  | { readonly kind: 'item'; readonly index: number }
  | { readonly kind: 'end'; readonly lane: number; readonly end: number }
  /** A moment of a folded loop's row: the pixel column under the pointer. */
  | { readonly kind: 'moment'; readonly row: number; readonly from: number; readonly to: number }
  | { readonly kind: 'out'; readonly index: number }
  | { readonly kind: 'error' };

type LoopRow = Extract<LaneRow, { kind: 'loop' }>;

/** A lane has not seen its loop end since its last item (the run was cut short under it). */
const unfinished = (run: Run, lane: Lane): boolean => lane.items.length > 0 && (lane.ends.at(-1)?.at ?? -1) < run.items[lane.items.at(-1)!]!.at;

/** The timeline of one run: its header, lane labels, canvas and detail line. */
class RunTimeline {
  readonly element: HTMLElement;
  private readonly title = h('span', { class: 'run-title' });
  private readonly runtime = h('span', { class: 'run-runtime' });
  private readonly status = h('span', { class: 'run-status' });
  private readonly labels = h('div', { class: 'lane-labels' });
  private readonly canvas = h('canvas', { class: 'lanes-canvas', tabindex: 0, role: 'group', 'aria-roledescription': 'timeline' });
  private readonly detail = h('div', { class: 'detail', 'aria-live': 'polite' });
  private rowButtons: HTMLButtonElement[] = [];
  private layout: LaneLayout = { rows: [], rowOf: [] };
  private layoutKey = '';
  /** How many lanes the layout was made for. */
  private laidOut = 0;
  private outputLabel: HTMLElement | undefined;
  private focused: number | undefined;
  private hovered: Hover | undefined;
  private scale = new Scale(1, 1);
  run: Run;

  constructor(
    run: Run,
    private readonly host: TimelineHost,
    private readonly tooltip: HTMLElement,
  ) {
    this.run = run;
    this.element = h(
      'section',
      { class: 'run-timeline', 'data-run': run.runId },
      h('div', { class: 'run-head' }, this.title, this.runtime, this.status),
      h('div', { class: 'lanes' }, this.labels, this.canvas),
      this.detail,
    );
    this.canvas.addEventListener('mousemove', (event) => this.onMouseMove(event));
    this.canvas.addEventListener('mouseleave', () => this.setHover(undefined));
    this.canvas.addEventListener('click', (event) => this.onClick(event));
    this.canvas.addEventListener('keydown', (event) => this.onKey(event));
    this.canvas.addEventListener('focus', () => {
      if (this.focused === undefined && this.run.items.length > 0) this.focused = 0;
      this.showFocused();
    });
    this.canvas.addEventListener('blur', () => {
      this.host.highlight(this.run.runId, null);
      this.host.redraw();
    });
  }

  /** Brings the DOM up to date with the run (new lanes, status), without drawing. */
  sync(): void {
    const run = this.run;
    setText(this.title, run.title);
    setText(this.runtime, run.runtime.label);
    const summary = summarize(run);
    const cut = cutShort(run);
    setText(this.status, run.ended ? (cut ?? '') : `running… ${seconds(summary.wall)}`);
    this.status.classList.toggle('running', !run.ended);
    this.status.classList.toggle('cut', cut !== undefined);
    this.layout = layoutLanes(run.lanes);
    this.laidOut = run.lanes.length;
    const key = layoutKey(this.layout);
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      for (const button of this.rowButtons) button.remove();
      this.rowButtons = this.layout.rows.map((row, index) => this.addRowButton(row, index));
    }
    this.layout.rows.forEach((row, index) => (row.kind === 'lane' ? this.describeLane(this.rowButtons[index]!, row.lane) : this.describeLoop(this.rowButtons[index]!, row)));
    const wantsOutput = run.outputs.length > 0 || run.error !== undefined;
    if (wantsOutput && !this.outputLabel) {
      this.outputLabel = h('div', { class: 'lane-label output-label' }, h('span', { class: 'lane-code' }, run.error ? 'output, error' : 'output'));
      this.labels.append(this.outputLabel);
    } else if (this.outputLabel) setText(this.outputLabel.firstElementChild as HTMLElement, run.error ? 'output, error' : 'output');
    const folded = this.layout.rows.length < run.lanes.length ? `, drawn in ${plural(this.layout.rows.length, 'row')}` : '';
    this.canvas.setAttribute('aria-label', `Timeline of ${run.title}: ${plural(run.items.length, 'item')} in ${plural(run.lanes.length, 'lane')}${folded}. Arrow keys move between items, Enter shows the loop in the editor.`);
    if (this.focused === undefined && !this.hovered && this.detail.childElementCount === 0) this.detail.textContent = run.items.length > 0 ? 'Hover or focus a marble to see its value.' : run.ended ? 'No async loop received an item.' : 'Waiting for the first item…';
  }

  private addRowButton(row: LaneRow, index: number): HTMLButtonElement {
    const first = row.kind === 'lane' ? row.lane : row.lanes[0]!;
    const button = h('button', { class: `lane-label${row.kind === 'loop' ? ' folded' : ''}`, type: 'button', 'data-row': index, 'data-color': first.index % LANE_COLORS });
    button.append(h('span', { class: 'lane-code' }), h('span', { class: 'lane-detail' }));
    const line = () => (first.line > 0 ? first.line : null);
    button.addEventListener('click', () => {
      const target = line();
      if (target !== null) this.host.reveal(this.run.runId, target);
    });
    button.addEventListener('mouseenter', () => this.host.highlight(this.run.runId, line()));
    button.addEventListener('focus', () => this.host.highlight(this.run.runId, line()));
    button.addEventListener('mouseleave', () => this.host.highlight(this.run.runId, null));
    button.addEventListener('blur', () => this.host.highlight(this.run.runId, null));
    if (this.outputLabel) this.labels.insertBefore(button, this.outputLabel);
    else this.labels.append(button);
    return button;
  }

  private describeLane(button: HTMLButtonElement, lane: Lane): void {
    const label = laneLabel(this.run, lane);
    setText(button.children[0] as HTMLElement, `${lane.line > 0 ? `${lane.line}` : '?'}  ${label.code}`);
    const ends = lane.ends.map((end) => end.reason);
    const last = ends.at(-1);
    setText(button.children[1] as HTMLElement, `${label.detail} · ${plural(lane.items.length, 'item')}${last ? ` · ${last}` : ''}`);
    button.title = `${label.line}: ${label.code}\n${label.detail}\nClick to show the loop in the editor.`;
    button.setAttribute('aria-label', `Loop at ${label.line}, ${label.detail}, ${plural(lane.items.length, 'item')}${last ? `, ${END_WORDS[last]}` : ''}. Show in the editor.`);
  }

  /** A folded loop's label: its line, how many tasks ran it, their items and how their loops ended. */
  private describeLoop(button: HTMLButtonElement, row: LoopRow): void {
    const first = row.lanes[0]!;
    const label = laneLabel(this.run, first);
    const kind = label.detail.split(' · ')[0]!;
    const items = row.lanes.reduce((sum, lane) => sum + lane.items.length, 0);
    const ends = new Map<string, number>();
    for (const lane of row.lanes) for (const end of lane.ends) ends.set(end.reason, (ends.get(end.reason) ?? 0) + 1);
    const endWords = [...ends].map(([reason, count]) => `${count.toLocaleString('en')} ${reason}`).join(', ');
    const tasks = plural(row.lanes.length, this.run.language === 'python' ? 'task' : 'call');
    setText(button.children[0] as HTMLElement, `${first.line > 0 ? `${first.line}` : '?'}  ${label.code}`);
    setText(button.children[1] as HTMLElement, `${kind} · ${tasks} · ${plural(items, 'item')}${endWords ? ` · ${endWords}` : ''}`);
    button.title = `${label.line}: ${label.code}\n${kind} in ${tasks}, drawn as one row: the band is how many waited, the ticks how many items arrived.\nClick to show the loop in the editor.`;
    button.setAttribute('aria-label', `Loop at ${label.line}, ${kind} in ${tasks}, ${plural(items, 'item')}${endWords ? `, ${endWords}` : ''}, drawn as one row. Show in the editor.`);
  }

  /** A lane or the output row appeared since the last `sync` (the canvas rows must match the labels). */
  get lanesChanged(): boolean {
    return this.laidOut !== this.run.lanes.length || (this.outputLabel === undefined && (this.run.outputs.length > 0 || this.run.error !== undefined));
  }

  private get rowsHeight(): number {
    return this.layout.rows.length * LANE_HEIGHT + (this.outputLabel ? OUTPUT_HEIGHT : 0);
  }

  draw(scale: Scale, palette: Palette): void {
    this.scale = scale;
    const rows = this.layout.rows;
    const width = scale.width;
    const height = Math.max(this.rowsHeight, LANE_HEIGHT);
    const ratio = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    const context = canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);

    // Grid: the shared ticks, and a line under each row.
    context.globalAlpha = 0.5;
    context.fillStyle = palette.grid;
    for (const t of scale.ticks().times) context.fillRect(Math.round(scale.x(t)), 0, 1, height);
    context.globalAlpha = 0.6;
    for (let row = 1; row < rows.length + (this.outputLabel ? 1 : 0); row++) context.fillRect(0, row * LANE_HEIGHT, width, 1);
    context.globalAlpha = 1;

    rows.forEach((row, index) => (row.kind === 'lane' ? this.drawLane(context, row.lane, index, palette, scale) : this.drawLoop(context, row, index, palette, scale)));
    if (this.outputLabel) this.drawOutputRow(context, palette, scale);
    this.drawFinish(context, palette, scale, height);
    this.drawCursor(context, palette, scale);
  }

  private rowCenter(row: number): number {
    return row * LANE_HEIGHT + LANE_HEIGHT * 0.62;
  }

  private drawLane(context: CanvasRenderingContext2D, lane: Lane, row: number, palette: Palette, scale: Scale): void {
    const items = this.run.items;
    const color = palette.lanes[lane.index % palette.lanes.length]!;
    const y = this.rowCenter(row);

    // Waits: one bar per item from when it was asked for to when it arrived; bars closer than a pixel are drawn as one.
    context.fillStyle = color;
    context.globalAlpha = palette.contrast ? 0.6 : 0.4;
    let barStart = Number.NaN;
    let barEnd = Number.NaN;
    const flush = () => {
      if (!Number.isNaN(barStart)) context.fillRect(barStart, y - 4, Math.max(1, barEnd - barStart), 8);
    };
    for (const index of lane.items) {
      const item = items[index]!;
      const start = scale.x(item.at - item.wait);
      const end = scale.x(item.at);
      if (start <= barEnd + 0.5) barEnd = Math.max(barEnd, end);
      else {
        flush();
        barStart = start;
        barEnd = end;
      }
    }
    flush();
    context.globalAlpha = 1;

    // Too many to tell apart: one tick per pixel column that received an item.
    const first = lane.items.length > 0 ? scale.x(items[lane.items[0]!]!.at) : 0;
    const spread = lane.items.length > 0 ? scale.x(items[lane.items.at(-1)!]!.at) - first : 0;
    if (lane.items.length > 1 && spread / (lane.items.length - 1) < RADIUS * 2 + 2) {
      context.fillStyle = color;
      let lastColumn = Number.NEGATIVE_INFINITY;
      for (const index of lane.items) {
        const column = Math.round(scale.x(items[index]!.at));
        if (column === lastColumn) continue;
        lastColumn = column;
        context.fillRect(column, y - 7, 1, 14);
      }
      this.drawEnds(context, lane, palette, scale, y);
      return;
    }

    // Marbles, with their order numbers where there is room.
    context.font = `10px ${palette.font}`;
    context.textAlign = 'center';
    context.textBaseline = 'alphabetic';
    let lastX = Number.NEGATIVE_INFINITY;
    let lastLabelRight = Number.NEGATIVE_INFINITY;
    context.lineWidth = 1.5;
    for (const index of lane.items) {
      const item = items[index]!;
      const x = scale.x(item.at);
      if (x - lastX < 1) continue;
      lastX = x;
      context.beginPath();
      context.arc(x, y, RADIUS, 0, Math.PI * 2);
      context.fillStyle = color;
      context.fill();
      context.strokeStyle = palette.contrast ?? palette.background;
      context.stroke();
      const label = String(item.order);
      const half = label.length * 3 + 2;
      if (x - half > lastLabelRight + 2) {
        context.fillStyle = palette.muted;
        context.fillText(label, x, y - RADIUS - 4);
        lastLabelRight = x + half;
      }
    }

    this.drawEnds(context, lane, palette, scale, y);
  }

  /**
   * A folded loop: a band as high as the share of its tasks waiting at each
   * pixel column, and a tick in every column where items arrived, the more
   * opaque the more arrived there; its breaks and errors are marked.
   */
  private drawLoop(context: CanvasRenderingContext2D, row: LoopRow, index: number, palette: Palette, scale: Scale): void {
    const items = this.run.items;
    const color = palette.lanes[row.lanes[0]!.index % palette.lanes.length]!;
    const y = this.rowCenter(index);
    const columns = Math.ceil(scale.width) + 2;
    const column = (t: number) => Math.min(columns - 2, Math.max(0, Math.round(scale.x(t))));
    const waiting = new Float64Array(columns);
    const arrived = new Float64Array(columns);
    for (const lane of row.lanes) {
      for (const i of lane.items) {
        const item = items[i]!;
        const end = column(item.at);
        arrived[end]! += 1;
        if (item.wait <= 0) continue;
        waiting[column(item.at - item.wait)]! += 1;
        waiting[end + 1]! -= 1;
      }
    }
    let most = 0;
    let busiest = 0;
    for (let c = 0, depth = 0; c < columns; c++) {
      depth += waiting[c]!;
      waiting[c] = depth;
      most = Math.max(most, depth);
      busiest = Math.max(busiest, arrived[c]!);
    }
    context.fillStyle = color;
    context.globalAlpha = palette.contrast ? 0.6 : 0.35;
    const band = LANE_HEIGHT - 14;
    for (let c = 0; c < columns; c++) {
      if (waiting[c]! <= 0) continue;
      const tall = Math.max(1, (waiting[c]! / most) * band);
      context.fillRect(c, y + 9 - tall, 1, tall);
    }
    for (let c = 0; c < columns; c++) {
      if (arrived[c]! <= 0) continue;
      context.globalAlpha = 0.3 + 0.7 * (Math.log1p(arrived[c]!) / Math.log1p(busiest));
      context.fillRect(c, y - 7, 1, 14);
    }
    context.globalAlpha = 1;
    // Breaks and errors, once per column: thousands of loops ending the usual way need no mark.
    let lastColumn = Number.NEGATIVE_INFINITY;
    const marks = row.lanes.flatMap((lane) => lane.ends.filter((end) => end.reason !== 'exhausted')).sort((a, b) => a.at - b.at);
    for (const end of marks) {
      const x = Math.round(scale.x(end.at));
      if (x === lastColumn) continue;
      lastColumn = x;
      this.drawEnd(context, end.reason, x, y, palette);
    }
    if (cutShort(this.run) && row.lanes.some((lane) => unfinished(this.run, lane))) this.drawCut(context, palette, scale, y);
  }

  /** Where each loop instance ended, and why; where the run cut it short, if it did. */
  private drawEnds(context: CanvasRenderingContext2D, lane: Lane, palette: Palette, scale: Scale, y: number): void {
    const items = this.run.items;
    for (const end of lane.ends) this.drawEnd(context, end.reason, scale.x(end.at), y, palette);
    if (cutShort(this.run) && unfinished(this.run, lane)) {
      this.drawCut(context, palette, scale, y);
      return;
    }
    // The usual end (exhausted) needs no word; a break or an error does, unless the finish label is there.
    const last = lane.ends.at(-1);
    if (last && last.reason !== 'exhausted' && (lane.items.length === 0 || items[lane.items.at(-1)!]!.at <= last.at)) {
      context.font = `11px ${palette.font}`;
      context.textAlign = 'left';
      context.textBaseline = 'middle';
      context.fillStyle = last.reason === 'error' ? palette.error : palette.muted;
      const x = scale.x(last.at) + 8;
      const word = last.reason;
      const finish = scale.x(summarize(this.run).wall);
      const clashes = y === this.rowCenter(0) && x < finish + 60;
      if (!clashes && x + context.measureText(word).width < scale.width - 2) context.fillText(word, x, y);
    }
  }

  private drawEnd(context: CanvasRenderingContext2D, reason: LoopEnd, x: number, y: number, palette: Palette): void {
    const mark = reason === 'error' ? palette.error : reason === 'break' ? palette.warning : palette.foreground;
    context.fillStyle = mark;
    context.strokeStyle = mark;
    if (reason === 'error') {
      drawCross(context, x, y);
    } else if (reason === 'break') {
      context.fillRect(x - 1, y - 8, 2, 16);
      context.fillRect(x + 2, y - 8, 2, 16);
    } else {
      context.fillRect(x - 1, y - 8, 2, 16);
    }
  }

  /** A loop the run's end cut short (a limit, Stop, a crash): a zigzag at the finish line, where it was still going. */
  private drawCut(context: CanvasRenderingContext2D, palette: Palette, scale: Scale, y: number): void {
    const x = scale.x(summarize(this.run).wall);
    context.strokeStyle = palette.warning;
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(x - 3, y - 9);
    for (let step = 1; step <= 6; step++) context.lineTo(x + (step % 2 === 0 ? -3 : 3), y - 9 + step * 3);
    context.stroke();
  }

  private drawOutputRow(context: CanvasRenderingContext2D, palette: Palette, scale: Scale): void {
    const run = this.run;
    const y = this.layout.rows.length * LANE_HEIGHT + OUTPUT_HEIGHT / 2;
    let lastX = Number.NEGATIVE_INFINITY;
    let lastStream = '';
    for (const output of run.outputs) {
      const x = Math.round(scale.x(output.at));
      if (x === lastX && output.stream === lastStream) continue;
      lastX = x;
      if (output.stream !== lastStream) context.fillStyle = output.stream === 'stderr' ? palette.error : palette.muted;
      lastStream = output.stream;
      context.fillRect(x - 1, y - 5, 2, 10);
    }
    if (run.error) {
      const x = scale.x(run.error.at);
      context.strokeStyle = palette.error;
      drawCross(context, x, y);
    }
  }

  /** A dashed line where the run finished, with its wall time (and why, when it was cut short): the comparison's "finish line". */
  private drawFinish(context: CanvasRenderingContext2D, palette: Palette, scale: Scale, height: number): void {
    const wall = summarize(this.run).wall;
    if (wall <= 0) return;
    const cut = cutShort(this.run);
    const x = Math.round(scale.x(wall)) + 0.5;
    context.strokeStyle = cut ? palette.warning : palette.foreground;
    context.globalAlpha = 0.7;
    context.lineWidth = 1;
    context.setLineDash([3, 3]);
    context.beginPath();
    context.moveTo(x, 2);
    context.lineTo(x, height);
    context.stroke();
    context.setLineDash([]);
    context.globalAlpha = 1;
    // Its wall time beside it, level with the first lane (everything the run did is to its left).
    context.font = `600 12px ${palette.font}`;
    context.textBaseline = 'middle';
    context.fillStyle = cut ? palette.warning : palette.foreground;
    const label = cut ? `${seconds(wall)} · ${cut}` : seconds(wall);
    const y = this.layout.rows.length > 0 ? this.rowCenter(0) : LANE_HEIGHT / 2;
    const textWidth = context.measureText(label).width;
    if (x + 10 + textWidth <= scale.width) {
      context.textAlign = 'left';
      context.fillText(label, x + 10, y);
    } else {
      context.textAlign = 'right';
      context.fillText(label, x - 10, y - 12);
    }
  }

  private drawCursor(context: CanvasRenderingContext2D, palette: Palette, scale: Scale): void {
    const ring = (index: number, color: string, radius: number, width: number) => {
      const item = this.run.items[index];
      if (!item) return;
      context.strokeStyle = color;
      context.lineWidth = width;
      context.beginPath();
      context.arc(scale.x(item.at), this.rowCenter(this.layout.rowOf[item.lane] ?? 0), radius, 0, Math.PI * 2);
      context.stroke();
    };
    if (this.hovered?.kind === 'item') ring(this.hovered.index, palette.foreground, RADIUS + 2.5, 1.5);
    if (this.hovered?.kind === 'moment') {
      context.fillStyle = palette.foreground;
      context.globalAlpha = 0.5;
      context.fillRect(Math.round(scale.x(this.hovered.from)), this.hovered.row * LANE_HEIGHT + 2, 1, LANE_HEIGHT - 4);
      context.globalAlpha = 1;
    }
    if (this.focused !== undefined && document.activeElement === this.canvas) ring(this.focused, palette.focus, RADIUS + 3.5, 2);
  }

  // ---- interaction ------------------------------------------------------

  private hitTest(x: number, y: number): Hover | undefined {
    const run = this.run;
    const rowIndex = Math.floor(y / LANE_HEIGHT);
    const rows = this.layout.rows;
    const scale = this.scale;
    const row = rows[rowIndex];
    if (row?.kind === 'loop') return { kind: 'moment', row: rowIndex, from: scale.t(Math.round(x) - 0.5), to: scale.t(Math.round(x) + 0.5) };
    if (row?.kind === 'lane') {
      const lane = row.lane;
      let best: Hover | undefined;
      let bestDistance = 9;
      const nearest = nearestBy(lane.items, (index) => run.items[index]!.at, scale.t(x));
      for (let i = Math.max(0, nearest - 2); i <= Math.min(lane.items.length - 1, nearest + 2); i++) {
        const distance = Math.abs(scale.x(run.items[lane.items[i]!]!.at) - x);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = { kind: 'item', index: lane.items[i]! };
        }
      }
      lane.ends.forEach((end, index) => {
        const distance = Math.abs(scale.x(end.at) - x);
        if (distance < bestDistance - 2) {
          bestDistance = distance;
          best = { kind: 'end', lane: lane.index, end: index };
        }
      });
      return best;
    }
    if (this.outputLabel && rowIndex === rows.length) {
      if (run.error && Math.abs(scale.x(run.error.at) - x) < 6) return { kind: 'error' };
      const nearest = nearestBy(run.outputs, (output) => output.at, scale.t(x));
      const output = run.outputs[nearest];
      if (output && Math.abs(scale.x(output.at) - x) < 6) return { kind: 'out', index: nearest };
    }
    return undefined;
  }

  private onMouseMove(event: MouseEvent): void {
    const bounds = this.canvas.getBoundingClientRect();
    const hover = this.hitTest(event.clientX - bounds.left, event.clientY - bounds.top);
    this.setHover(hover);
    if (hover) this.placeTooltip(event.clientX, event.clientY);
  }

  private setHover(hover: Hover | undefined): void {
    const same = JSON.stringify(hover) === JSON.stringify(this.hovered);
    this.hovered = hover;
    if (!hover) {
      this.tooltip.hidden = true;
      if (!same) {
        this.host.highlight(this.run.runId, null);
        this.host.redraw();
      }
      return;
    }
    if (same) return;
    this.tooltip.replaceChildren(...this.describe(hover));
    this.tooltip.hidden = false;
    const line = this.lineOf(hover);
    this.host.highlight(this.run.runId, line);
    this.host.redraw();
  }

  private placeTooltip(clientX: number, clientY: number): void {
    const tip = this.tooltip;
    const width = tip.offsetWidth;
    const left = Math.min(clientX + 12, window.innerWidth - width - 8);
    tip.style.left = `${Math.max(4, left) + window.scrollX}px`;
    tip.style.top = `${clientY + 16 + window.scrollY}px`;
  }

  private lineOf(hover: Hover): number | null {
    if (hover.kind === 'item') return this.run.lanes[this.run.items[hover.index]!.lane]!.line || null;
    if (hover.kind === 'end') return this.run.lanes[hover.lane]!.line || null;
    if (hover.kind === 'moment') {
      const row = this.layout.rows[hover.row];
      return row?.kind === 'loop' ? row.lanes[0]!.line || null : null;
    }
    if (hover.kind === 'error') return this.run.error?.frames.at(-1)?.line ?? null;
    return null;
  }

  private describe(hover: Hover): Node[] {
    const run = this.run;
    switch (hover.kind) {
      case 'item': {
        const item = run.items[hover.index]!;
        return [h('div', { class: 'tip-head' }, `#${item.order}  `, h('code', {}, item.value)), h('div', { class: 'tip-meta' }, itemFacts(run, item))];
      }
      case 'end': {
        const end = run.lanes[hover.lane]!.ends[hover.end]!;
        return [
          h('div', { class: 'tip-head' }, `Loop ${END_WORDS[end.reason]}`),
          h('div', { class: 'tip-meta' }, `at ${seconds(end.at)} after ${plural(end.items, 'item')}${end.error ? ` · ${end.error}` : ''}`),
        ];
      }
      case 'moment': {
        const row = this.layout.rows[hover.row] as LoopRow;
        let arrived = 0;
        let waiting = 0;
        for (const lane of row.lanes) {
          for (const index of lane.items) {
            const item = run.items[index]!;
            if (item.at >= hover.from && item.at < hover.to) arrived++;
            if (item.at - item.wait < hover.to && item.at >= hover.from && item.wait > 0) waiting++;
          }
        }
        return [
          h('div', { class: 'tip-head' }, `${plural(arrived, 'item')} arrived, ${count(waiting)} waiting`),
          h('div', { class: 'tip-meta' }, `at ${seconds(hover.from)} · line ${row.lanes[0]!.line}, ${plural(row.lanes.length, run.language === 'python' ? 'task' : 'call')} in all`),
        ];
      }
      case 'out': {
        const output = run.outputs[hover.index]!;
        return [h('div', { class: 'tip-head' }, output.stream), h('pre', { class: 'tip-text' }, output.text.replace(/\n$/, '')), h('div', { class: 'tip-meta' }, `at ${seconds(output.at)}`)];
      }
      case 'error': {
        const error = run.error!;
        return [h('div', { class: 'tip-head error' }, error.message), h('div', { class: 'tip-meta' }, `at ${seconds(error.at)}`)];
      }
    }
  }

  private onClick(event: MouseEvent): void {
    const bounds = this.canvas.getBoundingClientRect();
    const hover = this.hitTest(event.clientX - bounds.left, event.clientY - bounds.top);
    if (hover?.kind === 'item') {
      this.focused = hover.index;
      this.canvas.focus();
      this.showFocused();
    }
    const line = hover ? this.lineOf(hover) : null;
    if (line !== null) this.host.reveal(this.run.runId, line);
  }

  private onKey(event: KeyboardEvent): void {
    const run = this.run;
    if (run.items.length === 0) return;
    const current = this.focused ?? 0;
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowRight':
        next = Math.min(run.items.length - 1, current + 1);
        break;
      case 'ArrowLeft':
        next = Math.max(0, current - 1);
        break;
      case 'ArrowDown':
      case 'ArrowUp':
        next = this.neighbourRow(current, event.key === 'ArrowDown' ? 1 : -1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = run.items.length - 1;
        break;
      case 'Enter':
      case ' ': {
        const line = run.lanes[run.items[current]!.lane]!.line;
        if (line > 0) this.host.reveal(run.runId, line);
        event.preventDefault();
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    this.focused = next;
    this.showFocused();
  }

  /** The item nearest in time to `index` in the next row (up or down) that has items. */
  private neighbourRow(index: number, direction: 1 | -1): number {
    const run = this.run;
    const item = run.items[index]!;
    const rows = this.layout.rows;
    for (let row = (this.layout.rowOf[item.lane] ?? 0) + direction; row >= 0 && row < rows.length; row += direction) {
      const entry = rows[row]!;
      // A folded loop's items, from all its lanes, in order of arrival (indices into run.items are).
      const items = entry.kind === 'lane' ? entry.lane.items : entry.lanes.flatMap((lane) => lane.items).sort((a, b) => a - b);
      if (items.length === 0) continue;
      return items[nearestBy(items, (i) => run.items[i]!.at, item.at)]!;
    }
    return index;
  }

  private showFocused(): void {
    const run = this.run;
    const index = this.focused;
    if (index === undefined || !run.items[index]) return;
    const item = run.items[index];
    this.detail.replaceChildren(h('span', { class: 'detail-order' }, `#${item.order} of ${count(run.items.length)}`), ' ', h('code', { class: 'detail-value' }, item.value), ' ', h('span', { class: 'detail-meta' }, itemFacts(run, item)));
    this.host.highlight(run.runId, run.lanes[item.lane]!.line || null);
    this.host.redraw();
  }
}

function itemFacts(run: Run, item: Item): string {
  const lane = run.lanes[item.lane]!;
  const label = laneLabel(run, lane);
  return `arrived at ${seconds(item.at)} after waiting ${seconds(item.wait)} · item ${item.n} of its loop · ${label.line} · ${label.detail.split(' · ')[1]}`;
}

/** The index of the element whose key is nearest `target` in an array sorted (mostly) by key. */
function nearestBy<T>(values: readonly T[], key: (value: T) => number, target: number): number {
  let low = 0;
  let high = values.length - 1;
  if (high < 0) return -1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (key(values[middle]!) < target) low = middle + 1;
    else high = middle;
  }
  if (low > 0 && Math.abs(key(values[low - 1]!) - target) < Math.abs(key(values[low]!) - target)) return low - 1;
  return low;
}

/** The whole group's timeline: the runs stacked, and one time axis under them. */
export class GroupTimeline {
  readonly element = h('div', { class: 'timeline' });
  private readonly axis = h('canvas', { class: 'axis-canvas', 'aria-hidden': 'true' });
  private readonly blocks = new Map<string, RunTimeline>();
  private readonly tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  private width = 0;

  constructor(private readonly host: TimelineHost) {
    this.element.append(h('div', { class: 'axis' }, h('div', { class: 'axis-label' }, 'time since start'), this.axis));
    document.body.append(this.tooltip);
    new ResizeObserver(() => {
      const width = this.element.clientWidth;
      if (width !== this.width) {
        this.width = width;
        this.host.redraw();
      }
    }).observe(this.element);
  }

  /** Brings the timeline up to date with `runs` and draws it; `words` false leaves the labels' text as it is (a live run changes them every frame). */
  render(runs: readonly Run[], palette: Palette, words = true): void {
    for (const [runId, block] of this.blocks) {
      if (!runs.some((run) => run.runId === runId && run === block.run)) {
        block.element.remove();
        this.blocks.delete(runId);
      }
    }
    let before: Element = this.element.firstElementChild!;
    for (const run of runs) {
      let block = this.blocks.get(run.runId);
      if (!block) {
        block = new RunTimeline(run, this.host, this.tooltip);
        this.blocks.set(run.runId, block);
      }
      if (block.element !== before) this.element.insertBefore(block.element, before);
      before = block.element.nextElementSibling!;
      if (words || block.lanesChanged) block.sync();
    }
    const labelWidth = this.element.querySelector('.lane-labels')?.clientWidth ?? 0;
    const plotWidth = Math.max(120, (this.width || this.element.clientWidth) - labelWidth);
    const span = niceSpan(Math.max(0, ...runs.map((run) => summarize(run).wall)));
    const scale = new Scale(span, plotWidth);
    for (const run of runs) this.blocks.get(run.runId)!.draw(scale, palette);
    this.drawAxis(scale, palette);
  }

  private drawAxis(scale: Scale, palette: Palette): void {
    const ratio = window.devicePixelRatio || 1;
    const canvas = this.axis;
    if (canvas.width !== Math.round(scale.width * ratio) || canvas.height !== AXIS_HEIGHT * ratio) {
      canvas.width = Math.round(scale.width * ratio);
      canvas.height = AXIS_HEIGHT * ratio;
      canvas.style.width = `${scale.width}px`;
      canvas.style.height = `${AXIS_HEIGHT}px`;
    }
    const context = canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, scale.width, AXIS_HEIGHT);
    context.fillStyle = palette.grid;
    context.fillRect(0, 0, scale.width, 1);
    context.font = `11px ${palette.font}`;
    context.textBaseline = 'top';
    const { step, times } = scale.ticks();
    for (const t of times) {
      const x = Math.round(scale.x(t));
      context.fillStyle = palette.grid;
      context.fillRect(x, 0, 1, 5);
      context.fillStyle = palette.muted;
      context.textAlign = t === 0 ? 'left' : 'center';
      context.fillText(tickLabel(t, step), t === 0 ? x : x, 8);
    }
  }
}

/** The error mark: a cross centred on (x, y), in the current stroke colour. */
function drawCross(context: CanvasRenderingContext2D, x: number, y: number): void {
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(x - 4, y - 4);
  context.lineTo(x + 4, y + 4);
  context.moveTo(x + 4, y - 4);
  context.lineTo(x - 4, y + 4);
  context.stroke();
}
