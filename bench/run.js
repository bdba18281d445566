'use strict';
// Benchmarks, not timed tests: nothing here asserts a speed. See bench/README.md.
//
//   npm run bench                 builds dist/ (production), then runs this
//   node bench/run.js [corpus]    corpus: a directory of Python files
//                                 (default: the standard library of python3)

const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { checkFiles, loadRuff } = require('./ruff');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const RUNS = 3;
const EDITOR_FILE_LINES = 2000;
const EDITS = 200;
const WARM_FULL_ANALYSES = 20;
/** Beyond this, the file list would not fit on a command line: the CLI walks the directory itself. */
const MAX_COMMAND_LINE = 1_000_000;
/** Directories that hold no source of the corpus. */
const SKIPPED_DIRECTORIES = new Set(['site-packages', '__pycache__', 'node_modules', '.venv', '.git', '.tox']);
/** The stdlib's test suites are left out: legacy encodings and deliberately broken files the CLI rightly refuses. */
const STDLIB_TEST_DIRECTORIES = new Set(['test', 'tests', 'idle_test']);
/** What someone types: mostly identifier characters, some punctuation. */
const TYPED_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz_0123456789    .,:()[]='.split('');

// ---- corpus -----------------------------------------------------------------

function standardLibrary() {
  for (const python of ['python3', 'python']) {
    try {
      const stdlib = execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const version = execFileSync(python, ['--version'], { encoding: 'utf8' }).trim();
      return { root: stdlib, label: `${version} standard library, without test suites`, skipped: new Set([...SKIPPED_DIRECTORIES, ...STDLIB_TEST_DIRECTORIES]) };
    } catch {
      // try the next name
    }
  }
  return undefined;
}

