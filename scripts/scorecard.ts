/*
 * The real-code scorecard of AIT301-303 (issue 11: precision is the
 * deliverable). `npm run scorecard`:
 *
 *  1. extracts each project of the development corpus at its pinned commit
 *     from the local git snapshot (/work/.mirror/<owner>+<name>/repo, or
 *     $ASYNC_LENS_MIRROR) into a temporary directory, and takes the local
 *     CPython standard library (test suites included) as it is;
 *  2. runs the three rules in-process, as `async-lens check --select
 *     AIT301,AIT302,AIT303` would, and counts what a naive await-in-loop rule
 *     (ESLint's no-await-in-loop, wemake's WPS476) would flag on the same files;
 *  3. checks the hand verdicts (docs/scorecards/verdicts.json) against the
 *     findings and the hand labels of the naive loops (docs/scorecards/loops.json)
 *     against the loops, both ways: a finding or loop without a verdict or label,
 *     or a verdict or label that matches nothing, fails the run;
 *  4. writes docs/scorecards/AIT301.md, AIT302.md, AIT303.md.
 *
 * `--dump` prints every naive loop with its awaits (for labelling) and writes nothing.
 * A missing snapshot is reported and skipped (the rest is still checked), and
 * the scorecards are then left as they are unless `--partial` is given;
 * nothing here downloads anything.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPaths } from '../src/hosts/cli/check';
import { walkDirectory } from '../src/hosts/cli/discover';
import { readSourceFile } from '../src/project/read';
import { loadPythonParser, parsePython, ParseRefusedError, type Node } from '../src/python/parser';
import { shortName, snapshotGitDir, snapshotKey } from './snapshots';

const CODES = ['AIT301', 'AIT302', 'AIT303'] as const;
type Code = (typeof CODES)[number];
type Verdict = 'true' | 'intentional' | 'false-alarm';

interface Project {
  /** owner/name on GitHub. */
  readonly repo: string;
  readonly commit: string;
  /** Whether every naive loop is labelled by hand (recall); unlabelled projects have their findings judged only. */
  readonly labelled?: false;
}

const PROJECTS: readonly Project[] = [
  { repo: 'encode/uvicorn', commit: 'e6c7ce791fc634b6eedee40e0d0207faa8a9aefd' },
  { repo: 'sanic-org/sanic', commit: '785d77f8fe208576a48d339bd81d866021154092' },
  { repo: 'tortoise/tortoise-orm', commit: '3829267adeab10482fd1f089bafa9d3b748913f3' },
  { repo: 'python-telegram-bot/python-telegram-bot', commit: '1183d401f8358d8103de9da116156c0f4bcdf602' },
  // A precision check on a fifth code base: its findings are judged by hand, its loops are not labelled.
  { repo: 'aio-libs/aiohttp', commit: '495e778360d1924da63e16dba0f0d76baf56a56a', labelled: false },
];

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'scorecards');
const STDLIB_SKIPPED = new Set(['site-packages', '__pycache__']);

/** One corpus as measured: a project at a commit, or the standard library of one CPython. */
interface Corpus {
  readonly label: string;
  /** The id prefix: `uvicorn@e6c7ce791fc6`, `stdlib@3.11.7`. */
  readonly key: string;
  /** Commit or version, for the tables. */
  readonly version: string;
  readonly link?: string;
  /** Loops are labelled (recall) for the projects, not for the standard library. */
  readonly labelled: boolean;
  readonly root: string;
  /** What to check under `root` (relative paths). */
  readonly entries: readonly string[];
}

interface FindingRow {
  readonly id: string;
  readonly code: Code;
  readonly file: string;
  readonly line: number;
  readonly source: string;
  /** The naive loop holding the finding's await, if any. */
  loop?: string;
}

interface NaiveLoop {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly header: string;
  readonly fn: string;
  /** Which rule's shape an independent loop of this kind is: a loop that yields is AIT302's, `await c` of its own item AIT303's. */
  shape: Code;
  readonly awaits: { line: number; text: string }[];
}

interface Measured {
  readonly corpus: Corpus;
  readonly files: number;
  readonly findings: FindingRow[];
  readonly loops: Map<string, NaiveLoop>;
  readonly naiveAwaits: number;
  readonly notices: string[];
}

interface VerdictEntry {
  readonly verdict: Verdict;
  readonly reason: string;
}

