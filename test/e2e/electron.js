#!/usr/bin/env node
// Runs the same end-to-end suite in desktop VS Code through @vscode/test-electron,
// for machines with internet access (it downloads VS Code into .vscode-test/)
// or with VS Code installed (VSCODE_EXECUTABLE_PATH=/path/to/code). The offline
// runner, which needs neither, is test/e2e/run.js.
//
//   node test/e2e/electron.js                (npm run test:e2e:electron)
//   VSCODE_EXECUTABLE_PATH=/usr/share/code/code node test/e2e/electron.js
//   VSCODE_TEST_VERSION=1.100.0 node test/e2e/electron.js   (default: stable)
//   ASYNC_LENS_E2E_GREP=diagnostics node test/e2e/electron.js
//
// On Linux without a display, run it under `xvfb-run -a`.

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { buildIfNeeded, makeRunFolder, HarnessError, ROOT, SUITE_INDEX } = require('./run');

async function main() {
  const started = Date.now();
  let runTests;
  try {
    ({ runTests } = require('@vscode/test-electron'));
  } catch {
    throw new HarnessError('@vscode/test-electron is missing; run: npm ci');
  }
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (executable && !fs.existsSync(executable)) throw new HarnessError(`VSCODE_EXECUTABLE_PATH does not exist: ${executable}`);
  buildIfNeeded();
  const { runDir, workspace } = makeRunFolder('electron');
  console.log(`[e2e:electron] run folder ${path.relative(ROOT, runDir)}`);
  const version = process.env.VSCODE_TEST_VERSION || 'stable';
  console.log(executable ? `[e2e:electron] using ${executable}` : `[e2e:electron] downloading VS Code ${version} (cached in .vscode-test/) unless already there`);

  let code;
  try {
    code = await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : { version }),
      cachePath: path.join(ROOT, '.vscode-test'),
      timeout: 30_000,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: SUITE_INDEX,
      extensionTestsEnv: {
        ASYNC_LENS_E2E: '1',
        ASYNC_LENS_E2E_WORKSPACE: workspace,
        ...(process.env.ASYNC_LENS_E2E_GREP ? { ASYNC_LENS_E2E_GREP: process.env.ASYNC_LENS_E2E_GREP } : {}),
      },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-telemetry',
        '--user-data-dir', path.join(runDir, 'user'),
        '--extensions-dir', path.join(runDir, 'extensions'),
      ],
    });
  } catch (error) {
    if (!(error && typeof error === 'object' && 'code' in error && typeof error.code === 'number')) {
      fs.rmSync(runDir, { recursive: true, force: true });
    }
    if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'number') {
      // TestRunFailedError: VS Code ran and the suite failed (its output is above).
      code = error.code;
    } else if (!executable) {
      throw new HarnessError(
        `could not download VS Code ${version} (${error instanceof Error ? error.message : error}).\n` +
          '  Without internet access, use the offline runner instead: npm run test:e2e\n' +
          '  or point this one at an installed VS Code: VSCODE_EXECUTABLE_PATH=/path/to/code npm run test:e2e:electron',
      );
    } else {
      throw new HarnessError(`could not run ${executable}: ${error instanceof Error ? error.message : error}`);
    }
  }
  if (code === 0) fs.rmSync(runDir, { recursive: true, force: true });
  else console.error(`[e2e:electron] kept the run folder: ${runDir}`);
  console.log(`[e2e:electron] ${code === 0 ? 'the suite passed' : `the suite failed (exit code ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`[e2e:electron] ${error instanceof HarnessError ? error.message : error?.stack ?? error}`);
    process.exitCode = 2;
  },
);
