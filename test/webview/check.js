#!/usr/bin/env node
// The playground webview in a real browser (Debian's Chromium through
// playwright-core), fed events from real CPython and Node runs: what it
// shows, what it posts back, its CSP, its saved state, and screenshots in
// light, dark and high contrast (out/webview-screenshots/). Exit code 1 on
// any failed check.
//
//   node test/webview/check.js            all checks and screenshots
//   node test/webview/check.js --shots    screenshots only (no runs of the checks' extra steps)

'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { buildWebview, openPlayground, runMessages, ROOT } = require('./page');

// Loaded through tsx (page.js registers it): the real runners and the model the page bundles.
const snippets = require('./snippets.ts');
const { PlaygroundModel, summarize } = require('../../src/playground/webview/model.ts');
const { summaryLine, verdict } = require('../../src/playground/webview/text.ts');
const { Scale, niceSpan, LANE_HEIGHT } = require('../../src/playground/webview/timeline.ts');

const OUT = path.join(ROOT, 'out', 'webview-check');
/** Tasks of the folded-lanes check: far past the lanes the timeline draws one by one. */
const CONSUMERS = 3000;
const SHOTS = path.join(ROOT, 'out', 'webview-screenshots');

const GALLERY = [
  { id: 'countdown', title: 'Countdown', blurb: 'The seed article’s Countdown: an async iterator that hands out one number per second.', languages: ['python', 'typescript'], compare: false },
  { id: 'misconception', title: 'The common misconception', blurb: 'Two sources read one after another, then in a TaskGroup: sequential is not parallel.', languages: ['python', 'typescript'], compare: true },
  { id: 'event-listener', title: 'event_listener', blurb: 'Events arrive when they arrive; the loop waits for each one.', languages: ['python'], compare: false },
];
const TARGET = { uri: 'untitled:misconception.py', label: 'misconception.py', language: 'python' };
const CPYTHON = { kind: 'cpython', label: 'Python 3.11 (python3)' };
const NODE = { kind: 'node', label: 'Node.js 20' };
const init = (extra = {}) => ({ type: 'init', gallery: GALLERY, canRun: true, target: TARGET, timeLimitMs: 5000, ...extra });

const results = [];
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - started, error });
    console.log(`  ✗ ${name}\n      ${String(error && error.stack ? error.stack : error).split('\n').slice(0, 6).join('\n      ')}`);
  }
}

/** The expected model of a group, computed in Node from the same messages the page gets. */
function expected(messages) {
  const model = new PlaygroundModel();
  for (const message of messages) model.apply(message);
  return model;
}

function ok(result, what) {
  assert.equal(result.end, 'exited', `${what}: ${result.end} ${result.stderr}`);
  return result;
}