function corpusFiles(root, skipped) {
  const files = [];
  const visit = (directory) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory() && !skipped.has(entry.name)) visit(absolute);
      else if (entry.isFile() && entry.name.endsWith('.py')) files.push(absolute);
    }
  };
  visit(root);
  return files;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readUtf8(file) {
  try {
    return utf8.decode(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Lines as the CLI counts them: a last line without a line break counts too. */
function countLines(text) {
  if (text.length === 0) return 0;
  let lines = text.endsWith('\n') ? 0 : 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

// ---- measuring --------------------------------------------------------------

function timed(run) {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

async function timedAsync(run) {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

function best(samples) {
  return samples.reduce((a, b) => (b.ms < a.ms ? b : a));
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function countByCode(findings) {
  const byCode = {};
  for (const finding of findings) byCode[finding.code] = (byCode[finding.code] ?? 0) + 1;
  return byCode;
}

function formatCounts(byCode) {
  const entries = Object.entries(byCode).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([code, count]) => `${code} ${count}`).join(', ') : 'none';
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column]))).join('  ')).join('\n');
}

// ---- (a) async-lens ---------------------------------------------------------

function spawnCli(corpus, relativeFiles, select) {
  const fits = relativeFiles.reduce((sum, file) => sum + file.length + 1, 0) < MAX_COMMAND_LINE;
  const args = [CLI, 'check', ...(fits ? relativeFiles : ['.']), '--format', 'json', ...(select ? ['--select', select] : [])];
  const run = timed(() => spawnSync(process.execPath, args, { cwd: corpus.root, encoding: 'utf8', maxBuffer: 1 << 30 }));
  const { status, stdout, stderr } = run.value;
  if (status !== 0 && status !== 1) throw new Error(`async-lens exited with ${status}:\n${String(stderr).split('\n').slice(0, 10).join('\n')}`);
  return { ms: run.ms, findings: JSON.parse(stdout), walkedDirectory: !fits };
}

/** The programmatic `checkPaths`, loaded from src/ through tsx: the bundle only exposes the command line. */
async function inProcessCheck(corpus, relativeFiles, select) {
  const { checkPaths } = require(path.join(ROOT, 'src', 'hosts', 'cli', 'check.ts'));
  const run = () => timedAsync(() => checkPaths(relativeFiles, { cwd: corpus.root, ...(select ? { select } : {}) }));
  await run();
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  const fastest = best(samples);
  return { ms: fastest.ms, counters: fastest.value.counters, notices: fastest.value.notices };
}

// ---- (b) ruff-wasm ----------------------------------------------------------

function ruffWarm(files) {
  const load = timed(() => loadRuff());
  const { workspace, version } = load.value;
  const first = timed(() => checkFiles(workspace, files));
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(timed(() => checkFiles(workspace, files)));
  workspace.free();
  return { version, loadMs: load.ms, firstPassMs: first.ms, ms: best(samples).ms, byCode: best(samples).value };
}

function ruffCold(files) {
  const list = path.join(os.tmpdir(), `async-lens-bench-files-${process.pid}.txt`);
  fs.writeFileSync(list, files.join('\n'));
  try {
    const samples = [];
    for (let i = 0; i < RUNS; i++) {
      samples.push(timed(() => spawnSync(process.execPath, [path.join(__dirname, 'ruff.js'), list], { encoding: 'utf8', maxBuffer: 1 << 28 })));
    }
    const failed = samples.find((sample) => sample.value.status !== 0);
    if (failed) throw new Error(`ruff child exited with ${failed.value.status}: ${failed.value.stderr}`);
    return { ms: best(samples).ms };
  } finally {
    fs.rmSync(list, { force: true });
  }
}

// ---- (c) the editor path ----------------------------------------------------

/** A realistic 2,000-line async Python file: the rule fixtures and the realistic snippets, concatenated. */
function editorFile() {
  const directories = [path.join(ROOT, 'test', 'fixtures', 'corpus'), path.join(ROOT, 'test', 'fixtures', 'python')];
  const sources = directories.flatMap((directory) =>
    fs.readdirSync(directory).filter((file) => file.endsWith('.py')).sort().map((file) => fs.readFileSync(path.join(directory, file), 'utf8')));
  const lines = [];
  for (let i = 0; lines.length < EDITOR_FILE_LINES; i++) lines.push(...sources[i % sources.length].replace(/\r\n/g, '\n').split('\n'), '', '');
  return `${lines.slice(0, EDITOR_FILE_LINES).join('\n')}\n`;
}

async function editorPath() {
  const { loadPythonParser, parsePython } = require(path.join(ROOT, 'src', 'python', 'parser.ts'));
  const { analyzePython } = require(path.join(ROOT, 'src', 'python', 'analyze.ts'));
  const load = await timedAsync(() => loadPythonParser());
  const text = editorFile();

  const analyseFully = () => {
    const started = performance.now();
    const tree = parsePython(text);
    const parsed = performance.now();
    const result = analyzePython({ text, tree });
    const done = performance.now();
    tree.delete();
    return { total: done - started, parse: parsed - started, analyze: done - parsed, result };
  };
  const first = analyseFully();
  const warmFull = [];
  for (let i = 0; i < WARM_FULL_ANALYSES; i++) warmFull.push(analyseFully());

  // Every edit is undone afterwards, so each lands on the same 2,000-line file.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const pointAt = (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { row: low, column: offset - lineStarts[low] };
  };
  const { mulberry32 } = require(path.join(ROOT, 'test', 'support', 'mutations.ts'));
  const random = mulberry32(2000);
  let tree = parsePython(text);
  const reanalyse = (edit, after) => {
    const started = performance.now();
    tree.edit(edit);
    const next = parsePython(after, tree);
    const parsed = performance.now();
    const result = analyzePython({ text: after, tree: next });
    const done = performance.now();
    tree.delete();
    tree = next;
    return { total: done - started, parse: parsed - started, analyze: done - parsed, result };
  };
  const inserts = [];
  const undos = [];
  for (let i = 0; i < EDITS; i++) {
    const at = Math.floor(random() * (text.length + 1));
    const typed = TYPED_CHARACTERS[Math.floor(random() * TYPED_CHARACTERS.length)];
    const start = pointAt(at);
    const after = `${text.slice(0, at)}${typed}${text.slice(at)}`;
    const afterPoint = { row: start.row, column: start.column + 1 };
    inserts.push(reanalyse({ startIndex: at, oldEndIndex: at, newEndIndex: at + 1, startPosition: start, oldEndPosition: start, newEndPosition: afterPoint }, after));
    undos.push(reanalyse({ startIndex: at, oldEndIndex: at + 1, newEndIndex: at, startPosition: start, oldEndPosition: afterPoint, newEndPosition: start }, text));
  }
  const settled = analyzePython({ text, tree });
  tree.delete();

  // The editor's real path: PythonDocumentAnalysis re-parses incrementally and
  // re-analyses only the units the edit touched (same edits, same order).
  const { PythonDocumentAnalysis } = require(path.join(ROOT, 'src', 'python', 'incremental.ts'));
  const document = new PythonDocumentAnalysis();
  document.update(text);
  const editorEdits = [];
  const editorRandom = mulberry32(2000);
  let unitsAnalysed = 0;
  for (let i = 0; i < EDITS; i++) {
    const at = Math.floor(editorRandom() * (text.length + 1));
    const typed = TYPED_CHARACTERS[Math.floor(editorRandom() * TYPED_CHARACTERS.length)];
    const after = `${text.slice(0, at)}${typed}${text.slice(at)}`;
    for (const [next, change] of [[after, { start: at, end: at, text: typed }], [text, { start: at, end: at + 1, text: '' }]]) {
      const started = performance.now();
      document.update(next, [change]);
      editorEdits.push({ total: performance.now() - started, parse: NaN, analyze: NaN, full: document.lastStats.full });
      unitsAnalysed += document.lastStats.analysed;
    }
  }
  const settledDocument = document.update(text);
  document.dispose();
  const documentConsistent = JSON.stringify(settledDocument.findings) === JSON.stringify(first.result.findings);
  const consistent = JSON.stringify(settled.findings) === JSON.stringify(first.result.findings);
  return {
    loadMs: load.ms, lines: countLines(text), chars: text.length, findings: first.result.findings.length, first, warmFull, inserts, undos,
    editorEdits, unitsPerEdit: unitsAnalysed / editorEdits.length, consistent: consistent && documentConsistent,
  };
}

