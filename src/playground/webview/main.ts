/// <reference lib="dom" />
/*
 * The Async Playground's webview: the toolbar, the example gallery and the
 * run view (timeline, summary, ordered list, error, end message). Messages
 * from the extension are validated, applied to the model at once and drawn
 * at most once per animation frame; the view is saved with `setState` so a
 * reloaded panel redraws without running anything again.
 */

import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import './playground.css';

import type { GalleryEntry, HostMessage, RunTarget, WebviewMessage } from '../protocol';
import { parseHostMessage } from '../protocol';
import { h, icon, replaceChildren, setText } from './dom';
import { connectHost } from './host';
import { RowList } from './list';
import { PlaygroundModel, cutShort, summarize, type Run, type SavedGroup } from './model';
import { readPalette, watchTheme, type Palette } from './palette';
import { plural, summaryParts, verdict } from './text';
import { GroupTimeline } from './timeline';

/** Events kept in the saved view; past this a restored view says what it left out. */
const SAVED_EVENTS = 20_000;
const SAVE_EVERY_MS = 1000;
/** While a run is live, its words and numbers change at most this often (the canvas every frame). */
const WORDS_EVERY_MS = 100;
const STATE_VERSION = 1;

interface SavedState {
  readonly version: typeof STATE_VERSION;
  readonly view: View;
  readonly gallery: readonly GalleryEntry[];
  readonly target: RunTarget | null;
  readonly group: SavedGroup | undefined;
}

type View = 'gallery' | 'run';

/** A vscode-button, typed enough to set its properties. */
type Button = HTMLElement & { disabled: boolean; icon: string; secondary: boolean };

function button(label: string, iconName: string, secondary: boolean): Button {
  const element = document.createElement('vscode-button') as Button;
  element.icon = iconName;
  element.secondary = secondary;
  element.textContent = label;
  return element;
}

class Playground {
  private readonly host = connectHost();
  private readonly model = new PlaygroundModel();
  private view: View = 'gallery';
  private gallery: readonly GalleryEntry[] = [];
  private target: RunTarget | null = null;
  private canRun = true;
  private why: string | undefined;
  private progress: string | undefined;
  private initialised = false;
  private palette: Palette = readPalette();
  private frame = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private savedVersion = -1;
  private lastHighlight = '';
  /** Something `setState` keeps (view, target, gallery) changed since the last save. */
  private unsaved = false;
  private wordsAt = 0;
  private wordsTimer: ReturnType<typeof setTimeout> | undefined;

  // Toolbar.
  private readonly runButton = button('Run', 'play', false);
  private readonly rerunButton = button('Re-run', 'debug-rerun', true);
  private readonly stopButton = button('Stop', 'debug-stop', true);
  private readonly galleryButton = button('Examples', 'library', true);
  private readonly targetLabel = h('span', { class: 'target', title: 'The document Run runs' });
  private readonly runtimeLabel = h('span', { class: 'runtime' });
  private readonly progressBox = h('span', { class: 'toolbar-progress', role: 'status', hidden: true });
  private readonly progressText = h('span', { class: 'progress-text' });
  private readonly notice = h('div', { class: 'notice untrusted', role: 'alert', hidden: true });

  // Views.
  private readonly galleryView = h('section', { class: 'gallery', 'aria-label': 'Examples' });
  private readonly runView = h('section', { class: 'run-view', 'aria-label': 'Run' });
  private readonly emptyView = h('section', { class: 'empty' });
  private readonly verdictLine = h('p', { class: 'verdict', role: 'status' });
  private readonly timeline = new GroupTimeline({
    highlight: (runId, line) => this.highlight(runId, line),
    reveal: (runId, line) => this.post({ type: 'reveal', runId, line }),
    redraw: () => this.schedule(),
  });
  private readonly summaries = h('div', { class: 'summaries' });
  private readonly reports = h('div', { class: 'reports' });
  private readonly lists = h('div', { class: 'lists' });
  private readonly panels = new Map<string, RunPanel>();