interface LoopLabel {
  readonly independent: boolean;
  readonly why: string;
}

// ---- the corpus -------------------------------------------------------------

function extractProject(project: Project, into: string): Corpus | string {
  const snapshot = snapshotGitDir(project.repo, project.commit);
  if ('problem' in snapshot) return snapshot.problem;
  const { gitDir } = snapshot;
  const root = path.join(into, shortName(project.repo));
  fs.mkdirSync(root);
  const tar = path.join(into, `${shortName(project.repo)}.tar`);
  execFileSync('git', ['-C', gitDir, 'archive', '--format=tar', '-o', tar, project.commit]);
  execFileSync('tar', ['-x', '-f', tar, '-C', root]);
  fs.rmSync(tar);
  return {
    label: project.repo,
    key: snapshotKey(project.repo, project.commit),
    version: project.commit,
    link: `https://github.com/${project.repo}/tree/${project.commit}`,
    labelled: project.labelled ?? true,
    root,
    entries: ['.'],
  };
}

function standardLibrary(): Corpus | string {
  let output: string;
  try {
    output = execFileSync('python3', ['-c', "import sys, sysconfig; print(sysconfig.get_paths()['stdlib']); print('%d.%d.%d' % sys.version_info[:3])"], { encoding: 'utf8' });
  } catch {
    return 'the standard library: no python3 on PATH';
  }
  const [root, version] = output.trim().split('\n') as [string, string];
  if (!fs.existsSync(path.join(root, 'asyncio'))) return `the standard library: ${root} has no asyncio/`;
  const entries = fs.readdirSync(root).filter((name) => !STDLIB_SKIPPED.has(name)).sort();
  return { label: `CPython ${version} standard library`, key: `stdlib@${version}`, version, labelled: false, root, entries };
}

// ---- the naive rule -----------------------------------------------------------

const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

function isAsync(node: Node): boolean {
  return node.firstChild?.type === 'async';
}

/**
 * The loop an await (or an `async for` / `async with` head) repeats with: the
 * innermost `for` / `while` whose body (or `while` condition) holds it in the
 * own code of an `async def`. An `async for` loop's own head belongs to the
 * loop around it, as ESLint counts `for await` heads.
 */
function repeatingLoop(node: Node): Node | undefined {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (NESTED_SCOPES.has(current.type)) return undefined;
    if (current.type === 'for_statement' && current.childForFieldName('body')?.id === child.id) return current;
    if (current.type === 'while_statement' && (current.childForFieldName('body')?.id === child.id || current.childForFieldName('condition')?.id === child.id)) return current;
  }
  return undefined;
}

function enclosingFunction(node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return current;
    if (current.type === 'lambda' || current.type === 'class_definition') return undefined;
  }
  return undefined;
}

/** Whether the loop's own body yields (it feeds a consumer one item at a time). */
function yieldsInBody(loop: Node): boolean {
  const stack: Node[] = [loop.childForFieldName('body')!];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'yield') return true;
    if (NESTED_SCOPES.has(node.type)) continue;
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return false;
}

function naiveLoops(text: string, file: string, key: string): { loops: NaiveLoop[]; awaits: number } {
  const tree = parsePython(text);
  const lines = text.split(/\r\n|\r|\n/);
  const loops = new Map<number, NaiveLoop>();
  let awaits = 0;
  try {
    const visit = (node: Node) => {
      const isSite = node.type === 'await' || ((node.type === 'for_statement' || node.type === 'with_statement') && isAsync(node));
      if (isSite) {
        const loop = repeatingLoop(node);
        const fn = loop ? enclosingFunction(loop) : undefined;
        if (loop && fn && isAsync(fn)) {
          awaits++;
          let entry = loops.get(loop.id);
          if (!entry) {
            const line = loop.startPosition.row + 1;
            entry = {
              id: `${key}:${file}:${line}`,
              file,
              line,
              header: lines[loop.startPosition.row]!.trim(),
              fn: fn.childForFieldName('name')?.text ?? '?',
              shape: yieldsInBody(loop) ? 'AIT302' : 'AIT301',
              awaits: [],
            };
            loops.set(loop.id, entry);
          }
          const head = node.type === 'await' ? node : node.type === 'for_statement' ? node.childForFieldName('right') ?? node : node;
          const row = head.startPosition.row;
          entry.awaits.push({ line: row + 1, text: (node.type === 'await' ? node.text : lines[row]!.trim()).replace(/\s+/g, ' ').slice(0, 100) });
          // `for c in coros: await c`: the shape AIT303 speaks about.
          const target = loop.type === 'for_statement' ? loop.childForFieldName('left') : undefined;
          const awaited = node.type === 'await' ? node.firstNamedChild : undefined;
          if (target?.type === 'identifier' && awaited?.type === 'identifier' && awaited.text === target.text && entry.shape === 'AIT301') entry.shape = 'AIT303';
        }
      }
      for (const child of node.namedChildren) if (child) visit(child);
    };
    visit(tree.rootNode);
  } finally {
    tree.delete();
  }
  const sorted = [...loops.values()].sort((a, b) => a.line - b.line);
  return { loops: sorted, awaits };
}

