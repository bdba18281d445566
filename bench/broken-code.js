'use strict';
// Broken and pathological code, each at two sizes ten times apart: the CLI's
// whole run (node start, wasm load, the pre-scan, parse, queries, rules) must
// grow about linearly, never quadratically. Benchmarks, not tests: nothing
// here asserts a speed. See bench/README.md.
//
//   npm run bench:broken          builds dist/ (production), then runs this

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
/** A trigger word, so that the CLI parses the file (files without async code are never parsed). */
const PREFIX = 'async def f():\n    pass\n';
const RUNS = 3;

const CASES = {
  'unclosed `[`': (n) => `x = ${'['.repeat(n)}\n`,
  'unclosed `(` on separate lines': (n) => `x = ${'(\n'.repeat(n)}`,
  '`* * *` left unfinished': (n) => `x = ${'* '.repeat(n)}\n`,
  'comment lines (a commented-out block)': (n) => `def g():\n${'    # x = compute_something(with_an_argument, and_another_one)\n'.repeat(n / 60)}    return 1\n`,
  'lines joined by backslashes': (n) => `x = 1 + \\\n${'    1 + \\\n'.repeat(n / 10)}    1\n`,
  'valid code, many statements': (n) => `${'value = compute(1, [2, 3], {"k": 4})\n'.repeat(n / 36)}`,
};

function run(file) {
  const samples = [];
  let outcome = '';
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [CLI, 'check', file], { encoding: 'utf8', timeout: 600_000 });
    samples.push(performance.now() - started);
    outcome = (result.stderr.trim().split('\n')[0] || result.stdout.trim().split('\n').at(-1) || '').replace(/^async-lens: error: [^:]+:/, '').slice(0, 70);
  }
  return { ms: Math.min(...samples), outcome };
}

function main() {
  if (!fs.existsSync(CLI)) throw new Error(`no ${CLI}: run \`node esbuild.js --production\` first`);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-bench-broken-'));
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}, node ${process.version}; best of ${RUNS}, whole CLI runs`);
  console.log('');
  console.log('| input | 10 KB | 100 KB | ratio | what the CLI says at 100 KB |');
  console.log('|---|---:|---:|---:|---|');
  try {
    for (const [name, make] of Object.entries(CASES)) {
      const times = [];
      let outcome = '';
      for (const size of [10_000, 100_000]) {
        const file = path.join(directory, `case-${size}.py`);
        fs.writeFileSync(file, PREFIX + make(size));
        const measured = run(file);
        times.push(measured.ms);
        outcome = measured.outcome;
      }
      console.log(`| ${name} | ${times[0].toFixed(0)} ms | ${times[1].toFixed(0)} ms | ${(times[1] / times[0]).toFixed(1)}× | ${outcome} |`);
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

main();