  start(): void {
    const app = document.getElementById('app')!;
    const progressRing = document.createElement('vscode-progress-ring');
    progressRing.setAttribute('aria-label', 'Working');
    this.progressBox.append(progressRing, this.progressText);
    app.append(
      h(
        'header',
        { class: 'toolbar', role: 'toolbar', 'aria-label': 'Playground' },
        this.runButton,
        this.rerunButton,
        this.stopButton,
        h('span', { class: 'toolbar-labels' }, this.targetLabel, this.runtimeLabel),
        h('span', { class: 'spacer' }),
        this.progressBox,
        this.galleryButton,
      ),
      this.notice,
      h('main', { class: 'content' }, this.galleryView, this.runView, this.emptyView),
    );
    this.runView.append(this.verdictLine, this.timeline.element, this.summaries, this.reports, this.lists);

    this.runButton.addEventListener('click', () => {
      if (!this.runButton.disabled) this.post({ type: 'run' });
    });
    this.rerunButton.addEventListener('click', () => {
      if (!this.rerunButton.disabled) this.post({ type: 'rerun' });
    });
    this.stopButton.addEventListener('click', () => {
      if (!this.stopButton.disabled) this.post({ type: 'stop' });
    });
    this.galleryButton.addEventListener('click', () => {
      this.view = this.view === 'gallery' && this.model.group ? 'run' : 'gallery';
      this.saveSoon(true);
      this.schedule();
    });

    this.restore();
    watchTheme(() => {
      this.palette = readPalette();
      this.schedule();
    });
    window.addEventListener('message', (event: MessageEvent) => {
      const message = parseHostMessage(event.data);
      if (message) this.receive(message);
    });
    this.render();
    app.removeAttribute('aria-busy');
    this.post({ type: 'ready' });
  }

  private post(message: WebviewMessage): void {
    this.host.post(message);
  }

  private highlight(runId: string, line: number | null): void {
    const key = `${runId}:${line}`;
    if (key === this.lastHighlight) return;
    this.lastHighlight = key;
    this.post({ type: 'highlight', runId, line });
  }

  private receive(message: HostMessage): void {
    switch (message.type) {
      case 'init':
        this.initialised = true;
        this.gallery = message.gallery;
        this.canRun = message.canRun;
        this.why = message.why;
        this.target = message.target ?? null;
        if (!this.model.group) this.view = 'gallery';
        this.renderGallery();
        break;
      case 'target':
        this.target = message.target;
        break;
      case 'canRun':
        this.canRun = message.canRun;
        this.why = message.why;
        break;
      case 'showGallery':
        this.view = 'gallery';
        break;
      case 'progress':
        this.progress = message.done ? undefined : message.message;
        break;
      case 'runStarted':
        this.view = 'run';
        this.model.apply(message);
        break;
      case 'runEnded':
        this.model.apply(message);
        break;
      case 'events':
        this.model.apply(message);
        break;
    }
    if (message.type !== 'events' && message.type !== 'progress') this.unsaved = true;
    this.schedule();
  }

  // ---- state across reloads ---------------------------------------------

  private restore(): void {
    const saved = this.host.getState() as Partial<SavedState> | undefined;
    if (!saved || saved.version !== STATE_VERSION) return;
    this.gallery = Array.isArray(saved.gallery) ? saved.gallery : [];
    this.target = saved.target ?? null;
    try {
      if (saved.group) this.model.restore(saved.group);
    } catch {
      // A saved view from an older build that no longer fits: start clean.
      this.model.group = undefined;
    }
    this.view = saved.view === 'run' && this.model.group ? 'run' : 'gallery';
    this.savedVersion = this.model.version;
    this.renderGallery();
  }

