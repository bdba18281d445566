// The UI-level check: the extension packaged as a user installs it (.vsix),
// in the offline VS Code server, driven through the workbench in Chromium
// like a person would: open a file, see the squiggle, hover it, open the
// quick-fix menu, follow the docs link, apply the fix, open Problems. Each
// step waits on the DOM (no fixed sleeps) and saves a screenshot.
//
//   node test/e2e/ui.js                       screenshots in the run folder
//   UPDATE_SCREENSHOTS=1 node test/e2e/ui.js  also copies them to docs/screenshots/
//
// Exit code 0 when every step passed, 1 otherwise.

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { PATHS } = require('../../scripts/vscode-server/paths');
const { packageVsix } = require('../../scripts/package-vsix');
const { startServer, installExtension } = require('../../scripts/vscode-server/server');
const { launchBrowser } = require('../../scripts/vscode-server/browser');
const { runCleanups, withTimeout } = require('../../scripts/vscode-server/processes');

const ROOT = PATHS.project;
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
const OVERALL_TIMEOUT_MS = 6 * 60_000;
const STEP_TIMEOUT_MS = 30_000;

function log(message) {
  console.log(`[ui] ${message}`);
}

function packageInto(runDir) {
  const vsix = path.join(runDir, 'async-lens.vsix');
  packageVsix(vsix);
  log(`packaged ${path.relative(ROOT, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)`);
  return vsix;
}

