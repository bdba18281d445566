import { performance } from 'node:perf_hooks';

/*
 * For the benchmarks only (bench/javascript.ts): the plugin logs how long
 * its own analysis of each file took, one line per analysed file, so that a
 * benchmark can tell the plugin's share of tsserver's time from the
 * compiler's. Off unless the tsserver process's environment has
 *
 *   ASYNC_LENS_TSSERVER_TIMING=1
 *
 * which neither VS Code nor tsserver sets. The lines go to tsserver's log
 * (`--logFile`, at verbosity normal or more).
 *
 * The times are the clock's, on tsserver's one JavaScript thread. The
 * process's CPU time was tried and left out: read before and after a few
 * milliseconds of work, it also counts what the garbage collector's helper
 * threads did meanwhile, up to a clock tick each (2.5× the clock's figure
 * over date-fns's 1,488 files).
 */

export const TIMING_VARIABLE = 'ASYNC_LENS_TSSERVER_TIMING';

export function timingFromEnvironment(environment: NodeJS.ProcessEnv = process.env): boolean {
  return environment[TIMING_VARIABLE] === '1';
}

export const now = (): number => performance.now();

/** One file's line: `timing: rules 0.412 ms, compiler diagnostics 0.000 ms: /path/file.ts`. */
export function timingLine(fileName: string, rulesMilliseconds: number, compilerMilliseconds: number): string {
  return `timing: rules ${rulesMilliseconds.toFixed(3)} ms, compiler diagnostics ${compilerMilliseconds.toFixed(3)} ms: ${fileName}`;
}

/** The numbers of a timing line in a log, or undefined for any other line. */
export function parseTimingLine(line: string): { rules: number; compiler: number; fileName: string } | undefined {
  const match = / timing: rules (\d+\.\d+) ms, compiler diagnostics (\d+\.\d+) ms: (.*)$/.exec(line);
  return match ? { rules: Number(match[1]), compiler: Number(match[2]), fileName: match[3]! } : undefined;
}