  /** Saves the view now (`urgent`) or within a second (live runs change it every frame). */
  private saveSoon(urgent: boolean): void {
    if (urgent) {
      if (this.saveTimer) clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.save();
      return;
    }
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, SAVE_EVERY_MS);
  }

  private save(): void {
    const state: SavedState = { version: STATE_VERSION, view: this.view, gallery: this.gallery, target: this.target, group: this.model.save(SAVED_EVENTS) };
    this.host.setState(state);
    this.savedVersion = this.model.version;
    this.unsaved = false;
  }

  // ---- drawing ------------------------------------------------------------

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.frame = 0;
    // Live numbers and labels are rewritten ten times a second (readable, and cheap); the timeline every frame.
    const now = performance.now();
    const words = !this.model.running || now - this.wordsAt >= WORDS_EVERY_MS;
    if (words) {
      this.wordsAt = now;
      if (this.wordsTimer) clearTimeout(this.wordsTimer);
      this.wordsTimer = undefined;
    } else {
      this.wordsTimer ??= setTimeout(() => {
        this.wordsTimer = undefined;
        this.schedule();
      }, WORDS_EVERY_MS);
    }
    this.renderToolbar();
    const runs = this.model.runs;
    const view = this.view === 'run' && runs.length === 0 ? 'empty' : this.view;
    this.galleryView.hidden = view !== 'gallery';
    this.runView.hidden = view !== 'run';
    this.emptyView.hidden = view !== 'empty';
    if (view === 'run') this.renderRun(runs, words);
    if (view === 'empty') replaceChildren(this.emptyView, h('p', {}, 'Nothing has run yet. Press Run, or pick an example.'));
    // A live run is not saved as it goes (the host replays it to a reloaded view); the view is saved once it is over.
    if ((this.unsaved || this.savedVersion !== this.model.version) && !this.model.running) this.saveSoon(false);
  }

  private renderToolbar(): void {
    const running = this.model.running;
    const reason = !this.canRun ? (this.why ?? 'Running is not allowed here.') : !this.target ? 'Open a Python or TypeScript file, or pick an example, to run it.' : running ? 'A run is under way.' : '';
    this.runButton.disabled = reason !== '';
    this.runButton.title = reason || `Run ${this.target?.label ?? ''}`;
    this.runButton.setAttribute('aria-label', reason ? `Run (unavailable: ${reason})` : `Run ${this.target?.label ?? ''}`);
    // Re-run: what ran last (a comparison's two snippets), whatever the target now is.
    this.rerunButton.hidden = this.model.group === undefined;
    this.rerunButton.disabled = !this.canRun || running;
    this.rerunButton.title = running ? 'A run is under way.' : `Run ${this.model.runs.map((run) => run.title).join(' and ')} again`;
    this.stopButton.disabled = !running;
    this.stopButton.title = running ? 'Stop the run' : 'Nothing is running';
    const backToRun = this.view === 'gallery' && this.model.group !== undefined;
    setText(this.galleryButton, backToRun ? 'Back to the run' : 'Examples');
    this.galleryButton.icon = backToRun ? 'arrow-left' : 'library';

    replaceChildren(this.targetLabel, icon(this.target ? 'file-code' : 'circle-slash'), h('span', {}, this.target ? this.target.label : 'No document to run'));
    const runtime = this.model.runs.at(-1)?.runtime.label;
    this.runtimeLabel.hidden = !runtime;
    if (runtime) replaceChildren(this.runtimeLabel, icon('server-process'), h('span', {}, runtime));

    this.progressBox.hidden = this.progress === undefined;
    setText(this.progressText, this.progress ?? '');

    this.notice.hidden = this.canRun;
    if (!this.canRun) replaceChildren(this.notice, icon('workspace-untrusted'), h('span', {}, this.why ?? 'Running snippets needs a trusted workspace.'));
  }

  private renderGallery(): void {
    const cards = this.gallery.map((entry) => {
      const buttons = entry.languages.map((language) => {
        const open = button(language === 'python' ? 'Python' : 'TypeScript', language === 'python' ? 'play' : 'play', language !== entry.languages[0]);
        open.setAttribute('aria-label', `Open and run ${entry.title} in ${language === 'python' ? 'Python' : 'TypeScript'}`);
        open.addEventListener('click', () => this.post({ type: 'openExample', id: entry.id, language }));
        return open;
      });
      const badge = entry.compare ? document.createElement('vscode-badge') : undefined;
      if (badge) badge.textContent = 'compare';
      return h(
        'li',
        { class: 'card', 'data-id': entry.id },
        h('div', { class: 'card-head' }, h('h3', {}, entry.title), badge),
        h('p', { class: 'card-blurb' }, entry.blurb),
        h('div', { class: 'card-actions' }, ...buttons),
      );
    });
    replaceChildren(
      this.galleryView,
      h('h2', {}, 'Examples'),
      h('p', { class: 'intro' }, 'An async iterator is a conveyor belt: items arrive one at a time, and the loop waits for each. Run an example and watch when every item arrives, how long its loop waited, and whether anything ran at the same time.'),
      cards.length > 0 ? h('ul', { class: 'cards' }, ...cards) : h('p', { class: 'muted' }, this.initialised ? 'No examples are available.' : 'Loading examples…'),
    );
  }

  private renderRun(runs: readonly Run[], words: boolean): void {
    const group = this.model.group!;
    const compare = group.size > 1;
    this.runView.classList.toggle('compare', compare);
    const finished = runs.length === group.size && runs.every((run) => run.ended);
    if (compare && runs.length === 2 && finished && runs.every((run) => run.ended?.end === 'exited')) {
      setText(this.verdictLine, verdict({ title: runs[0]!.title, wall: summarize(runs[0]!).wall }, { title: runs[1]!.title, wall: summarize(runs[1]!).wall }));
      this.verdictLine.hidden = false;
    } else if (compare) {
      setText(this.verdictLine, finished ? 'The comparison did not finish.' : `Comparing ${runs.map((run) => run.title).join(' with ')}… (one after the other, so neither slows the other)`);
      this.verdictLine.hidden = false;
    } else this.verdictLine.hidden = true;

    this.timeline.render(runs, this.palette, words);

    for (const [runId, panel] of this.panels) {
      if (!runs.includes(panel.run)) {
        panel.remove();
        this.panels.delete(runId);
      }
    }
    for (const run of runs) {
      let panel = this.panels.get(run.runId);
      if (!panel) {
        panel = new RunPanel(run, (line) => this.post({ type: 'reveal', runId: run.runId, line }), () => this.schedule());
        this.panels.set(run.runId, panel);
        this.summaries.append(panel.summary);
        this.reports.append(panel.report);
        this.lists.append(panel.listBlock);
      }
      if (words) panel.render(compare);
    }
  }
}

