import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFixes, minimalEdit } from '../../src/engine/text';
import type { EditorSettings, FixAllResponse, FromWorker, RunnableResponse } from '../../src/hosts/vscode/worker/protocol';
import { ensureCliBuilt } from '../support/cli';
import { WorkerClient } from '../support/worker';

/*
 * The VS Code extension's analysis worker, as the extension starts it: the
 * built bundle (dist/analysis-worker.js) in a real worker thread, driven
 * through the typed protocol. The extension's own behaviour in VS Code is
 * covered by the end-to-end suite (test/e2e).
 */

const DEFAULTS: EditorSettings = { severity: {}, knownAsyncIterables: [], usePyprojectToml: true };

const STREAMS = 'import asyncio\n\n\nasync def rows(n):\n    for i in range(n):\n        await asyncio.sleep(0)\n        yield i\n';
const APP = 'from streams import rows\n\n\nasync def main():\n    for row in rows(3):\n        print(row)\n';

describe('VS Code analysis worker', function () {
  this.timeout(20_000);
  let client: WorkerClient;
  let project: string;

  before(() => ensureCliBuilt());
  beforeEach(() => {
    client = new WorkerClient();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-worker-'));
    fs.writeFileSync(path.join(project, 'streams.py'), STREAMS);
  });
  afterEach(async () => {
    await client.terminate();
    fs.rmSync(project, { recursive: true, force: true });
  });

  it('analyses a document and follows its imports on disk', async () => {
    const response = await client.analyze(APP, path.join(project, 'app.py'));
    assert.deepEqual(response.findings.map((finding) => [finding.code, APP.slice(finding.range.start, finding.range.end)]), [['AIT101', 'for row in rows(3)']]);
    assert.equal(response.excluded, false);
    assert.equal(response.configProblem, undefined);
  });

  it('analyses and fixes JavaScript and TypeScript when the extension serves them (tsserver plugins cannot run)', async () => {
    const js = 'async function* ticks() {\n  yield 1;\n}\n\nasync function main() {\n  for (const tick of ticks()) console.log(tick);\n}\n';
    const response = await client.analyze(js, undefined, { uri: 'untitled:Untitled-1', language: 'javascript', languageId: 'javascript' });
    assert.deepEqual(response.findings.map((finding) => [finding.code, js.slice(finding.range.start, finding.range.end)]), [['AIT101', 'for (const tick of ticks())']]);
    const tsx = path.join(project, 'view.tsx');
    const typed = `${js}\nexport const View = () => <div>{String(main)}</div>;\n`;
    assert.equal((await client.analyze(typed, tsx, { uri: 'view', language: 'javascript', languageId: 'typescriptreact' })).findings.length, 1, 'TSX parses as TSX');
    const fixed = await client.request<FixAllResponse>({ type: 'fixAll', uri: 'view', language: 'javascript', languageId: 'typescriptreact', path: tsx, text: typed, settings: DEFAULTS, notebookCell: false });
    assert.equal(fixed.fixed, 1);
    assert.match(fixed.text ?? '', /for await \(const tick of ticks\(\)\)/);
    const off = await client.analyze(js, undefined, { uri: 'untitled:Untitled-1', language: 'javascript', languageId: 'javascript', settings: { ...DEFAULTS, severity: { AIT101: 'off' } } });
    assert.deepEqual(off.findings, []);
    const deep = await client.analyze(`const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n${js}`, undefined, { uri: 'untitled:Untitled-2', language: 'javascript', languageId: 'javascript' });
    assert.equal(deep.notParsed, 'line 1: nested too deeply for the TypeScript parser', 'a file too deep to parse is said so, and the worker lives on');
    assert.equal((await client.analyze(js, undefined, { uri: 'untitled:Untitled-1', language: 'javascript', languageId: 'javascript' })).findings.length, 1);
  });

  it('finds blocking calls in async iteration (AIT401) from the syntax alone, with the unsafe fs.promises fix, which fix-all leaves', async () => {
    const source = [
      "import * as fs from 'node:fs';",
      "import { scryptSync } from 'node:crypto';",
      '',
      'export async function hashAll(files: AsyncIterable<string>, salt: Buffer) {',
      '  for await (const file of files) {',
      "    const text = fs.readFileSync(file, 'utf8');",
      '    console.log(scryptSync(text, salt, 64));',
      '  }',
      '}',
      '',
    ].join('\n');
    const document = { uri: 'file:///hash.ts', language: 'javascript' as const, languageId: 'typescript' };
    const response = await client.analyze(source, path.join(project, 'hash.ts'), document);
    assert.deepEqual(response.findings.map((finding) => [finding.code, source.slice(finding.range.start, finding.range.end), finding.fixes.map((fix) => fix.safety)]), [
      ['AIT401', 'fs.readFileSync', ['unsafe']],
      ['AIT401', 'scryptSync', []],
    ]);
    const fixed = applyFixes(source, [response.findings[0]!.fixes[0]!]).text;
    assert.match(fixed, /const text = await fs\.promises\.readFile\(file, 'utf8'\);/);
    const all = await client.request<FixAllResponse>({ type: 'fixAll', ...document, path: path.join(project, 'hash.ts'), text: source, settings: DEFAULTS, notebookCell: false });
    assert.equal(all.fixed, 0, 'fix-all applies safe fixes only');
  });

  it('finds independent work awaited one item at a time (AIT301) from the syntax alone', async () => {
    const source = [
      "import { setTimeout as sleep } from 'node:timers/promises';",
      '',
      'async function download(url) {',
      '  await sleep(100);',
      '  return `<html>${url}</html>`;',
      '}',
      '',
      'export async function fetchAll(urls) {',
      '  const pages = [];',
      '  for (const url of urls) pages.push(await download(url));',
      '  return pages;',
      '}',
      '',
    ].join('\n');
    const response = await client.analyze(source, undefined, { uri: 'untitled:Untitled-3', language: 'javascript', languageId: 'javascript' });
    assert.deepEqual(response.findings.map((finding) => [finding.code, source.slice(finding.range.start, finding.range.end)]), [['AIT301', 'await download(url)']]);
  });

  it('sees the unsaved text of another open document, and says when importers are stale', async () => {
    const app = path.join(project, 'app.py');
    const streams = path.join(project, 'streams.py');
    assert.equal((await client.analyze(APP, app, { uri: 'app' })).findings.length, 1);
    assert.equal((await client.analyze(STREAMS, streams, { uri: 'streams' })).othersStale, false, 'opening a file changes nothing');
    // The user turns `rows` into a plain function in an unsaved editor: the import is no longer async.
    const plain = STREAMS.replace('async def rows', 'def rows').replace('        await asyncio.sleep(0)\n', '');
    assert.equal((await client.analyze(plain, streams, { uri: 'streams', version: 2 })).othersStale, true);
    // Even an edit elsewhere in app.py (which alone would reuse the loop's findings) sees the new import.
    const edited = `${APP}# more\n`;
    const again = await client.analyze(edited, app, { uri: 'app', version: 2, changes: [{ start: APP.length, end: APP.length, text: '# more\n' }] });
    assert.deepEqual(again.findings, []);
    // Closing the unsaved buffer brings back what is on disk, and the worker says so.
    const notices: FromWorker[] = [];
    client.onNotice((message) => notices.push(message));
    client.send({ type: 'close', uri: 'streams' });
    const back = await client.analyze(APP, app, { uri: 'app', version: 3 });
    assert.equal(back.findings.length, 1);
    assert.deepEqual(notices.map((notice) => notice.type), ['othersStale']);
  });

  it('applies incremental changes and agrees with a fresh analysis', async () => {
    const file = path.join(project, 'app.py');
    await client.analyze(APP, file, { version: 1 });
    // Typing inside the loop's body: only that function is analysed again.
    const inside = APP.indexOf('print(row') + 'print(row'.length;
    const typed = `${APP.slice(0, inside)}, 1${APP.slice(inside)}`;
    const second = await client.analyze(typed, file, { version: 2, changes: [{ start: inside, end: inside, text: ', 1' }] });
    assert.equal(second.findings.length, 1);
    assert.equal(second.reusedUnits > 0, true, 'unchanged units were reused');
    // The quick fix's edit: the finding goes.
    const at = typed.indexOf('for row');
    const fixed = `${typed.slice(0, at)}async ${typed.slice(at)}`;
    const third = await client.analyze(fixed, file, { version: 3, changes: [{ start: at, end: at, text: 'async ' }] });
    assert.deepEqual(third.findings, []);
    // Changes that do not describe the text are ignored: the worker parses the text it was given.
    const fourth = await client.analyze(APP, file, { version: 4, changes: [{ start: 0, end: 1, text: 'nonsense' }] });
    assert.equal(fourth.findings.length, 1);
  });

  it('merges pyproject.toml settings with the editor settings (editor severities win)', async () => {
    fs.writeFileSync(path.join(project, 'pyproject.toml'), '[tool.async-lens]\nseverity = { AIT101 = "warning" }\nexclude = ["generated/"]\n');
    const app = path.join(project, 'app.py');
    const fromProject = await client.analyze(APP, app);
    assert.equal(fromProject.findings[0]?.severity, 'warning');
    assert.equal(fromProject.configFile, path.join(project, 'pyproject.toml'));
    const fromEditor = await client.analyze(APP, app, { settings: { ...DEFAULTS, severity: { AIT101: 'hint' } } });
    assert.equal(fromEditor.findings[0]?.severity, 'hint');
    const ignoringProject = await client.analyze(APP, app, { settings: { ...DEFAULTS, usePyprojectToml: false } });
    assert.equal(ignoringProject.findings[0]?.severity, 'error');
    fs.mkdirSync(path.join(project, 'generated'));
    const excluded = await client.analyze(APP, path.join(project, 'generated', 'app.py'));
    assert.equal(excluded.excluded, true);
    assert.deepEqual(excluded.findings, []);
  });

  it('reports a broken pyproject.toml once per answer and lints with the defaults', async () => {
    fs.writeFileSync(path.join(project, 'pyproject.toml'), '[tool.async-lens]\nseverity = { AIT101 = "loud" }\n');
    const response = await client.analyze(APP, path.join(project, 'app.py'));
    assert.match(response.configProblem ?? '', /pyproject\.toml: \[tool\.async-lens\] severity/);
    assert.equal(response.findings[0]?.severity, 'error');
  });

  it('picks up a pyproject.toml change after an invalidate notice', async () => {
    const app = path.join(project, 'app.py');
    assert.equal((await client.analyze(APP, app)).findings.length, 1);
    fs.writeFileSync(path.join(project, 'pyproject.toml'), '[tool.async-lens]\nignore = ["AIT101"]\n');
    client.send({ type: 'invalidate', paths: [path.join(project, 'pyproject.toml')] });
    assert.deepEqual((await client.analyze(APP, app)).findings, []);
  });

  it('allows top-level async iteration in notebook cells only', async () => {
    const cell = 'async def ticks():\n    yield 1\n\nasync for tick in ticks():\n    print(tick)\n';
    assert.deepEqual((await client.analyze(cell, undefined)).findings.map((finding) => finding.code), ['AIT105']);
    assert.deepEqual((await client.analyze(cell, undefined, { uri: 'cell', notebookCell: true })).findings, []);
  });

  it('answers where a document iterates asynchronously (the playground code lens), from its last analysis', async () => {
    const text = 'async def ticks():\n    yield 1\n\nasync def main():\n    async for tick in ticks():\n        print(tick)\n';
    assert.deepEqual((await client.request<RunnableResponse>({ type: 'runnable', uri: 'file://never-analysed' })).lines, []);
    await client.analyze(text, undefined, { uri: 'file://lens' });
    assert.deepEqual((await client.request<RunnableResponse>({ type: 'runnable', uri: 'file://lens' })).lines, [0, 4]);
  });

  it('fix-all applies every safe fix until none is left', async () => {
    const text = `${APP}\n\nclass Countdown:\n    def __aiter__(self):\n        print("start")\n\n    async def __anext__(self):\n        raise StopAsyncIteration\n`;
    const response = await client.request<FixAllResponse>({ type: 'fixAll', uri: 'file://fix', language: 'python', languageId: 'python', path: path.join(project, 'app.py'), text, settings: DEFAULTS, notebookCell: false });
    assert.equal(response.fixed, 2);
    assert.match(response.text ?? '', /async for row in rows\(3\)/);
    assert.match(response.text ?? '', /print\("start"\)\n {8}return self/);
    const again = await client.request<FixAllResponse>({ type: 'fixAll', uri: 'file://fix', language: 'python', languageId: 'python', path: path.join(project, 'app.py'), text: response.text!, settings: DEFAULTS, notebookCell: false });
    assert.equal(again.text, undefined, 'nothing left to fix');
  });

  it('survives garbage: wrong messages are ignored, binary-ish text is analysed', async () => {
    await client.analyze('x = 1\n', undefined);
    client.send({ nonsense: true } as never);
    client.send({ type: 'analyze', uri: 42 } as never);
    const response = await client.analyze('\u0000\uffff\ud800 async for x in\n\t(((', undefined);
    assert.equal(response.type, 'analyzed');
    assert.deepEqual(response.errors, []);
  });

  it('kills a worker stuck on a request (SIGKILL: even a blocked process dies), and a new one takes the next request', async () => {
    const impatient = new WorkerClient({ requestTimeoutMs: 1 });
    try {
      const huge = `${fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', 'streaming.py'), 'utf8')}\n`.repeat(400);
      const answer = impatient.analyze(huge, undefined, { uri: 'file://huge' });
      const stuck = impatient.client.workerProcess!;
      const exited = new Promise<NodeJS.Signals | null>((resolve) => stuck.once('exit', (_code, signal) => resolve(signal)));
      await assert.rejects(answer, /timed out/);
      assert.equal(await exited, 'SIGKILL');
      assert.equal(impatient.client.workerProcess, undefined);
      assert.match(impatient.log.lines.join('\n'), /took more than 0\.001 s; killing the analysis worker/);
      const next = impatient.analyze('x = 1\n', undefined).catch(() => undefined);
      const replacement = (impatient.client as { readonly workerProcess?: { readonly pid?: number } }).workerProcess;
      assert.ok(replacement?.pid !== undefined && replacement.pid !== stuck.pid, 'a new worker process took the next request');
      await next;
    } finally {
      impatient.terminate();
    }
  });

  it('replaces a worker that died (a crash, the OOM killer) and retries nothing by itself', async () => {
    await client.analyze(APP, path.join(project, 'app.py'));
    const worker = client.client.workerProcess!;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.kill('SIGKILL');
    await exited;
    const response = await client.analyze(APP, path.join(project, 'app.py'));
    assert.equal(response.findings.length, 1);
    assert.notEqual(client.client.workerProcess!.pid, worker.pid);
    assert.match(client.log.lines.join('\n'), /analysis worker was killed by SIGKILL/);
  });
});

describe('minimalEdit', () => {
  const cases: [string, string][] = [
    ['abc', 'abc'],
    ['for x in y:\n', 'async for x in y:\n'],
    ['a\nb\nc\n', 'a\nc\n'],
    ['', 'new'],
    ['old', ''],
    ['aaaa', 'aaaaaa'],
    ['x😀y', 'x😃y'],
    ['😀', '😃'],
  ];
  for (const [before, after] of cases) {
    it(`${JSON.stringify(before)} → ${JSON.stringify(after)}`, () => {
      const edit = minimalEdit(before, after);
      assert.equal(applyFixes(before, [{ edits: [edit] }]).text, after);
      const replaced = before.slice(edit.range.start, edit.range.end);
      assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(replaced) && !/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(edit.newText), 'no split surrogate pair');
      assert.ok(edit.range.end - edit.range.start + edit.newText.length <= before.length + after.length);
    });
  }
});
