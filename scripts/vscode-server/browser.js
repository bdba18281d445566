// Launches Debian's Chromium through playwright-core (which cannot download
// its own browsers here), headless, with a fresh profile inside a run folder.
//
//   const { launchBrowser } = require('./browser');
//   const { page, close } = await launchBrowser({ dir: runDir });
//   await page.goto(url);
//   await close();

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { CHROMIUM } = require('./paths');
const { onCleanup, isolatedEnv } = require('./processes');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * @param {object} options
 * @param {string} options.dir the run folder: the profile goes to `dir/chromium-profile`, HOME/TMPDIR inside `dir`
 * @param {boolean} [options.headless] default true (set ASYNC_LENS_HEADED=1 to watch, given a display)
 * @param {{ width: number, height: number }} [options.viewport] default 1400×900
 * @param {string[]} [options.args] extra Chromium arguments
 */
async function launchBrowser(options) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; run: node scripts/vscode-server/setup.js (or set ASYNC_LENS_CHROMIUM)`);
  }
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    throw new Error('playwright-core is missing; run: npm ci');
  }
  const dir = path.resolve(options.dir);
  const profile = path.join(dir, 'chromium-profile');
  fs.rmSync(profile, { recursive: true, force: true });
  fs.mkdirSync(profile, { recursive: true });
  const headless = options.headless ?? process.env.ASYNC_LENS_HEADED !== '1';

  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    env: isolatedEnv(dir),
    viewport: options.viewport ?? { width: 1400, height: 900 },
    // The harness owns signal handling (processes.js) and stops the browser itself.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());

  let closing;
  const close = () => {
    closing ??= (async () => {
      unregister();
      try {
        await context.close();
      } catch {
        // Already closed or crashed.
      }
    })();
    return closing;
  };
  const unregister = onCleanup(close);
  return { browser: context.browser(), context, page, close };
}

module.exports = { launchBrowser, CHROMIUM_ARGS };
