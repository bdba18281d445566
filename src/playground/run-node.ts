/*
 * The Node runner for tests, benchmarks and tools that may load TypeScript in
 * their own thread: instrument, then run (run.ts). The VS Code extension
 * instruments in a worker thread instead (js/transformer.ts), so TypeScript
 * never loads into the extension host; that is why this lives apart from run.ts.
 */

import { pathToFileURL } from 'node:url';
import { transformSnippet, type TransformedSnippet } from './js/transform';
import { runTransformed, type RunLimits, type TracedRun } from './run';

export interface NodeRunOptions extends RunLimits {
  readonly code: string;
  /** JavaScript or TypeScript (`.ts` is transpiled; both may use top-level `await`). */
  readonly fileName?: string;
  /** The runtime module (`dist/runtime.mjs` when bundled). */
  readonly runtime: string;
  /** The Node executable; this process's own by default. */
  readonly node?: string;
}

/** Transpiles and instruments a JS/TS snippet in this thread, then runs it in a child Node process (a real process: no sandbox pretence). */
export function runNode(options: NodeRunOptions): TracedRun & { readonly loops: TransformedSnippet['loops'] } {
  return runTransformed(transformSnippet(options.code, pathToFileURL(options.runtime).href, options.fileName), options);
}

