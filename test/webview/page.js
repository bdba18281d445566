// Loads the playground webview in Debian's Chromium the way VS Code hosts it:
// the page `playgroundHtml` renders (its CSP included), its bundle and
// stylesheets from one origin, VS Code's theme variables on <html>, and an
// `acquireVsCodeApi` that records what the page posts and keeps its state
// across reloads (as VS Code does for a webview). Host messages are posted
// into the page the way VS Code delivers them: window `message` events.
//
//   const playground = await openPlayground({ dir, theme: 'dark' });
//   await playground.send({ type: 'init', ... });
//   playground.posted()  → the page's messages so far

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const { register } = require('tsx/cjs/api');
const { launchBrowser } = require('../../scripts/vscode-server/browser');
const { applyTheme, setThemeInPage } = require('./themes');

register();
const { playgroundHtml } = require('../../src/playground/webview/html.ts');

const ROOT = path.resolve(__dirname, '..', '..');
const ORIGIN = 'https://playground.webview.test';

/** Builds the webview entry (the same options as esbuild.js's `webview` entry) into `outdir`. */
async function buildWebview(outdir, { production = false } = {}) {
  fs.mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['src/playground/webview/main.ts'],
    outfile: path.join(outdir, 'playground.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: production,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(ROOT, 'node_modules', '@vscode/codicons', 'dist', file), path.join(outdir, file));
  return outdir;
}

/** The stub of VS Code's webview host API, installed before the page's scripts run. */
function hostStub() {
  window.__posted = [];
  window.__violations = [];
  let acquired = false;
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
  });
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null') ?? undefined,
      setState: (state) => {
        sessionStorage.setItem('vscode-state', JSON.stringify(state));
        return state;
      },
    });
  };
}

/**
 * @param {{ dir: string, assets: string, theme?: string, viewport?: { width: number, height: number } }} options
 */
async function openPlayground(options) {
  const { page, close, context } = await launchBrowser({ dir: options.dir, viewport: options.viewport ?? { width: 1100, height: 820 } });
  const theme = applyTheme(options.theme ?? 'dark');
  const console = [];
  page.on('console', (message) => console.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => console.push({ type: 'pageerror', text: String(error) }));
  await context.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/' || url.pathname === '/index.html') {
      let html = playgroundHtml({
        cspSource: ORIGIN,
        nonce: Buffer.from(String(Math.random())).toString('base64'),
        scriptUri: `${ORIGIN}/playground.js`,
        styleUri: `${ORIGIN}/playground.css`,
        codiconUri: `${ORIGIN}/codicon.css`,
      });
      // VS Code writes the theme into the page before it runs.
      const style = Object.entries(theme.variables).map(([key, value]) => `${key}: ${value};`).join(' ');
      html = html.replace('<html lang="en">', `<html lang="en" style="${style.replace(/"/g, '&quot;')}">`).replace('<body>', `<body class="${theme.kind}" data-vscode-theme-kind="${theme.kind}" data-vscode-theme-name="${theme.name}">`);
      return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    }
    const file = path.join(options.assets, path.basename(url.pathname));
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const types = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };
    return route.fulfill({ status: 200, contentType: types[path.extname(file)] ?? 'application/octet-stream', body: fs.readFileSync(file) });
  });
  await context.addInitScript(hostStub);
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.__posted.length > 0);

  return {
    page,
    close,
    console,
    /** Posts host messages into the page (each a window `message` event, as VS Code does). */
    send: (...messages) => page.evaluate((list) => list.forEach((message) => window.postMessage(message, '*')), messages),
    posted: () => page.evaluate(() => window.__posted),
    clearPosted: () => page.evaluate(() => (window.__posted.length = 0)),
    violations: () => page.evaluate(() => window.__violations),
    setTheme: (name) => page.evaluate(setThemeInPage, applyTheme(name)),
    /** Waits until the page has drawn everything sent so far (two animation frames). */
    settle: () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))),
    reload: async () => {
      await page.reload();
      await page.waitForFunction(() => window.__posted.length > 0);
    },
  };
}

/** Host messages for one run: runStarted, its events in batches (as the runner delivers them), runEnded. */
function runMessages({ runId, group, position, groupSize, title, language, runtime, source, result, batch = 64 }) {
  const messages = [{ type: 'runStarted', runId, group, position, groupSize, title, language, runtime, source }];
  for (let i = 0; i < result.events.length; i += batch) messages.push({ type: 'events', runId, events: result.events.slice(i, i + batch) });
  messages.push({ type: 'runEnded', runId, end: result.end, milliseconds: result.milliseconds, exitCode: result.exitCode, ...(result.reason ? { reason: result.reason } : {}), ...(result.message ? { message: result.message } : {}) });
  return messages;
}

module.exports = { buildWebview, openPlayground, runMessages, ORIGIN, ROOT };