async function main() {
  const started = Date.now();
  fs.mkdirSync(SHOTS, { recursive: true });
  const assets = await buildWebview(path.join(OUT, 'assets'));

  console.log('running the snippets (CPython, Node)…');
  // The pairs run one run at a time, so neither disturbs the other's timings.
  const pySequential = ok(await snippets.python(snippets.PY_SEQUENTIAL), 'python sequential');
  const pyTaskGroup = ok(await snippets.python(snippets.PY_TASKGROUP), 'python taskgroup');
  const tsSequential = ok(await snippets.node(snippets.TS_SEQUENTIAL), 'node sequential');
  const tsPromiseAll = ok(await snippets.node(snippets.TS_PROMISE_ALL), 'node Promise.all');
  const [pyError, pyMany] = await Promise.all([snippets.python(snippets.PY_ERROR), snippets.python(snippets.PY_MANY(6000), 20_000)]);
  ok(pyError, 'python error');
  ok(pyMany, 'python many');
  const [pyConsumers, pyCrash] = await Promise.all([snippets.python(snippets.PY_CONSUMERS(CONSUMERS), 3 * CONSUMERS + 10), snippets.python(snippets.PY_CRASH)]);
  ok(pyConsumers, 'python consumers');
  assert.equal(pyCrash.end, 'killed', `python crash: ${pyCrash.end} ${pyCrash.stderr}`);

  const pyPair = [
    ...runMessages({ runId: 'g1-1', group: 'g1', position: 0, groupSize: 2, title: 'One after another', language: 'python', runtime: CPYTHON, source: snippets.PY_SEQUENTIAL, result: pySequential }),
    ...runMessages({ runId: 'g1-2', group: 'g1', position: 1, groupSize: 2, title: 'TaskGroup', language: 'python', runtime: CPYTHON, source: snippets.PY_TASKGROUP, result: pyTaskGroup }),
  ];
  const tsPair = [
    ...runMessages({ runId: 'g2-1', group: 'g2', position: 0, groupSize: 2, title: 'One after another', language: 'typescript', runtime: NODE, source: snippets.TS_SEQUENTIAL, result: tsSequential }),
    ...runMessages({ runId: 'g2-2', group: 'g2', position: 1, groupSize: 2, title: 'Promise.all', language: 'typescript', runtime: NODE, source: snippets.TS_PROMISE_ALL, result: tsPromiseAll }),
  ];
  const errorRun = runMessages({ runId: 'g3-1', group: 'g3', position: 0, groupSize: 1, title: 'ticks.py', language: 'python', runtime: CPYTHON, source: snippets.PY_ERROR, result: pyError });
  const manyRun = runMessages({ runId: 'g4-1', group: 'g4', position: 0, groupSize: 1, title: 'numbers.py', language: 'python', runtime: CPYTHON, source: snippets.PY_MANY(6000), result: pyMany, batch: 256 });

  const pyModel = expected(pyPair);
  const [pySeqRun, pyTgRun] = pyModel.runs;

  console.log('checking the webview in Chromium…');
  const playground = await openPlayground({ dir: path.join(OUT, 'browser'), assets, theme: 'dark' });
  const { page } = playground;
  const posted = () => playground.posted();
  const lastPosted = async (type) => (await posted()).filter((message) => message.type === type).at(-1);

  try {
    await step('posts `ready` first, then draws the gallery from `init`', async () => {
      const first = await posted();
      assert.deepEqual(first, [{ type: 'ready' }]);
      await playground.send(init());
      await playground.settle();
      assert.equal(await page.locator('.gallery .card').count(), 3);
      assert.equal(await page.locator('.card[data-id="misconception"] vscode-badge').textContent(), 'compare');
      assert.equal(await page.locator('.card[data-id="countdown"] vscode-badge').count(), 0);
      assert.match(await page.locator('.target').textContent(), /misconception\.py/);
      await page.screenshot({ path: path.join(SHOTS, 'gallery-dark.png') });
    });

    await step('gallery buttons post `openExample` (click, and Enter from the keyboard)', async () => {
      await playground.clearPosted();
      await page.locator('.card[data-id="misconception"] vscode-button', { hasText: 'TypeScript' }).click();
      assert.deepEqual(await lastPosted('openExample'), { type: 'openExample', id: 'misconception', language: 'typescript' });
      await page.locator('.card[data-id="countdown"] vscode-button', { hasText: 'Python' }).focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(await lastPosted('openExample'), { type: 'openExample', id: 'countdown', language: 'python' });
      // Tab reaches the toolbar and the cards.
      await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
      const reached = [];
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press('Tab');
        reached.push(await page.evaluate(() => `${document.activeElement?.tagName.toLowerCase()}:${document.activeElement?.textContent?.trim()}`));
      }
      assert.ok(reached.some((entry) => entry.startsWith('vscode-button:Run')), `Tab order: ${reached.join(', ')}`);
      assert.ok(reached.some((entry) => entry.startsWith('vscode-button:Python')), `Tab order: ${reached.join(', ')}`);
    });

    await step('an untrusted workspace: Run disabled, and the reason said in the panel', async () => {
      const why = 'The playground runs code, so it needs a trusted workspace. Trust this folder to run snippets.';
      await playground.send({ type: 'canRun', canRun: false, why });
      await playground.settle();
      assert.equal(await page.locator('.notice.untrusted').textContent(), why);
      assert.equal(await page.locator('vscode-button', { hasText: 'Run' }).first().evaluate((element) => element.disabled), true);
      await page.screenshot({ path: path.join(SHOTS, 'untrusted-dark.png') });
      await playground.send({ type: 'canRun', canRun: true });
      await playground.settle();
      assert.equal(await page.locator('.notice.untrusted').isHidden(), true);
      await playground.clearPosted();
      await page.locator('vscode-button', { hasText: 'Run' }).first().click();
      assert.deepEqual(await lastPosted('run'), { type: 'run' });
    });

    await step('progress shows a ring and its message; `done` clears it', async () => {
      await playground.send({ type: 'progress', message: 'Starting Pyodide (first run only)…' });
      await playground.settle();
      assert.equal(await page.locator('.toolbar-progress').isVisible(), true);
      assert.match(await page.locator('.toolbar-progress').textContent(), /Starting Pyodide/);
      await playground.send({ type: 'progress', message: '', done: true });
      await playground.settle();
      assert.equal(await page.locator('.toolbar-progress').isHidden(), true);
    });

    await step('Python: one after another vs TaskGroup on one time axis, with the right numbers', async () => {
      await playground.send(...pyPair);
      await playground.settle();
      assert.equal(await page.locator('.run-timeline').count(), 2);
      // One lane for the sequential run (one task), two for the TaskGroup (tasks a and b).
      assert.equal(await page.locator('.run-timeline').nth(0).locator('.lane-label:not(.output-label)').count(), 1);
      assert.equal(await page.locator('.run-timeline').nth(1).locator('.lane-label:not(.output-label)').count(), 2);
      const labels = await page.locator('.run-timeline').nth(1).locator('.lane-label:not(.output-label)').allTextContents();
      assert.match(labels[0], /^11\s+async for page in fetch_pages\(name, 0\.1\):/);
      assert.match(labels[0], /task a · 3 items · exhausted/);
      assert.match(labels[1], /task b · 3 items · exhausted/);
      const summaries = await page.locator('.summary-line').allTextContents();
      assert.deepEqual(summaries, [summaryLine(summarize(pySeqRun)), summaryLine(summarize(pyTgRun))]);
      assert.match(summaries[0], /6 items · .* waiting · nothing overlapped$/);
      assert.match(summaries[1], /6 items · .* overlapped, 2 at once$/);
      const line = await page.locator('.verdict').textContent();
      assert.equal(line, verdict({ title: 'One after another', wall: summarize(pySeqRun).wall }, { title: 'TaskGroup', wall: summarize(pyTgRun).wall }));
      const canvases = await page.locator('.run-timeline canvas').evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label')));
      assert.match(canvases[0], /6 items in 1 lane\b/);
      assert.match(canvases[1], /6 items in 2 lanes/);
      // Every item and print is listed, in true order.
      const rows = await page.locator('.list-block').nth(0).locator('.row').allTextContents();
      assert.equal(rows.length, pySeqRun.rows.length);
      assert.match(rows[0], /^#1.*'a-page-0'/);
      assert.match(rows[1], /^out.*got a-page-0/);
      await page.screenshot({ path: path.join(SHOTS, 'compare-python-dark.png'), fullPage: true });
    });

    /** Where item `index` of `run` is drawn in the `nth` run's canvas, in page coordinates. */
    const marble = async (nth, run, index) => {
      const box = await page.locator('.run-timeline canvas').nth(nth).boundingBox();
      const span = niceSpan(Math.max(...pyModel.runs.map((candidate) => summarize(candidate).wall)));
      const scale = new Scale(span, box.width);
      const item = run.items[index];
      return { x: box.x + scale.x(item.at), y: box.y + item.lane * LANE_HEIGHT + LANE_HEIGHT * 0.62 };
    };

    await step('hovering a marble shows its value and posts `highlight` with its line; leaving posts `line: null`', async () => {
      await playground.clearPosted();
      const point = await marble(1, pyTgRun, 3);
      await page.mouse.move(point.x, point.y);
      await playground.settle();
      const tip = page.locator('.tooltip');
      assert.equal(await tip.isVisible(), true);
      assert.match(await tip.textContent(), new RegExp(`#4\\s+${pyTgRun.items[3].value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.match(await tip.textContent(), /waiting \d+\.\d\d s/);
      assert.deepEqual(await lastPosted('highlight'), { type: 'highlight', runId: 'g1-2', line: snippets.PY_LOOP_LINE });
      await page.screenshot({ path: path.join(SHOTS, 'hover-dark.png') });
      await page.mouse.move(5, 5);
      await playground.settle();
      assert.deepEqual(await lastPosted('highlight'), { type: 'highlight', runId: 'g1-2', line: null });
      assert.equal(await tip.isHidden(), true);
    });

    await step('marbles by keyboard: arrows move between items and lanes, Enter reveals the loop', async () => {
      await playground.clearPosted();
      const canvas = page.locator('.run-timeline canvas').nth(1);
      await canvas.focus();
      const detail = page.locator('.run-timeline').nth(1).locator('.detail');
      assert.match(await detail.textContent(), /^#1 of 6/);
      await page.keyboard.press('ArrowRight');
      assert.match(await detail.textContent(), /^#2 of 6/);
      const firstLane = pyTgRun.items[1].lane;
      await page.keyboard.press(firstLane === 0 ? 'ArrowDown' : 'ArrowUp');
      const other = await detail.textContent();
      assert.match(other, new RegExp(`task ${pyTgRun.lanes[1 - firstLane].task}$`));
      await page.keyboard.press('End');
      assert.match(await detail.textContent(), /^#6 of 6/);
      await page.keyboard.press('Enter');
      assert.deepEqual(await lastPosted('reveal'), { type: 'reveal', runId: 'g1-2', line: snippets.PY_LOOP_LINE });
      assert.deepEqual(await lastPosted('highlight'), { type: 'highlight', runId: 'g1-2', line: snippets.PY_LOOP_LINE });
      await playground.settle();
      await page.screenshot({ path: path.join(SHOTS, 'keyboard-dark.png') });
    });

    await step('lane labels: hover highlights, click reveals the loop line', async () => {
      await playground.clearPosted();
      const label = page.locator('.run-timeline').nth(0).locator('.lane-label').first();
      await label.hover();
      assert.deepEqual(await lastPosted('highlight'), { type: 'highlight', runId: 'g1-1', line: snippets.PY_LOOP_LINE });
      await label.click();
      assert.deepEqual(await lastPosted('reveal'), { type: 'reveal', runId: 'g1-1', line: snippets.PY_LOOP_LINE });
      await page.mouse.move(5, 5);
      assert.deepEqual(await lastPosted('highlight'), { type: 'highlight', runId: 'g1-1', line: null });
    });

    await step('Re-run appears once something ran, and posts `rerun`', async () => {
      await playground.clearPosted();
      const rerun = page.locator('vscode-button', { hasText: 'Re-run' });
      assert.equal(await rerun.isVisible(), true);
      await rerun.click();
      assert.deepEqual(await lastPosted('rerun'), { type: 'rerun' });
    });

    for (const theme of ['light', 'high-contrast']) {
      await step(`the comparison in ${theme} (theme switched live)`, async () => {
        await playground.setTheme(theme);
        await playground.settle();
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(background, theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(0, 0, 0)');
        await page.screenshot({ path: path.join(SHOTS, `compare-python-${theme}.png`), fullPage: true });
      });
    }

    await step('the view survives a reload from its saved state (nothing re-run)', async () => {
      await playground.setTheme('dark');
      const before = await page.locator('.summary-line').allTextContents();
      await playground.reload();
      assert.deepEqual(await posted(), [{ type: 'ready' }]);
      await playground.settle();
      assert.equal(await page.locator('.run-timeline').count(), 2);
      assert.deepEqual(await page.locator('.summary-line').allTextContents(), before);
      assert.match(await page.locator('.target').textContent(), /misconception\.py/);
      // `init` after a restore keeps the run on screen; a replay of the same group redraws it the same.
      await playground.send(init(), ...pyPair);
      await playground.settle();
      assert.equal(await page.locator('.run-view').isVisible(), true);
      assert.deepEqual(await page.locator('.summary-line').allTextContents(), before);
    });

    await step('TypeScript: one after another vs Promise.all', async () => {
      await playground.send(...tsPair);
      await playground.settle();
      const model = expected(tsPair);
      assert.deepEqual(await page.locator('.summary-line').allTextContents(), model.runs.map((run) => summaryLine(summarize(run))));
      assert.equal(await page.locator('.run-timeline').nth(1).locator('.lane-label:not(.output-label)').count(), 2);
      assert.match(await page.locator('.run-timeline').nth(1).locator('.lane-label').first().textContent(), /for await · readAll#1/);
      assert.match(await page.locator('.verdict').textContent(), /^Promise\.all finished in .*faster than One after another/);
      await page.screenshot({ path: path.join(SHOTS, 'compare-typescript-dark.png'), fullPage: true });
    });

    await step('a run that breaks and raises: lane ends, the error and its traceback links', async () => {
      await playground.send(...errorRun);
      await playground.settle();
      const model = expected(errorRun);
      const run = model.runs[0];
      assert.deepEqual(run.lanes.map((lane) => lane.ends.map((end) => end.reason)), [['break'], ['error']]);
      const labels = await page.locator('.lane-label:not(.output-label)').allTextContents();
      assert.match(labels[0], /^13\s.*· break$/);
      assert.match(labels[1], /^16\s.*· error$/);
      assert.match(await page.locator('.error-title').textContent(), /ValueError: tick 3 is broken/);
      const frames = page.locator('.frames li');
      assert.equal(await frames.count(), run.error.frames.length);
      assert.match(await frames.last().textContent(), /line 8 in ticks/);
      await playground.clearPosted();
      await frames.last().locator('button').click();
      assert.deepEqual(await lastPosted('reveal'), { type: 'reveal', runId: 'g3-1', line: snippets.PY_ERROR_LINES.raise });
      await frames.first().locator('button').focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(await lastPosted('reveal'), { type: 'reveal', runId: 'g3-1', line: run.error.frames[0].line });
      const rows = await page.locator('.row').allTextContents();
      assert.ok(rows.some((row) => /^end.*line 13 · task Task-1: break after 2 items/.test(row)), rows.join('\n'));
      assert.ok(rows.some((row) => /^error.*ValueError: tick 3 is broken/.test(row)), rows.join('\n'));
      for (const theme of ['dark', 'light', 'high-contrast']) {
        await playground.setTheme(theme);
        await playground.settle();
        await page.screenshot({ path: path.join(SHOTS, `error-${theme}.png`), fullPage: true });
      }
      await playground.setTheme('dark');
    });

    await step('the end message: a time limit, in words', async () => {
      const message = 'Stopped after 5 s, the playground’s time limit (asyncLens.playground.timeLimit). An endless loop? Raise the limit if the snippet needs longer.';
      const cut = pyMany.events.slice(0, 400);
      await playground.send(...runMessages({ runId: 'g5-1', group: 'g5', position: 0, groupSize: 1, title: 'numbers.py', language: 'python', runtime: CPYTHON, source: snippets.PY_MANY(6000), result: { events: cut, end: 'timeout', milliseconds: 5000, exitCode: null, message } }));
      await playground.settle();
      assert.equal(await page.locator('.notice.end-timeout pre').textContent(), message);
    });

    await step('6,000 items: summary and virtualised list (how fast: bench/playground-render.js)', async () => {
      await playground.send(...manyRun);
      await playground.settle();
      const model = expected(manyRun);
      assert.equal(model.runs[0].items.length, 6000);
      assert.equal(await page.locator('.summary-line').textContent(), summaryLine(summarize(model.runs[0])));
      assert.match(await page.locator('.summary-line').textContent(), /6,000 items/);
      const rendered = await page.locator('.row').count();
      assert.ok(rendered > 5 && rendered < 80, `${rendered} rows in the DOM`);
      const spacer = await page.locator('.rows-spacer').evaluate((element) => element.style.height);
      assert.equal(spacer, `${model.runs[0].rows.length * 22}px`);
      // The list followed the run to its end.
      assert.match(await page.locator('.row').last().textContent(), /total 17997000|^end/);
      await page.locator('.rows').evaluate((element) => (element.scrollTop = 0));
      await playground.settle();
      assert.equal(await page.locator('.row-order').first().textContent(), '#1');
      await page.screenshot({ path: path.join(SHOTS, 'many-dark.png'), fullPage: true });
    });

    await step(`${CONSUMERS.toLocaleString('en')} concurrent consumers: their lanes fold into one row, and the page still answers`, async () => {
      const messages = runMessages({ runId: 'g6-1', group: 'g6', position: 0, groupSize: 1, title: 'consumers.py', language: 'python', runtime: CPYTHON, source: snippets.PY_CONSUMERS(CONSUMERS), result: pyConsumers, batch: 256 });
      await playground.send(...messages);
      await playground.settle();
      const model = expected(messages);
      assert.equal(model.runs[0].lanes.length, CONSUMERS);
      const labels = page.locator('.run-timeline .lane-label:not(.output-label)');
      assert.equal(await labels.count(), 1);
      assert.equal(await page.locator('.lane-label.folded').count(), 1);
      assert.match(await labels.first().textContent(), new RegExp(`async for item in one\\(number\\):.*async for · ${CONSUMERS.toLocaleString('en')} tasks · ${CONSUMERS.toLocaleString('en')} items · ${CONSUMERS.toLocaleString('en')} exhausted`));
      assert.match(await page.locator('.lanes-canvas').getAttribute('aria-label'), new RegExp(`in ${CONSUMERS.toLocaleString('en')} lanes, drawn in 1 row`));
      assert.equal(await page.locator('.summary-line').textContent(), summaryLine(summarize(model.runs[0])));
      // Answers: hovering the row tells how many arrived and waited there, and the toolbar still works.
      const box = await page.locator('.lanes-canvas').boundingBox();
      const scale = new Scale(niceSpan(summarize(model.runs[0]).wall), box.width);
      const busiest = model.runs[0].items[Math.floor(CONSUMERS / 2)];
      await page.mouse.move(box.x + scale.x(busiest.at), box.y + LANE_HEIGHT / 2);
      await playground.settle();
      assert.match(await page.locator('.tooltip').textContent(), /^[\d,]+ items? arrived, [\d,]+ waiting/);
      await page.screenshot({ path: path.join(SHOTS, 'many-lanes-dark.png'), fullPage: true });
      await page.mouse.move(5, 5);
      await playground.clearPosted();
      await page.locator('vscode-button', { hasText: 'Re-run' }).click();
      assert.deepEqual(await lastPosted('rerun'), { type: 'rerun' });
    });

    await step('a run killed by a signal says so: run head, summary, the cut lane and the end message', async () => {
      const message = 'The snippet’s process was killed by signal SIGSEGV: it crashed, or something outside the playground ended it.';
      await playground.send(...runMessages({ runId: 'g7-1', group: 'g7', position: 0, groupSize: 1, title: 'crash.py', language: 'python', runtime: CPYTHON, source: snippets.PY_CRASH, result: { ...pyCrash, message } }));
      await playground.settle();
      assert.equal(await page.locator('.run-status').textContent(), 'killed by signal SIGSEGV');
      assert.equal(await page.locator('.summary-end').textContent(), 'Ended: killed by signal SIGSEGV');
      assert.equal(await page.locator('.notice.end-killed pre').textContent(), message);
      assert.match(await page.locator('.lane-label').first().textContent(), /3 items$/);
      await page.screenshot({ path: path.join(SHOTS, 'killed-dark.png'), fullPage: true });
    });

    await step('`showGallery` switches to the gallery, which offers the way back', async () => {
      await playground.send({ type: 'showGallery' });
      await playground.settle();
      assert.equal(await page.locator('.gallery').isVisible(), true);
      assert.match(await page.locator('vscode-button', { hasText: 'Back to the run' }).textContent(), /Back to the run/);
      await page.locator('vscode-button', { hasText: 'Back to the run' }).click();
      await playground.settle();
      assert.equal(await page.locator('.run-view').isVisible(), true);
      await playground.setTheme('light');
      await playground.send({ type: 'showGallery' });
      await playground.settle();
      await page.screenshot({ path: path.join(SHOTS, 'gallery-light.png') });
      await playground.setTheme('high-contrast');
      await playground.settle();
      await page.screenshot({ path: path.join(SHOTS, 'gallery-high-contrast.png') });
    });

    await step('malformed host messages are ignored', async () => {
      await playground.send({ type: 'events', runId: 'nope', events: [{ t: 'item' }] }, { type: 'runStarted' }, 'hello', null);
      await playground.settle();
    });

    await step('the CSP holds: no violations so far, and an inline script is refused', async () => {
      assert.deepEqual(await playground.violations(), []);
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp, /default-src 'none'; script-src 'nonce-[^']+'; style-src https:\/\/playground\.webview\.test 'unsafe-inline'; font-src https:\/\/playground\.webview\.test; img-src https:\/\/playground\.webview\.test data:/);
      assert.doesNotMatch(csp, /unsafe-eval/);
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.body.append(script);
      });
      await playground.settle();
      assert.equal(await page.evaluate(() => window.__inlineRan), undefined);
      const violations = await playground.violations();
      assert.equal(violations.length, 1);
      assert.equal(violations[0].directive, 'script-src-elem');
    });

    await step('no errors or warnings in the console (besides the CSP refusal we provoked)', async () => {
      const bad = playground.console.filter((entry) => (entry.type === 'error' || entry.type === 'pageerror' || entry.type === 'warning') && !/^Executing inline script violates the following Content Security Policy/.test(entry.text));
      assert.deepEqual(bad, []);
    });
  } finally {
    await playground.close();
  }

  const failed = results.filter((result) => !result.ok);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s); screenshots in ${path.relative(ROOT, SHOTS)}/`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