// ---- report -----------------------------------------------------------------

async function main() {
  const given = process.argv[2];
  const corpus = given
    ? { root: path.resolve(given), label: path.resolve(given), skipped: SKIPPED_DIRECTORIES }
    : standardLibrary();
  if (!corpus) {
    console.error('bench: no python3 on PATH to take the standard library from; pass a corpus directory: node bench/run.js <dir>');
    process.exit(2);
  }
  const all = corpusFiles(corpus.root, corpus.skipped);
  const texts = new Map();
  for (const file of all) {
    const text = readUtf8(file);
    if (text !== undefined) texts.set(file, text);
  }
  const files = [...texts.keys()];
  const relativeFiles = files.map((file) => path.relative(corpus.root, file));
  const lines = [...texts.values()].reduce((sum, text) => sum + countLines(text), 0);

  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}, node ${process.version}, ${os.platform()}`);
  console.log(`corpus:  ${corpus.label}: ${corpus.root}`);
  console.log(`         ${files.length} files, ${lines.toLocaleString('en-US')} lines${all.length > files.length ? ` (${all.length - files.length} files not UTF-8, left out)` : ''}`);
  console.log('');

  require('tsx/cjs/api').register();
  // First, while the process is fresh: the editor's first analysis is a cold one.
  const editor = await editorPath();

  const rows = [['', 'files', 'lines', 'ms', 'lines/ms']];
  const row = (label, ms) => rows.push([label, files.length, lines, ms.toFixed(0), (lines / ms).toFixed(0)]);

  let cli;
  if (fs.existsSync(CLI)) {
    const samples = [];
    for (let i = 0; i < RUNS; i++) samples.push(spawnCli(corpus, relativeFiles));
    cli = best(samples);
    row('async-lens CLI, spawned (node start + wasm load + check), best of 3', cli.ms);
  } else {
    console.log(`(no ${path.relative(ROOT, CLI)}: run \`node esbuild.js --production\` first; the CLI row is left out)`);
  }
  let inProcess;
  try {
    inProcess = await inProcessCheck(corpus, relativeFiles);
    row('async-lens checkPaths in-process (src/ via tsx), warm, best of 3', inProcess.ms);
  } catch (error) {
    console.log(`(in-process checkPaths unavailable: ${error instanceof Error ? error.message : error})`);
  }
  // What the misconception and lifecycle rules (AIT3xx, AIT4xx) cost: the protocol rules alone, warm.
  let protocolOnly;
  try {
    protocolOnly = await inProcessCheck(corpus, relativeFiles, ['AIT1', 'AIT2']);
    row('async-lens checkPaths in-process, protocol rules only (AIT1xx, AIT2xx), warm, best of 3', protocolOnly.ms);
  } catch (error) {
    console.log(`(in-process checkPaths unavailable: ${error instanceof Error ? error.message : error})`);
  }
  const cold = ruffCold(files);
  row('ruff-wasm ASYNC+PLR1708, spawned (node start + wasm load + check), best of 3', cold.ms);
  const warm = ruffWarm(files);
  row(`ruff-wasm ${warm.version} ASYNC+PLR1708 in-process, warm, best of 3`, warm.ms);
  console.log(table(rows));
  console.log('');
  console.log(`ruff-wasm: wasm load + workspace ${warm.loadMs.toFixed(0)} ms, first (warm-up) pass ${warm.firstPassMs.toFixed(0)} ms`);
  const ratios = [];
  if (cli) ratios.push(`CLI spawned / ruff spawned ${(cold.ms / cli.ms).toFixed(2)}`, `CLI spawned / ruff warm ${(warm.ms / cli.ms).toFixed(2)}`);
  if (inProcess) ratios.push(`in-process warm / ruff warm ${(warm.ms / inProcess.ms).toFixed(2)}`);
  if (inProcess && protocolOnly) console.log(`all rules / protocol rules only (the cost of AIT3xx and AIT4xx): ${(inProcess.ms / protocolOnly.ms).toFixed(2)}×`);
  console.log(`throughput ratio (ours / ruff, >= 1 means at least as fast): ${ratios.join('; ')}`);
  if (inProcess) console.log(`async-lens parsed ${inProcess.counters.filesParsed} of ${inProcess.counters.filesSeen} files (the others contain nothing a rule could flag)`);
  if (cli) console.log(`findings: async-lens ${formatCounts(countByCode(cli.findings))}${cli.walkedDirectory ? ' (the CLI walked the directory itself: the file list was too long)' : ''}`);
  console.log(`          ruff      ${formatCounts(warm.byCode)}`);
  console.log('');

  const median = (samples, key) => percentile(samples.map((sample) => sample[key]), 0.5).toFixed(2);
  const p95 = (samples) => percentile(samples.map((sample) => sample.total), 0.95).toFixed(2);
  console.log(`editor path: ${editor.lines} lines (${editor.chars.toLocaleString('en-US')} chars) from the fixtures and realistic snippets, ${editor.findings} findings; src/ via tsx`);
  console.log(table([
    ['', 'ms (median)', 'p95', 'parse', 'analyse'],
    [`first analysis in a fresh process (after the ${editor.loadMs.toFixed(0)} ms parser load)`, editor.first.total.toFixed(2), '', editor.first.parse.toFixed(2), editor.first.analyze.toFixed(2)],
    [`full parse + analysis, warm (${WARM_FULL_ANALYSES} runs)`, median(editor.warmFull, 'total'), p95(editor.warmFull), median(editor.warmFull, 'parse'), median(editor.warmFull, 'analyze')],
    [`one-character edit, incremental parse, whole-file analysis (${EDITS} random places)`, median(editor.inserts, 'total'), p95(editor.inserts), median(editor.inserts, 'parse'), median(editor.inserts, 'analyze')],
    [`undoing that edit, incremental parse (${EDITS})`, median(editor.undos, 'total'), p95(editor.undos), median(editor.undos, 'parse'), median(editor.undos, 'analyze')],
    [`editor path: each edit and its undo through PythonDocumentAnalysis (${editor.editorEdits.length})`, median(editor.editorEdits, 'total'), p95(editor.editorEdits), '', ''],
  ]));
  console.log(`PythonDocumentAnalysis re-analysed ${editor.unitsPerEdit.toFixed(2)} units per edit on average (the rest kept their findings)`);
  const partial = editor.editorEdits.filter((sample) => !sample.full);
  const whole = editor.editorEdits.filter((sample) => sample.full);
  console.log(`  edits that kept every other unit's findings: ${partial.length}, median ${partial.length ? median(partial, 'total') : '-'} ms;`
    + ` edits that changed what other units see (or broke the syntax around them), so the whole file was analysed: ${whole.length}, median ${whole.length ? median(whole, 'total') : '-'} ms`);
  if (!editor.consistent) console.log('WARNING: after every edit was undone, the incremental tree gives other findings than the first analysis');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
