#!/usr/bin/env node
// How fast can the playground webview follow a run? In Debian's Chromium
// (the same page and host stub as test/webview/check.js), events are fed at
// increasing rates, batched every 16 ms as the runner delivers them, for a
// few seconds each, while requestAnimationFrame measures frame times.
// Prints, per rate, the p95 and worst frame time and the frames over 50 ms,
// and the highest rate drawn with none. Then a real CPython run of 9,990
// concurrent consumers (one lane each, folded into one row by the timeline)
// is fed the same way: how long until it is all drawn, and its worst frame.
// A benchmark, not a timed test.
//
//   node bench/playground-render.js [seconds per rate, default 3]

'use strict';

const path = require('node:path');
const { buildWebview, openPlayground, runMessages, ROOT } = require('../test/webview/page');

// Loaded through tsx (page.js registers it).
const snippets = require('../test/webview/snippets.ts');
const CONSUMERS = 9990;

const RATES = [1_000, 5_000, 20_000, 50_000, 100_000];
const SECONDS = Number(process.argv[2] ?? 3);
const DROPPED_MS = 50;

/** Runs in the page: feeds one run's events at `rate` per second and records frame times. */
async function feed({ rate, seconds, runId, group }) {
  const tasks = ['reader-1', 'reader-2', 'reader-3', 'reader-4'];
  const source = 'import asyncio\n\nasync def main():\n    async for item in stream():\n        print(item)\n';
  window.postMessage({ type: 'runStarted', runId, group, position: 0, groupSize: 1, title: `${rate} events/s`, language: 'python', runtime: { kind: 'cpython', label: 'bench' }, source }, '*');
  window.postMessage({ type: 'events', runId, events: [{ t: 'start', wall: Date.now() / 1000 }, { t: 'loop', loop: 1, line: 4, col: 4, kind: 'for' }] }, '*');

  const frames = [];
  let last = performance.now();
  let measuring = true;
  const tick = (now) => {
    frames.push(now - last);
    last = now;
    if (measuring) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);

  const began = performance.now();
  let sent = 0;
  let n = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - began) / 1000;
      const due = Math.min(rate * seconds, Math.floor(rate * elapsed));
      const events = [];
      for (; sent < due; sent++) {
        const at = Math.round((sent / rate) * 1e9);
        if (sent % 10 === 9) events.push({ t: 'out', stream: 'stdout', at, text: `item ${sent}\n` });
        else events.push({ t: 'item', loop: 1, n: ++n, at, wait: Math.round((4 / rate) * 1e9), task: tasks[sent % 4], value: `'row ${sent}'` });
      }
      if (events.length > 0) window.postMessage({ type: 'events', runId, events }, '*');
      if (sent >= rate * seconds) {
        clearInterval(timer);
        resolve();
      }
    }, 16);
  });
  window.postMessage({ type: 'events', runId, events: [{ t: 'exit', at: Math.round(seconds * 1e9) }] }, '*');
  window.postMessage({ type: 'runEnded', runId, end: 'exited', milliseconds: seconds * 1000, exitCode: 0 }, '*');
  await new Promise((resolve) => setTimeout(resolve, 300));
  measuring = false;
  const settled = performance.now();
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const finalFrame = performance.now() - settled;
  const sorted = frames.slice(1).sort((a, b) => a - b);
  return {
    sent,
    frames: sorted.length,
    p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    worst: sorted.at(-1) ?? 0,
    dropped: sorted.filter((ms) => ms > 50).length,
    finalFrame,
    summary: document.querySelector('.summary-line')?.textContent ?? '',
    rowsInDom: document.querySelectorAll('.row').length,
  };
}

/** Runs in the page: posts `messages` one batch per 16 ms (as the runner delivers them); how long until all is drawn, and the worst frame meanwhile. */
async function feedRun(messages) {
  const frames = [];
  let last = performance.now();
  let measuring = true;
  const tick = (now) => {
    frames.push(now - last);
    last = now;
    if (measuring) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const began = performance.now();
  for (const message of messages) {
    window.postMessage(message, '*');
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  measuring = false;
  return { drawn: performance.now() - began, fed: messages.length * 16, worst: Math.max(...frames.slice(1)), rows: document.querySelectorAll('.run-timeline .lane-label:not(.output-label)').length };
}

async function main() {
  const out = path.join(ROOT, 'out', 'webview-bench');
  const assets = await buildWebview(path.join(out, 'assets'), { production: true });
  const playground = await openPlayground({ dir: path.join(out, 'browser'), assets, theme: 'dark' });
  try {
    await playground.send({ type: 'init', gallery: [], canRun: true, timeLimitMs: 60_000 });
    const rows = [];
    for (const [index, rate] of RATES.entries()) {
      const result = await playground.page.evaluate(feed, { rate, seconds: SECONDS, runId: `bench-${index}`, group: `bench-${index}` });
      rows.push({ rate, ...result });
      if (!result.summary.includes(`${(rate * SECONDS * 0.9).toLocaleString('en')} items`)) console.warn(`  (rate ${rate}: summary reads "${result.summary}")`);
    }
    const bad = playground.console.filter((entry) => entry.type === 'error' || entry.type === 'pageerror');
    if (bad.length > 0) console.warn('console errors:', bad);

    const pad = (value, width) => String(value).padStart(width);
    console.log(`\nplayground webview render, ${SECONDS} s per rate, events batched every 16 ms (Chromium ${await playground.page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1])}, headless)\n`);
    console.log(`${pad('events/s', 9)} ${pad('events', 8)} ${pad('frames', 7)} ${pad('p95 ms', 7)} ${pad('worst ms', 9)} ${pad(`>${DROPPED_MS} ms`, 7)} ${pad('rows in DOM', 12)}`);
    for (const row of rows) {
      console.log(`${pad(row.rate.toLocaleString('en'), 9)} ${pad(row.sent.toLocaleString('en'), 8)} ${pad(row.frames, 7)} ${pad(row.p95.toFixed(1), 7)} ${pad(row.worst.toFixed(1), 9)} ${pad(row.dropped, 7)} ${pad(row.rowsInDom, 12)}`);
    }
    const smooth = rows.filter((row) => row.dropped === 0).map((row) => row.rate);
    const best = smooth.length > 0 ? Math.max(...smooth) : undefined;
    console.log(`\nhighest rate without a frame over ${DROPPED_MS} ms: ${best === undefined ? 'none' : `${best.toLocaleString('en')} events/s`}`);

    const source = snippets.PY_CONSUMERS(CONSUMERS);
    const result = await snippets.python(source, 3 * CONSUMERS + 10);
    const messages = runMessages({ runId: 'consumers', group: 'consumers', position: 0, groupSize: 1, title: 'consumers.py', language: 'python', runtime: { kind: 'cpython', label: 'bench' }, source, result, batch: 256 });
    const many = await playground.page.evaluate(feedRun, messages);
    console.log(`\n${CONSUMERS.toLocaleString('en')} concurrent consumers (${result.events.length.toLocaleString('en')} events in ${messages.length - 2} batches, ${many.fed} ms of feeding): all drawn after ${many.drawn.toFixed(0)} ms, worst frame ${many.worst.toFixed(0)} ms, ${many.rows} row(s) of lanes`);
  } finally {
    await playground.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