// ---- measuring ----------------------------------------------------------------

function posix(file: string): string {
  return file.split(path.sep).join('/').replace(/^\.\//, '');
}

async function measure(corpus: Corpus): Promise<Measured> {
  const result = await checkPaths(corpus.entries, { cwd: corpus.root, select: [...CODES] });
  const notices = result.notices.map((notice) => `${notice.level}: ${notice.message}`);
  const findings: FindingRow[] = [];
  for (const file of result.files) {
    for (const finding of file.findings) {
      if (!(CODES as readonly string[]).includes(finding.code)) continue;
      const line = file.lines.position(finding.range.start).line;
      const relative = posix(file.path);
      findings.push({
        id: `${corpus.key}:${relative}:${line + 1}:${finding.code}`,
        code: finding.code as Code,
        file: relative,
        line: line + 1,
        source: file.lines.lineText(line).trim(),
      });
    }
  }

  // The naive rule on the same files (the CLI's discovery: .gitignore respected, .py and .pyi).
  const loops = new Map<string, NaiveLoop>();
  let files = 0;
  let naiveAwaits = 0;
  for (const entry of corpus.entries) {
    const absolute = path.join(corpus.root, entry);
    const discovered = fs.statSync(absolute).isDirectory() ? walkDirectory(absolute, entry).files : [{ display: entry, absolute }];
    // The CLI walks JavaScript and TypeScript files too: these rules are Python's.
    for (const file of discovered.filter((candidate) => /\.pyi?$/.test(candidate.absolute))) {
      const read = readSourceFile(file.absolute);
      if (!read.ok) continue;
      files++;
      if (!/\bawait\b|\basync\b/.test(read.source.text)) continue;
      let found: { loops: NaiveLoop[]; awaits: number };
      try {
        found = naiveLoops(read.source.text, posix(file.display), corpus.key);
      } catch (error) {
        if (error instanceof ParseRefusedError) continue;
        throw error;
      }
      naiveAwaits += found.awaits;
      for (const loop of found.loops) loops.set(loop.id, loop);
    }
  }
  // The check also reads the JS/TS files of the tree, so it may read more, never fewer.
  if (files > result.counters.filesSeen) notices.push(`warning: the naive count read ${files} Python files where the check read ${result.counters.filesSeen} files`);

  // Which naive loop each finding is in: the loop holding an await on the finding's line.
  for (const finding of findings) {
    for (const loop of loops.values()) {
      if (loop.file === finding.file && loop.awaits.some((site) => site.line === finding.line)) finding.loop = loop.id;
    }
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { corpus, files, findings, loops, naiveAwaits, notices };
}

// ---- checking the hand verdicts and labels ----------------------------------

function readJson<T>(file: string): Record<string, T> {
  if (!fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, T>;
}

const PINNED_KEYS = new Set(PROJECTS.map((project) => snapshotKey(project.repo, project.commit)));

/** A verdict or label belongs to a pinned project, or to the standard library of some CPython version. */
function isKnownKey(key: string): boolean {
  return PINNED_KEYS.has(key) || /^stdlib@\d+\.\d+\.\d+$/.test(key);
}

/** The problems that make the scorecard fail; measured keys only, the others are listed as not measured. */
function checkHandWork(measured: readonly Measured[], verdicts: Record<string, VerdictEntry>, labels: Record<string, LoopLabel>, notMeasured: string[]): string[] {
  const problems: string[] = [];
  const keys = new Set(measured.map((m) => m.corpus.key));
  const findingIds = new Set(measured.flatMap((m) => m.findings.map((f) => f.id)));
  const loopIds = new Set(measured.filter((m) => m.corpus.labelled).flatMap((m) => [...m.loops.keys()]));
  const keyOf = (id: string) => id.split(':')[0]!;

  for (const m of measured) {
    for (const finding of m.findings) {
      const entry = verdicts[finding.id];
      if (!entry) problems.push(`no verdict for the finding ${finding.id}: ${finding.source}`);
      if (m.corpus.labelled && !finding.loop) problems.push(`the finding ${finding.id} is in no naive await-in-loop loop`);
      if (entry && finding.loop) {
        const label = labels[finding.loop];
        if (label && label.independent !== (entry.verdict === 'true')) {
          problems.push(`${finding.id} is "${entry.verdict}" but its loop ${finding.loop} is labelled independent: ${label.independent}`);
        }
      }
    }
  }
  for (const [id, entry] of Object.entries(verdicts)) {
    if (!isKnownKey(keyOf(id))) problems.push(`the verdict ${id} is for no pinned project or standard library (another commit?)`);
    else if (!keys.has(keyOf(id))) notMeasured.push(id);
    else if (!findingIds.has(id)) problems.push(`the verdict ${id} matches no finding (fixed, moved, or the rule changed: review and remove it)`);
    if (!['true', 'intentional', 'false-alarm'].includes(entry.verdict) || !entry.reason?.trim()) problems.push(`${id}: a verdict is "true", "intentional" or "false-alarm" with a reason`);
  }
  for (const m of measured) {
    if (!m.corpus.labelled) continue;
    for (const id of m.loops.keys()) if (!labels[id]) problems.push(`no label for the naive loop ${id}`);
  }
  for (const [id, label] of Object.entries(labels)) {
    if (!isKnownKey(keyOf(id))) problems.push(`the label ${id} is for no pinned project (another commit?)`);
    else if (!keys.has(keyOf(id))) notMeasured.push(id);
    else if (!loopIds.has(id)) problems.push(`the label ${id} matches no naive loop`);
    if (typeof label.independent !== 'boolean' || !label.why?.trim()) problems.push(`${id}: a label is { "independent": true|false, "why": "…" }`);
  }
  return problems;
}

// ---- the report ---------------------------------------------------------------

const RULE_TITLES: Record<Code, string> = {
  AIT301: 'sequential-await-in-loop',
  AIT302: 'serial-async-generator',
  AIT303: 'sequential-coroutine-list',
};

function ratio(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${part}/${whole} (${Math.round((100 * part) / whole)}%)`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function code(text: string): string {
  const clean = text.replace(/\|/g, '\\|');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function render(rule: Code, measured: readonly Measured[], missing: readonly string[], verdicts: Record<string, VerdictEntry>, labels: Record<string, LoopLabel>): string {
  const out: string[] = [];
  out.push(`# Scorecard: ${rule} (${RULE_TITLES[rule]})`, '');
  out.push('Generated by `npm run scorecard` (scripts/scorecard.ts); do not edit by hand. The hand verdicts are in',
    '[verdicts.json](verdicts.json), the hand labels of the naive loops in [loops.json](loops.json); the script fails',
    'when a finding has no verdict, a naive loop no label, or either matches nothing any more.', '');
  out.push('- **Findings**: what the rule reports, each read by hand: *true* (independent per-item work that would be right',
    '  to run concurrently), *intentional* (independent, but sequential on purpose: a test, a start-up order, a rate',
    '  limit), *false alarm* (the iterations depend on each other, or it is not work). Precision = true / findings.',
    '- **Naive**: what a rule flagging every `await` in a loop would report on the same files (ESLint `no-await-in-loop`,',
    '  wemake-python-styleguide WPS476): every `await`, and every `async for` / `async with` head, in the body (or',
    '  `while` condition) of a `for` / `while` loop in the own code of an `async def`, with the loops they are in',
    '  (each await counted once, in its innermost loop).',
    '- **Recall**: each naive loop of the four projects is labelled by hand: *independent* when it is independent per-item',
    '  work that should run concurrently. Recall = independent loops a rule flags / independent loops. Each missed',
    `  loop is listed in the file of the rule whose shape it has (${CODES.join(', ')}: a loop that yields is AIT302's,`,
    "  `for c in coros: await c` AIT303's, any other AIT301's).", '');

  // The summary table: the four projects, their total, then the standard library (no recall).
  out.push('| corpus | version | files | naive awaits | naive loops | findings | true | intentional | false alarm | precision | independent loops | flagged by any of AIT301-303 | recall |');
  out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  const totals = { files: 0, awaits: 0, loops: 0, findings: 0, true: 0, intentional: 0, 'false-alarm': 0, independent: 0, flagged: 0 };
  const row = (m: Measured) => {
    const own = m.findings.filter((f) => f.code === rule);
    const counts = { true: 0, intentional: 0, 'false-alarm': 0 };
    for (const f of own) counts[verdicts[f.id]!.verdict]++;
    const recall = recallOf(m, labels);
    const version = m.corpus.link ? `[${m.corpus.version.slice(0, 12)}](${m.corpus.link})` : m.corpus.version;
    const labelled = (text: string | number) => (m.corpus.labelled ? String(text) : '-');
    out.push(`| ${m.corpus.label} | ${version} | ${m.files} | ${m.naiveAwaits} | ${m.loops.size} | ${own.length} | ${counts.true} | ${counts.intentional} | ${counts['false-alarm']} | ${ratio(counts.true, own.length)} | ${labelled(recall.independent.length)} | ${labelled(recall.flagged.length)} | ${labelled(ratio(recall.flagged.length, recall.independent.length))} |`);
    if (!m.corpus.labelled) return;
    totals.files += m.files;
    totals.awaits += m.naiveAwaits;
    totals.loops += m.loops.size;
    totals.findings += own.length;
    totals.true += counts.true;
    totals.intentional += counts.intentional;
    totals['false-alarm'] += counts['false-alarm'];
    totals.independent += recall.independent.length;
    totals.flagged += recall.flagged.length;
  };
  for (const m of measured) if (m.corpus.labelled) row(m);
  out.push(`| **the four projects** | | ${totals.files} | ${totals.awaits} | ${totals.loops} | ${totals.findings} | ${totals.true} | ${totals.intentional} | ${totals['false-alarm']} | ${ratio(totals.true, totals.findings)} | ${totals.independent} | ${totals.flagged} | ${ratio(totals.flagged, totals.independent)} |`);
  for (const m of measured) if (!m.corpus.labelled) row(m);
  out.push('');
  for (const line of missing) out.push(`Not measured in this run: ${line}`, '');

  // Recall of this rule's shape.
  const shapeIndependent = measured.filter((m) => m.corpus.labelled).flatMap((m) => recallOf(m, labels).independent.filter((loop) => loop.shape === rule));
  const flaggedByRule = (m: Measured, loop: NaiveLoop) => m.findings.some((f) => f.loop === loop.id && f.code === rule);
  const shapeFlagged = measured.filter((m) => m.corpus.labelled).flatMap((m) => recallOf(m, labels).independent.filter((loop) => loop.shape === rule && flaggedByRule(m, loop)));
  out.push(`Independent loops of ${rule}'s shape in the four projects: ${shapeIndependent.length}; ${rule} flags ${ratio(shapeFlagged.length, shapeIndependent.length)}.`, '');

  // By loop kind: `while` loops are where "the next round depends on this one" is the rule (cursors, polling, retries).
  const kinds = new Map<string, { loops: number; independent: number; flagged: number }>();
  for (const m of measured.filter((each) => each.corpus.labelled)) {
    for (const loop of m.loops.values()) {
      const kind = /^while\b/.test(loop.header) ? 'while' : /^async\s+for\b/.test(loop.header) ? 'async for' : 'for';
      const entry = kinds.get(kind) ?? { loops: 0, independent: 0, flagged: 0 };
      entry.loops++;
      if (labels[loop.id]?.independent) entry.independent++;
      if (flaggedByRule(m, loop)) entry.flagged++;
      kinds.set(kind, entry);
    }
  }
  out.push(`By loop kind in the four projects (naive loops, of them labelled independent, of them ${rule} flags): `
    + ['for', 'async for', 'while'].map((kind) => {
      const entry = kinds.get(kind) ?? { loops: 0, independent: 0, flagged: 0 };
      return `\`${kind}\` ${entry.loops}, ${entry.independent} independent, ${entry.flagged} flagged`;
    }).join('; ') + '.', '');

  for (const m of measured) {
    out.push(`## ${m.corpus.label} @ ${m.corpus.link ? `[${m.corpus.version.slice(0, 12)}](${m.corpus.link})` : m.corpus.version}`, '');
    out.push(`${m.files} files; the naive rule: ${m.naiveAwaits} awaits in ${m.loops.size} loops.`, '');
    const own = m.findings.filter((f) => f.code === rule);
    if (own.length === 0) out.push(`No ${rule} finding.`, '');
    else {
      out.push('| finding | source line | verdict | reason |', '|---|---|---|---|');
      for (const f of own) {
        const entry = verdicts[f.id]!;
        out.push(`| ${cell(`${f.file}:${f.line}`)} | ${code(f.source)} | ${entry.verdict} | ${cell(entry.reason)} |`);
      }
      out.push('');
    }
    if (m.corpus.labelled) {
      const missed = recallOf(m, labels).independent.filter((loop) => loop.shape === rule && !m.findings.some((f) => f.loop === loop.id));
      if (missed.length > 0) {
        out.push(`Independent loops of ${rule}'s shape no rule flags:`, '', '| loop | header | why it is independent, and why it is missed |', '|---|---|---|');
        for (const loop of missed) out.push(`| ${cell(`${loop.file}:${loop.line}`)} | ${code(loop.header)} | ${cell(labels[loop.id]!.why)} |`);
        out.push('');
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function recallOf(m: Measured, labels: Record<string, LoopLabel>): { independent: NaiveLoop[]; flagged: NaiveLoop[] } {
  const independent = [...m.loops.values()].filter((loop) => labels[loop.id]?.independent === true);
  const flagged = independent.filter((loop) => m.findings.some((f) => f.loop === loop.id));
  return { independent, flagged };
}

// ---- main ---------------------------------------------------------------------

async function main(): Promise<number> {
  const dump = process.argv.includes('--dump');
  await loadPythonParser();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-scorecard-'));
  const measured: Measured[] = [];
  const missing: string[] = [];
  try {
    for (const source of [...PROJECTS.map((project) => () => extractProject(project, scratch)), standardLibrary]) {
      const corpus = source();
      if (typeof corpus === 'string') {
        missing.push(corpus);
        console.error(`scorecard: skipped ${corpus}`);
        continue;
      }
      const m = await measure(corpus);
      measured.push(m);
      console.log(`${corpus.label} @ ${corpus.version.slice(0, 12)}: ${m.files} files, naive ${m.naiveAwaits} awaits in ${m.loops.size} loops, ${m.findings.length} findings`);
      for (const notice of m.notices) console.log(`  the check said: ${notice}`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  if (dump) {
    for (const m of measured) {
      for (const f of m.findings) console.log(`FINDING ${f.id} (loop ${f.loop ?? '-'}) ${f.source}`);
      for (const loop of m.loops.values()) {
        console.log(`LOOP ${loop.id} [${loop.shape}] in ${loop.fn}(): ${loop.header}`);
        for (const site of loop.awaits) console.log(`    ${site.line}: ${site.text}`);
      }
    }
    return 0;
  }

  const verdicts = readJson<VerdictEntry>(path.join(OUT, 'verdicts.json'));
  const labels = readJson<LoopLabel>(path.join(OUT, 'loops.json'));
  const notMeasured: string[] = [];
  const problems = checkHandWork(measured, verdicts, labels, notMeasured);
  if (notMeasured.length > 0) console.log(`${notMeasured.length} verdicts and labels are for corpora not measured in this run (left as they are).`);
  if (problems.length > 0) {
    console.error(`scorecard: FAILED, the hand verdicts and labels do not match the code (${problems.length} problems):`);
    for (const problem of problems) console.error(`  ${problem}`);
    console.error('Read the code of each, add or fix its entry in docs/scorecards/verdicts.json or loops.json, and run `npm run scorecard` again.');
    return 1;
  }
  if (missing.length > 0 && !process.argv.includes('--partial')) {
    console.log(`scorecards not rewritten: ${missing.length} corpus(es) missing, and a partial scorecard would drop them (--partial writes one anyway).`);
    return 0;
  }
  fs.mkdirSync(OUT, { recursive: true });
  for (const rule of CODES) fs.writeFileSync(path.join(OUT, `${rule}.md`), render(rule, measured, missing, verdicts, labels));
  console.log(`wrote ${CODES.map((rule) => path.relative(ROOT, path.join(OUT, `${rule}.md`))).join(', ')}`);
  return 0;
}

main().then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