/** The parts of the run view that belong to one run: its summary, its error and end message, its list. */
class RunPanel {
  readonly summary = h('div', { class: 'summary' });
  readonly report = h('div', { class: 'report' });
  readonly listBlock: HTMLDetailsElement;
  private readonly listTitle = h('span', {});
  private readonly list: RowList;
  private summaryKey = '';
  private reportKey = '';

  constructor(
    readonly run: Run,
    private readonly reveal: (line: number) => void,
    scheduleRender: () => void,
  ) {
    this.list = new RowList(run, reveal, scheduleRender);
    this.listBlock = h('details', { class: 'list-block', open: true }, h('summary', {}, this.listTitle), this.list.element);
    this.listBlock.addEventListener('toggle', scheduleRender);
  }

  remove(): void {
    this.summary.remove();
    this.report.remove();
    this.listBlock.remove();
  }

  render(compare: boolean): void {
    const run = this.run;
    const summary = summarize(run);
    const parts = summaryParts(summary);
    const cut = cutShort(run);
    const summaryKey = `${compare}|${parts.map((part) => part.value).join('|')}|${!run.ended}|${cut}`;
    if (summaryKey !== this.summaryKey) {
      this.summaryKey = summaryKey;
      replaceChildren(
        this.summary,
        compare ? h('div', { class: 'summary-title' }, run.title) : null,
        h('p', { class: 'summary-line', 'aria-live': run.ended ? 'polite' : 'off' }, ...parts.flatMap((part) => [part.joiner, h('strong', { class: 'number' }, part.value), ` ${part.label}`]), run.ended ? '' : h('span', { class: 'live' }, ' (so far)')),
        // How the run was cut short, apart from the numbers (which stop where it was cut).
        cut ? h('p', { class: 'summary-end' }, `Ended: ${cut}`) : null,
      );
    }
    const reportKey = `${run.error ? run.events.length : 0}|${run.error?.message}|${run.ended?.end}|${run.ended?.message}|${run.capped}`;
    if (reportKey !== this.reportKey) {
      this.reportKey = reportKey;
      replaceChildren(this.report, this.errorBlock(compare), this.endBlock(compare));
    }
    setText(this.listTitle, `${compare ? `${run.title}: ` : ''}items and output in order (${plural(run.items.length, 'item')}, ${plural(run.outputs.length, 'output line')})`);
    if (this.listBlock.open) this.list.render();
  }

  private errorBlock(compare: boolean): HTMLElement | null {
    const error = this.run.error;
    if (!error) return null;
    const frames = error.frames.map((frame) => {
      const text = frame.text || (this.run.sourceLines[frame.line - 1] ?? '').trim();
      const link = h('button', { class: 'link frame-link', type: 'button', 'aria-label': `Show line ${frame.line} in the editor` }, `line ${frame.line}`);
      link.addEventListener('click', () => this.reveal(frame.line));
      return h('li', {}, link, h('span', { class: 'frame-name' }, ` in ${frame.name}`), text ? h('code', { class: 'frame-text' }, text) : null);
    });
    return h(
      'div',
      { class: 'error-block' },
      h('div', { class: 'error-title' }, icon('error'), h('span', {}, `${compare ? `${this.run.title}: ` : ''}${error.message}`)),
      frames.length > 0 ? h('ol', { class: 'frames', 'aria-label': 'Traceback, outermost first' }, ...frames) : null,
    );
  }

  private endBlock(compare: boolean): HTMLElement | null {
    const ended = this.run.ended;
    const lines = [ended?.message, this.run.capped && ended?.end !== 'event-cap' ? 'The tracer stopped reporting: too many events.' : undefined].filter((line): line is string => Boolean(line));
    if (lines.length === 0) return null;
    const kind = ended?.end === 'failed-to-start' || ended?.end === 'killed' || ended?.end === 'memory-limit' ? 'error' : ended?.end === 'stopped' ? 'info' : 'warning';
    return h('div', { class: `notice end-${ended?.end ?? 'running'}`, role: kind === 'error' ? 'alert' : 'status' }, icon(kind), h('pre', {}, `${compare ? `${this.run.title}: ` : ''}${lines.join('\n')}`));
  }
}

new Playground().start();
