/// <reference lib="dom" />
/*
 * The ordered list of one run: items, output lines, loop ends and the error,
 * in the order they happened. Virtualised (fixed row height, only the rows
 * in view exist), so 50,000 rows scroll as lightly as 5; while the run is
 * live and the list is scrolled to its end, it follows the newest row.
 */

import { h } from './dom';
import { laneLabel, type Row, type Run } from './model';
import { plural, seconds } from './text';

const ROW_HEIGHT = 22;
const OVERSCAN = 8;

export class RowList {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer = h('div', { class: 'rows-spacer' });
  private readonly window = h('div', { class: 'rows-window', role: 'presentation' });
  private rendered = { from: -1, to: -1, total: -1, run: undefined as Run | undefined };
  private follow = true;

  constructor(
    private run: Run,
    private readonly onReveal: (line: number) => void,
    private readonly onScroll: () => void,
  ) {
    this.viewport = h('div', { class: 'rows', tabindex: 0, role: 'list', 'aria-label': `Items and output of ${run.title}, in order` }, this.spacer, this.window);
    this.element = this.viewport;
    this.viewport.addEventListener('scroll', () => {
      const bottom = this.viewport.scrollTop + this.viewport.clientHeight >= this.viewport.scrollHeight - ROW_HEIGHT;
      this.follow = bottom;
      this.onScroll();
    });
  }

  setRun(run: Run): void {
    if (run === this.run) return;
    this.run = run;
    this.follow = true;
    this.rendered.run = undefined;
  }

  render(): void {
    const rows = this.run.rows;
    const total = rows.length;
    const height = total * ROW_HEIGHT;
    if (this.rendered.total !== total) this.spacer.style.height = `${height}px`;
    const viewportHeight = this.viewport.clientHeight || 300;
    if (this.follow && this.rendered.total !== total && total > 0) this.viewport.scrollTop = height;
    const top = this.viewport.scrollTop;
    const from = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const to = Math.min(total, Math.ceil((top + viewportHeight) / ROW_HEIGHT) + OVERSCAN);
    const unchanged = this.rendered.run === this.run && this.rendered.from === from && this.rendered.to === to && this.rendered.total === total;
    // An output row can grow while its line is still being written: redraw when it is in view.
    if (unchanged && !(to === total && rows[total - 1]?.kind === 'out' && !this.run.ended)) return;
    const elements: HTMLElement[] = [];
    for (let index = from; index < to; index++) elements.push(this.row(rows[index]!, index));
    this.window.style.transform = `translateY(${from * ROW_HEIGHT}px)`;
    this.window.replaceChildren(...elements);
    this.rendered = { from, to, total, run: this.run };
  }

  private row(row: Row, index: number): HTMLElement {
    const run = this.run;
    const common = { class: `row row-${row.kind}`, role: 'listitem', 'aria-setsize': run.rows.length, 'aria-posinset': index + 1 };
    switch (row.kind) {
      case 'item': {
        const item = run.items[row.item]!;
        const lane = run.lanes[item.lane]!;
        const label = laneLabel(run, lane);
        return h(
          'div',
          { ...common, 'data-lane': lane.index % 5 },
          h('span', { class: 'row-order' }, `#${item.order}`),
          h('span', { class: 'row-time' }, seconds(item.at)),
          h('span', { class: 'row-where' }, h('span', { class: 'lane-dot', 'aria-hidden': 'true' }), `${label.line} · ${label.detail.split(' · ')[1]}`),
          h('code', { class: 'row-value' }, item.value),
          h('span', { class: 'row-wait' }, `waited ${seconds(item.wait)}`),
        );
      }
      case 'out': {
        const output = run.outputs[row.output]!;
        return h(
          'div',
          { ...common, class: `${common.class} ${output.stream}` },
          h('span', { class: 'row-order' }, output.stream === 'stderr' ? 'err' : 'out'),
          h('span', { class: 'row-time' }, seconds(output.at)),
          h('code', { class: 'row-text' }, output.text.replace(/\n$/, '')),
        );
      }
      case 'end': {
        const lane = run.lanes[row.lane]!;
        const label = laneLabel(run, lane);
        return h(
          'div',
          { ...common, class: `${common.class} end-${row.end.reason}` },
          h('span', { class: 'row-order' }, 'end'),
          h('span', { class: 'row-time' }, seconds(row.end.at)),
          h('span', { class: 'row-text' }, `${label.line} · ${label.detail.split(' · ')[1]}: ${row.end.reason} after ${plural(row.end.items, 'item')}${row.end.error ? ` (${row.end.error})` : ''}`),
        );
      }
      case 'error': {
        const line = row.error.frames.at(-1)?.line;
        const text = h('span', { class: 'row-text' }, row.error.message);
        const element = h('div', { ...common }, h('span', { class: 'row-order' }, 'error'), h('span', { class: 'row-time' }, seconds(row.error.at)), text);
        if (line !== undefined) {
          const link = h('button', { class: 'link', type: 'button' }, `line ${line}`);
          link.addEventListener('click', () => this.onReveal(line));
          element.append(link);
        }
        return element;
      }
    }
  }
}