async function main() {
  const started = Date.now();
  const runDir = path.join(PATHS.runs, `ui-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const shots = path.join(runDir, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const workspace = path.join(runDir, 'examples');
  fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });

  const vsix = packageInto(runDir);
  const dataDir = path.join(runDir, 'server');
  const extensionsDir = path.join(dataDir, 'extensions');
  installExtension(vsix, { dataDir, extensionsDir });

  const server = await startServer({
    dataDir,
    extensionsDir,
    settings: {
      'workbench.colorTheme': 'Default Dark Modern',
      'editor.fontSize': 15,
      'editor.minimap.enabled': false,
      'editor.hover.delay': 100,
      'workbench.tips.enabled': false,
      'window.commandCenter': false,
      'workbench.layoutControl.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.secondarySideBar.showLabels': false,
    },
  });
  log(`server ready in ${server.readyMilliseconds} ms at ${server.url}`);
  const { page, close } = await launchBrowser({ dir: runDir, viewport: { width: 1280, height: 800 } });
  const saved = [];
  const shot = async (name) => {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file });
    saved.push(file);
    log(`screenshot ${path.relative(ROOT, file)}`);
  };

  try {
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
    log('workbench ready');

    // Open crawler/main.py with Quick Open, as a user would (once the workbench has keyboard focus).
    const quickInput = page.locator('.quick-input-widget input');
    await page.locator('.part.editor').click();
    await page.keyboard.press('Control+P');
    await quickInput.waitFor();
    await quickInput.fill('crawler/main.py');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'main.py' }).waitFor();
    const squiggles = page.locator('.monaco-editor .squiggly-error');
    await squiggles.first().waitFor();
    const opened = Date.now();
    log(`squiggles visible: ${await squiggles.count()}`);

    // Hover the first squiggle (the `for` over fetch_pages()).
    const box = await squiggles.first().boundingBox();
    if (!box) throw new Error('the first squiggle has no box');
    await page.mouse.move(box.x + Math.min(40, box.width / 2), box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'AIT101' });
    await hover.waitFor();
    const hoverText = await hover.innerText();
    if (!/Async Lens/.test(hoverText) || !/cannot iterate the async generator/.test(hoverText)) throw new Error(`unexpected hover: ${hoverText}`);
    // The hover's status bar says "Quick Fix..." once code actions are known.
    await hover.locator('.action', { hasText: 'Quick Fix' }).waitFor();
    await shot('hover');

    // The quick-fix menu on the squiggle (the hover must be gone first, or it takes the key).
    await page.mouse.click(box.x + Math.min(40, box.width / 2), box.y + box.height / 2);
    await page.keyboard.press('Escape');
    await page.locator('.monaco-hover').first().waitFor({ state: 'hidden' }).catch(() => undefined);
    const menu = page.locator('.action-widget').first();
    await openQuickFix(page, menu.locator('.action-list-item', { hasText: 'Use `async for`' }).or(menu.locator('.monaco-list-row', { hasText: 'Use `async for`' })).first());
    const menuText = await menu.innerText();
    for (const expected of ['Disable AIT101 for this line', 'Show documentation for AIT101']) {
      if (!menuText.includes(expected)) throw new Error(`the quick-fix menu lacks "${expected}": ${menuText}`);
    }
    await shot('quick-fix');

    // Apply the preferred fix from the menu: the squiggle on that line goes away.
    const before = await squiggles.count();
    await menu.locator('.action-list-item, .monaco-list-row', { hasText: 'Use `async for`' }).first().click();
    await page.locator('.view-line', { hasText: 'async for page in fetch_pages' }).first().waitFor();
    await page.waitForFunction((count) => document.querySelectorAll('.monaco-editor .squiggly-error').length < count, before);
    log(`fix applied: ${before} → ${await squiggles.count()} squiggles`);

    // Problems panel.
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.nth(4).waitFor();
    const problemsText = await page.locator('.markers-panel').innerText();
    for (const code of ['AIT101', 'AIT102', 'AIT104', 'AIT105']) {
      if (!problemsText.includes(code)) throw new Error(`the Problems panel lacks ${code}`);
    }
    await shot('problems');

    // The docs link in a hover opens the rendered rule page.
    await page.keyboard.press('Control+Shift+M');
    const remaining = await squiggles.first().boundingBox();
    if (!remaining) throw new Error('no squiggle left to hover');
    await page.mouse.move(remaining.x + remaining.width / 2, remaining.y + remaining.height / 2);
    const link = page.locator('.monaco-hover a.code-link').first();
    await link.waitFor();
    const code = (await link.innerText()).trim();
    await link.click();
    await page.locator('.tab', { hasText: `Preview ${code}.md` }).waitFor();
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await preview.locator('h1, h2').first().waitFor();
    const previewText = await preview.locator('body').innerText();
    if (!/What it does/.test(previewText)) throw new Error(`the docs preview does not look like rule docs: ${previewText.slice(0, 200)}`);
    await shot('rule-docs');
    log(`docs of ${code} rendered ${Date.now() - opened} ms after the squiggles appeared`);

    await sequentialFix(page, shot);
    await aclosingFix(page, shot);
    await typescriptQuickFix(page, shot);
    await playground(page, shot);
    await playgroundTypeScript(page, shot);
  } catch (error) {
    await shot('failure').catch(() => undefined);
    throw error;
  } finally {
    await close();
    await server.stop();
  }

  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const file of saved) fs.copyFileSync(file, path.join(SCREENSHOTS, path.basename(file)));
    log(`copied ${saved.length} screenshots to ${path.relative(ROOT, SCREENSHOTS)}/`);
  }
  log(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The misconception (AIT301): a loop that downloads one page at a time gets
 * a warning; its fix, which is unsafe and so not the preferred one, rewrites
 * the loop with `asyncio.gather` from the quick-fix menu, and the warning goes.
 */
async function sequentialFix(page, shot) {
  // The rule docs preview (a webview) has the focus: give it back to a text editor first.
  await page.locator('.tab', { hasText: 'main.py' }).first().click();
  await page.locator('.monaco-editor .view-lines').first().click();
  // The cursor on the awaited call of `archive`, then the quick-fix menu.
  await openWithWarnings(page, 'misconception/downloads.py', 29, 30);
  const warnings = page.locator('.monaco-editor .squiggly-warning');
  const menu = page.locator('.action-widget').first();
  const title = 'Run them concurrently with `asyncio.gather`';
  const item = menu.locator('.action-list-item, .monaco-list-row', { hasText: title }).first();
  await openQuickFix(page, item);
  const menuText = await menu.innerText();
  if (!/Disable AIT301 for this line/.test(menuText)) throw new Error(`the quick-fix menu lacks the AIT301 entries: ${menuText}`);
  await shot('sequential-quick-fix');
  const before = await warnings.count();
  await item.click();
  await page.locator('.view-line', { hasText: 'pages.extend(await asyncio.gather(' }).first().waitFor();
  await page.waitForFunction((count) => document.querySelectorAll('.monaco-editor .squiggly-warning').length < count, before);
  await shot('sequential-fixed');
  log(`AIT301 fix applied from the menu: ${before} → ${await warnings.count()} warning squiggles`);
  await page.keyboard.press('Control+Z');
}

/** Opens a file with Quick Open, waits for its warnings, and puts the cursor at line:column. */
async function openWithWarnings(page, relative, line, column) {
  const quickInput = page.locator('.quick-input-widget input');
  const name = path.basename(relative);
  await page.keyboard.press('Control+P');
  await quickInput.waitFor();
  await quickInput.fill(relative);
  // The list shows recent files first: wait until it has filtered down to ours.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .squiggly-warning').first().waitFor();
  await page.keyboard.press('Control+G');
  await quickInput.waitFor();
  await quickInput.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
}

/**
 * AIT402: `break` out of an async generator with cleanup; the fix (unsafe)
 * wraps the loop in `async with aclosing(...)` and adds the import.
 */
async function aclosingFix(page, shot) {
  await openWithWarnings(page, 'lifecycle/seats.py', 24, 10);
  const menu = page.locator('.action-widget').first();
  const item = menu.locator('.action-list-item, .monaco-list-row', { hasText: 'when the loop is left' }).first();
  await openQuickFix(page, item);
  await shot('aclosing-quick-fix');
  await item.click();
  await page.locator('.view-line', { hasText: 'from contextlib import aclosing' }).first().waitFor();
  await page.locator('.view-line', { hasText: 'async with aclosing(conveyor_belt()) as' }).first().waitFor();
  await shot('aclosing-fixed');
  log('AIT402 fix applied from the menu: the loop is wrapped in aclosing() and the import added');
  await page.keyboard.press('Control+Z');
}

/**
 * TypeScript, through the tsserver plugin the .vsix carries: AIT103's warning
 * on `for await` over promises already running, its hover (code, source,
 * message), and its fix from the quick-fix menu, beside "Show documentation".
 */
async function typescriptQuickFix(page, shot) {
  await openWithWarnings(page, 'javascript/pages.ts', 32, 30);
  // The focused editor's squiggle (editors of other tabs keep theirs in the page); the cursor is on it: show its hover.
  await page.locator('.monaco-editor.focused .squiggly-warning').first().waitFor({ state: 'attached' });
  const hover = page.locator('.monaco-hover', { hasText: 'AIT103' });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    try {
      await hover.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      await page.keyboard.press('Escape');
    }
  }
  const hoverText = await hover.innerText();
  if (!/Async Lens/.test(hoverText) || !/already running/.test(hoverText)) throw new Error(`unexpected hover: ${hoverText}`);
  await hover.locator('.action', { hasText: 'Quick Fix' }).waitFor();
  await shot('typescript-hover');

  await page.keyboard.press('Escape');
  await page.locator('.monaco-hover').first().waitFor({ state: 'hidden' }).catch(() => undefined);
  const menu = page.locator('.action-widget').first();
  const item = menu.locator('.action-list-item, .monaco-list-row', { hasText: 'await Promise.all' }).first();
  await openQuickFix(page, item);
  const menuText = await menu.innerText();
  if (!/Show documentation for AIT103/.test(menuText)) throw new Error(`the quick-fix menu lacks "Show documentation for AIT103": ${menuText}`);
  await shot('typescript-quick-fix');
  await item.click();
  await page.locator('.view-line', { hasText: 'of await Promise.all(urls.map(fetchPage))' }).first().waitFor();
  log('AIT103 fix applied in a .ts file from the menu (tsserver plugin)');
  await page.keyboard.press('Control+Z');
}

/**
 * Presses Ctrl+. until the quick-fix menu shows `item`: code actions are
 * computed after the diagnostics arrive, and a key pressed before that
 * opens nothing. Each attempt waits on the menu, never a fixed time.
 */
async function openQuickFix(page, item) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await item.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Runs a command from the command palette, as a user would. */
async function command(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(title.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'i') }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * The frame of the webview whose page shows `selector` (webviews are nested
 * iframes, and several may be open): waits until a frame shows it or a new
 * frame appears, then looks again.
 */
async function webviewFrame(page, selector) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const timeout = Math.max(1, deadline - Date.now());
    const attached = page.waitForEvent('frameattached', { timeout }).then(() => 'attached', () => 'timeout');
    const shown = Promise.any(page.frames().map((frame) => frame.locator(selector).first().waitFor({ timeout }).then(() => frame))).catch(() => 'timeout');
    const outcome = await Promise.race([shown, attached]);
    if (typeof outcome !== 'string') return outcome;
    if (outcome === 'timeout' || Date.now() >= deadline) throw new Error(`no webview shows ${selector}`);
  }
}

/**
 * The Async Playground: open the gallery, run the sequential-vs-concurrent
 * pair, check the verdict and the summaries, hover a lane (its loop is
 * highlighted in the editor), and take screenshots in the dark and light themes.
 */
async function playground(page, shot) {
  // The editor (crawler/main.py) stays on the left, the panel opens beside it; the side bar makes room.
  await page.keyboard.press('Control+B');
  await command(page, 'Async Lens: Open Playground');
  const frame = await webviewFrame(page, '.gallery .card[data-id="misconception"]');
  log('playground gallery shown');
  const card = frame.locator('.card[data-id="misconception"]');
  await card.locator('vscode-button', { hasText: 'Python' }).click();
  const verdict = frame.locator('.verdict', { hasText: 'faster' });
  await verdict.waitFor({ timeout: 30_000 });
  const verdictText = await verdict.innerText();
  log(`verdict: ${verdictText}`);
  if (!/\d\.\d×? faster|faster than/.test(verdictText)) throw new Error(`unexpected verdict: ${verdictText}`);
  const summaries = await frame.locator('.summary-line').allInnerTexts();
  if (summaries.length !== 2 || !/overlapped/.test(summaries[1])) throw new Error(`unexpected summaries: ${summaries.join(' | ')}`);
  // The example's two snippets opened as editors left of the panel, once each.
  await besideThePanel(page, ['misconception-sequential.py', 'misconception-concurrent.py']);

  await page.mouse.move(5, 790);
  await shot('playground-dark');

  // Hovering a lane label highlights its loop's line in the editor.
  const before = await page.locator('.monaco-editor .view-overlays .cdr').count();
  await frame.locator('.lane-label[data-row]').first().hover();
  await page.waitForFunction((count) => document.querySelectorAll('.monaco-editor .view-overlays .cdr').length > count, before);
  log('hovering a lane highlights its loop in the editor');
  await page.mouse.move(5, 790);

  // The user switches to the light theme; the panel follows at once.
  await command(page, 'Preferences: Toggle between Light/Dark Themes');
  await frame.locator('body.vscode-light').waitFor();
  await shot('playground-light');
  await command(page, 'Preferences: Toggle between Light/Dark Themes');
  await frame.locator('body.vscode-dark').waitFor();
}

/**
 * A new user's first TypeScript example: nothing open but the gallery (so the
 * panel starts in the first group), the misconception in TypeScript. Its
 * snippets open once each, left of the panel as in Python, and the editor
 * knows Node's types (the hover on the `node:timers/promises` import), so
 * no compiler error shows: the one squiggle is AIT301 on the sequential belts,
 * the lesson of the example.
 */
async function playgroundTypeScript(page, shot) {
  await command(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
  await command(page, 'Async Lens: Open Playground');
  const gallery = await webviewFrame(page, '.gallery .card[data-id="misconception"]');
  await gallery.locator('.card[data-id="misconception"] vscode-button', { hasText: 'TypeScript' }).click();
  // The panel may have been moved to the right of the code: find its page again.
  const frame = await webviewFrame(page, '.verdict:has-text("faster")');
  log(`TypeScript verdict: ${await frame.locator('.verdict').innerText()}`);
  const names = ['misconception-sequential.ts', 'misconception-concurrent.ts'];
  await besideThePanel(page, names);

  // The import of Node's timers is typed: tsserver has Node's types for the example.
  const editor = page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: names[0] }) }).locator('.monaco-editor').first();
  const sleep = editor.locator('.view-line', { hasText: 'node:timers/promises' }).locator('span span', { hasText: /^\s*sleep\s*$/ }).first();
  await sleep.hover();
  const hover = page.locator('.monaco-hover', { hasText: 'Promise<T>' });
  await hover.waitFor();
  log(`hover on sleep: ${(await hover.innerText()).split('\n')[0]}`);
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 790);
  await hover.waitFor({ state: 'hidden' });
  // The one squiggle is the lesson: AIT301 on the belts eaten one after the other (a warning, no compiler error).
  const warnings = editor.locator('.squiggly-warning');
  await warnings.first().waitFor();
  const errors = await editor.locator('.squiggly-error').count();
  if (errors > 0) throw new Error(`the TypeScript example shows ${errors} error squiggles`);
  if ((await warnings.count()) !== 1) throw new Error(`the TypeScript example shows ${await warnings.count()} warning squiggles, not AIT301's one`);
  await shot('playground-typescript');

  // Problems: AIT301 for the sequential snippet, nothing from TypeScript, nothing for the concurrent one.
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor();
  await page.locator('.markers-panel', { hasText: 'AIT301' }).waitFor();
  const problems = await page.locator('.markers-panel').innerText();
  if (problems.includes(names[1])) throw new Error(`Problems lists ${names[1]}: ${problems}`);
  if (/\bts\(\d+\)/.test(problems)) throw new Error(`Problems lists a TypeScript error: ${problems}`);
  log(`Problems, with the TypeScript example open: ${JSON.stringify(problems.slice(0, 120))}`);
  await page.keyboard.press('Control+Shift+M');
}

/** Each of `names` is shown by exactly one tab, and those tabs are left of the playground's. */
async function besideThePanel(page, names) {
  const panel = page.locator('.tab', { hasText: 'Async Playground' });
  await panel.waitFor();
  const panelBox = await panel.boundingBox();
  for (const name of names) {
    const tabs = page.locator('.tab', { hasText: name });
    await tabs.first().waitFor();
    const count = await tabs.count();
    if (count !== 1) throw new Error(`${name} is open in ${count} tabs`);
    const box = await tabs.first().boundingBox();
    if (!box || !panelBox || box.x >= panelBox.x) throw new Error(`${name} is not left of the panel (${box?.x} vs ${panelBox?.x})`);
  }
}

withTimeout(main(), OVERALL_TIMEOUT_MS, 'the UI check')
  .then(() => 0, (error) => {
    console.error(`[ui] FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await runCleanups();
    process.exit(code);
  });
