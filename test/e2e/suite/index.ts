/*
 * The end-to-end suite's entry, loaded by VS Code's extension host (the
 * `extensionTestsPath` of test/e2e/run.js and test/e2e/electron.js). esbuild
 * bundles every `test/e2e/suite/*.ts` to `out/e2e/suite/`; this runs each
 * `*.test.js` next to it with mocha (bundled in here; `vscode` stays external).
 *
 * Getting output out: under test, the workbench logs what the extension host's
 * console prints, but only a string first argument, with the remaining
 * arguments joined by commas (no `%s` formatting), and drops `console.log()`
 * and `console.error(error)`. So while the suite runs, console methods (the
 * tests', the extension's, mocha's reporter) print one preformatted string,
 * prefixed with ASYNC_LENS_E2E_OUTPUT_PREFIX when the runner sets it so it can
 * tell them from the workbench's own log lines.
 *
 * ASYNC_LENS_E2E_GREP selects tests (mocha grep on the full title).
 */

import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Makes every console method print one formatted string; returns the undo.
 * The extension host defines the console methods as getters with a no-op
 * setter, so they are redefined rather than assigned.
 */
function preformatConsole(): () => void {
  const prefix = process.env.ASYNC_LENS_E2E_OUTPUT_PREFIX ?? '';
  const restores: (() => void)[] = [];
  const emitters = new Map<string, (...args: unknown[]) => void>();
  for (const method of METHODS) {
    const descriptor = Object.getOwnPropertyDescriptor(console, method);
    const forward = console[method];
    const emit = (...args: unknown[]) => forward.call(console, prefix + (args.length === 0 ? '' : format(...args)));
    emitters.set(method, emit);
    try {
      Object.defineProperty(console, method, { configurable: true, enumerable: true, get: () => emit, set: () => {} });
      if (descriptor) restores.push(() => Object.defineProperty(console, method, descriptor));
    } catch {
      // Not redefinable: mocha's output below is still formatted.
    }
  }
  // Mocha's reporters print through Base.consoleLog, captured when mocha loaded.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const originalConsoleLog = base.consoleLog;
  base.consoleLog = emitters.get('log')!;
  restores.push(() => {
    base.consoleLog = originalConsoleLog;
  });
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}

const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(file: string): SourceMap | undefined {
  if (!sourceMaps.has(file)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined;
    }
    sourceMaps.set(file, map);
  }
  return sourceMaps.get(file);
}

/**
 * Rewrites bundle positions (`/…/out/e2e/suite/x.test.js:1:1146`) in a stack
 * to their TypeScript sources through the .map files esbuild writes. Node's
 * own source-map support cannot help: the extension host owns
 * `Error.prepareStackTrace`.
 */
export function mapStack(stack: string): string {
  return stack.replace(/(\/[^\s():]+\.js):(\d+):(\d+)/g, (whole, file: string, line: string, column: string) => {
    const entry = sourceMapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return whole;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

export async function run(): Promise<void> {
  const restoreConsole = preformatConsole();
  try {
    await runMocha();
  } finally {
    restoreConsole();
  }
}

function runMocha(): Promise<void> {
  const grep = process.env.ASYNC_LENS_E2E_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 30_000,
    ...(grep ? { grep } : {}),
  });
  const files = fs.readdirSync(__dirname).filter((file) => file.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  console.log(`[e2e] VS Code ${vscode.version}, ${vscode.env.appHost}: ${files.length} test files in ${__dirname}${grep ? `, grep ${JSON.stringify(grep)}` : ''}`);

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        console.log(`[e2e] ${passes} passed, ${failures} failed, ${pending} skipped`);
        const problem =
          failures > 0 ? `${failures} end-to-end test${failures === 1 ? '' : 's'} failed`
          : passes === 0 ? (grep ? `no end-to-end test matches ASYNC_LENS_E2E_GREP=${JSON.stringify(grep)}` : 'no end-to-end test ran')
          : undefined;
        if (problem) {
          console.error(`[e2e] ${problem}`);
          reject(new Error(problem));
        } else resolve();
      });
      // Before the reporter prints the failures at the end.
      runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (_test, error: unknown) => {
        if (error instanceof Error && typeof error.stack === 'string') error.stack = mapStack(error.stack);
      });
    } catch (error) {
      // A test file that throws while loading.
      console.error('[e2e] could not load the tests:', error);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
