import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type * as ts from 'typescript';
import { FAULT_VARIABLE } from '../../src/hosts/tsserver/fault';
import { applyCodeEdits, locationOf, TsServer } from '../support/tsserver';

/*
 * The tsserver plugin inside a real tsserver (the repository's TypeScript),
 * loaded the way editors load it: by package name from a probe location,
 * laid out as in the packaged .vsix (node_modules/async-lens-tsserver-plugin
 * beside dist/) and as in the npm package (async-lens/tsserver-plugin). The
 * bundle is built fresh from the sources into a temporary folder.
 */

type Diagnostic = ts.server.protocol.Diagnostic;
type CodeFixAction = ts.server.protocol.CodeFixAction;
type CombinedCodeActions = ts.server.protocol.CombinedCodeActions;

const ROOT = path.join(__dirname, '..', '..');
const PROJECTS = path.join(ROOT, 'test', 'fixtures', 'tsserver');
const PLUGIN = 'async-lens-tsserver-plugin';

const PLAIN_JS = path.join(PROJECTS, 'plain-js', 'countdown.js');
const CHECK_JS = path.join(PROJECTS, 'check-js', 'lines.js');
const TYPED = path.join(PROJECTS, 'typed', 'pages.ts');
const NPM_LAYOUT = path.join(PROJECTS, 'npm-layout', 'ticks.ts');
const BLOCKING = path.join(PROJECTS, 'blocking', 'archive.ts');
const SEQUENTIAL = path.join(PROJECTS, 'sequential', 'pages.ts');

/** AIT101's diagnostic code: the rule's code itself (see convert.ts). */
const AIT101 = 'AIT101' as unknown as number;
/** What VS Code sends back for it when it asks for fixes (`+code`). */
const AIT101_AS_VSCODE_SENDS_IT = Number.NaN;
const AIT301 = 'AIT301' as unknown as number;
const AIT401 = 'AIT401' as unknown as number;
/** TS2488: "Type … must have a '[Symbol.iterator]()' method that returns an iterator." */
const TS2488 = 2488;

interface Layouts {
  readonly folder: string;
  /** A packaged extension: extension/node_modules/async-lens-tsserver-plugin → extension/dist/tsserver-plugin.js. */
  readonly extension: string;
  /** A project with the npm package installed: node_modules/async-lens/tsserver-plugin → node_modules/async-lens/dist/tsserver-plugin.js. */
  readonly npm: string;
}

async function buildLayouts(): Promise<Layouts> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-tsserver-'));
  const extension = path.join(folder, 'extension');
  const npm = path.join(folder, 'npm');
  const npmPackage = path.join(npm, 'node_modules', 'async-lens');
  const { ENTRIES, buildOptions } = require(path.join(ROOT, 'esbuild.js')) as {
    ENTRIES: readonly { readonly name: string }[];
    buildOptions(entry: { readonly name: string }): esbuild.BuildOptions;
  };
  const entry = ENTRIES.find((candidate) => candidate.name === 'tsserver-plugin');
  assert.ok(entry, 'esbuild.js has no tsserver-plugin entry');
  const bundle = path.join(extension, 'dist', 'tsserver-plugin.js');
  await esbuild.build({ ...buildOptions(entry), outfile: bundle, sourcemap: false });

  const copyPackage = (into: string) => {
    fs.mkdirSync(into, { recursive: true });
    for (const file of ['package.json', 'index.js']) fs.copyFileSync(path.join(ROOT, 'tsserver-plugin', file), path.join(into, file));
  };
  copyPackage(path.join(extension, 'node_modules', PLUGIN));
  fs.cpSync(path.join(ROOT, 'docs', 'rules'), path.join(extension, 'docs', 'rules'), { recursive: true });

  copyPackage(path.join(npmPackage, 'tsserver-plugin'));
  fs.writeFileSync(path.join(npmPackage, 'package.json'), JSON.stringify({ name: 'async-lens', version: '0.0.0' }));
  fs.mkdirSync(path.join(npmPackage, 'dist'));
  fs.copyFileSync(bundle, path.join(npmPackage, 'dist', 'tsserver-plugin.js'));
  fs.cpSync(path.join(ROOT, 'docs', 'rules'), path.join(npmPackage, 'docs', 'rules'), { recursive: true });
  return { folder, extension, npm };
}

/** A tsserver with the plugin loaded as VS Code loads it (a global plugin from the extension's folder). */
function startServer(layouts: Layouts, name: string, extra: { probeLocations?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): TsServer {
  return new TsServer({
    globalPlugins: [PLUGIN],
    probeLocations: [layouts.extension, ...(extra.probeLocations ?? [])],
    logFile: path.join(layouts.folder, `${name}.log`),
    ...(extra.env ? { env: extra.env } : {}),
  });
}

async function open(server: TsServer, file: string, text = fs.readFileSync(file, 'utf8')): Promise<string> {
  await server.request('updateOpen', { closedFiles: [file] });
  await server.request('updateOpen', { openFiles: [{ file, fileContent: text }] });
  return text;
}

function semantic(server: TsServer, file: string): Promise<Diagnostic[]> {
  return server.request<Diagnostic[]>('semanticDiagnosticsSync', { file });
}

function suggestions(server: TsServer, file: string): Promise<Diagnostic[]> {
  return server.request<Diagnostic[]>('suggestionDiagnosticsSync', { file });
}

const ours = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((diagnostic) => diagnostic.source === 'Async Lens');

/** The text a diagnostic covers. */
function covered(text: string, diagnostic: Diagnostic): string {
  const lines = text.split('\n');
  if (diagnostic.start.line !== diagnostic.end.line) throw new Error('a diagnostic over several lines');
  return lines[diagnostic.start.line - 1]!.slice(diagnostic.start.offset - 1, diagnostic.end.offset - 1);
}

function codeFixes(server: TsServer, file: string, diagnostic: Pick<Diagnostic, 'start' | 'end'>, errorCode: number): Promise<CodeFixAction[]> {
  return server.request<CodeFixAction[]>('getCodeFixes', {
    file,
    startLine: diagnostic.start.line,
    startOffset: diagnostic.start.offset,
    endLine: diagnostic.end.line,
    endOffset: diagnostic.end.offset,
    errorCodes: [errorCode],
  });
}

/** Applies one file's edits in tsserver (as an editor does) and here; returns the new text. */
async function applyEdits(server: TsServer, file: string, text: string, changes: readonly ts.server.protocol.FileCodeEdits[]): Promise<string> {
  assert.deepEqual(changes.map((change) => change.fileName), [file]);
  const edits = changes[0]!.textChanges;
  await server.request('updateOpen', { changedFiles: [{ fileName: file, textChanges: edits }] });
  return applyCodeEdits(text, edits);
}

/** Sends the editor's configuration and waits until tsserver tells the editor to ask for diagnostics again. */
async function configure(server: TsServer, configuration: unknown, pluginName = PLUGIN): Promise<void> {
  const from = server.eventCount;
  await server.request('configurePlugin', { pluginName, configuration });
  await server.waitForEvent('projectsUpdatedInBackground', from);
}

describe('tsserver plugin', function () {
  this.timeout(120_000);
  let layouts: Layouts;

  before(async () => {
    layouts = await buildLayouts();
  });
  after(() => {
    if (layouts) fs.rmSync(layouts.folder, { recursive: true, force: true });
  });

  describe('in a tsserver that loads it as VS Code does', () => {
    let server: TsServer;

    before(() => {
      server = startServer(layouts, 'vscode');
    });
    after(async () => {
      await server?.close();
    });

    it('reports AIT101 in JavaScript without checkJs, where TypeScript reports nothing, with its code, source and a link to its page', async () => {
      const text = await open(server, PLAIN_JS);
      const diagnostics = await semantic(server, PLAIN_JS);
      assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.source !== 'Async Lens'), []);
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.category, covered(text, diagnostic)]), [
        [AIT101, 'error', 'for (const n of countdown(3))'],
        [AIT101, 'error', 'for (const n of countdown(2))'],
        [AIT101, 'error', 'for (const n of countdown(1))'],
        [AIT101, 'error', 'for (const n of countdown(1))'],
      ]);
      const first = diagnostics[0]!;
      assert.match(first.text, /^`for…of` cannot iterate `countdown\(3\)`: .*\)\.$/);
      const docs = first.relatedInformation?.[0];
      assert.ok(docs?.span, 'no link to the rule page');
      assert.equal(docs.span.file, path.join(layouts.extension, 'docs', 'rules', 'AIT101.md'));
      assert.ok(fs.existsSync(docs.span.file));
      assert.match(docs.message, /^AIT101 \(sync-iteration-over-async-iterable\)/);
      assert.deepEqual(ours(await suggestions(server, PLAIN_JS)), []);
    });

    it('offers the engine\'s fixes for its own diagnostics, safe ones with "fix all"', async () => {
      const text = await open(server, PLAIN_JS);
      const [inAsync, inSync] = await semantic(server, PLAIN_JS);
      const safe = await codeFixes(server, PLAIN_JS, inAsync!, AIT101);
      assert.deepEqual(safe.map((fix) => [fix.description, fix.fixId, fix.fixAllDescription]), [['Use `for await`', 'async-lens:AIT101', 'Apply every safe AIT101 fix in this file']]);
      assert.equal(applyCodeEdits(text, safe[0]!.changes[0]!.textChanges).split('\n')[5], '  for await (const n of countdown(3)) console.log(n);');

      // VS Code asks with `+code` (NaN, sent as null): the fixes of our diagnostic at that range.
      const unsafe = await codeFixes(server, PLAIN_JS, inSync!, AIT101_AS_VSCODE_SENDS_IT);
      assert.deepEqual(unsafe.map((fix) => [fix.description, fix.fixId]), [['Use `for await` and make the function `async`', undefined]]);
      const fixed = applyCodeEdits(text, unsafe[0]!.changes[0]!.textChanges).split('\n');
      assert.deepEqual([fixed[8], fixed[10]], ['export async function collect() {', '  for await (const n of countdown(2)) items.push(n);']);

      assert.deepEqual(await codeFixes(server, PLAIN_JS, inAsync!, 2304), [], 'fixes for a code that is not ours, nor shared with a rule');
    });

    it('applies every safe AIT101 fix of the file as one combined fix, and those findings are gone', async () => {
      let text = await open(server, PLAIN_JS);
      const combined = await server.request<CombinedCodeActions>('getCombinedCodeFix', { scope: { type: 'file', args: { file: PLAIN_JS } }, fixId: 'async-lens:AIT101' });
      text = await applyEdits(server, PLAIN_JS, text, combined.changes);
      assert.equal(text.match(/for await/g)?.length, 3);
      const left = await semantic(server, PLAIN_JS);
      assert.deepEqual(left.map((diagnostic) => covered(text, diagnostic)), ['for (const n of countdown(2))'], 'only the finding whose fix is unsafe is left');

      const again = await server.request<CombinedCodeActions>('getCombinedCodeFix', { scope: { type: 'file', args: { file: PLAIN_JS } }, fixId: 'async-lens:AIT101' });
      assert.deepEqual(again.changes, [], 'fix all twice changes nothing more');
    });

    it('answers a combined fix of its own id in any file without throwing', async () => {
      await open(server, TYPED);
      for (const fixId of ['async-lens:AIT101', 'async-lens:AIT999']) {
        const combined = await server.request<CombinedCodeActions>('getCombinedCodeFix', { scope: { type: 'file', args: { file: TYPED } }, fixId });
        assert.ok(Array.isArray(combined.changes));
      }
    });

    it('with checkJs, adds its fix to TypeScript\'s TS2488 instead of a second diagnostic', async () => {
      const text = await open(server, CHECK_JS);
      const diagnostics = await semantic(server, CHECK_JS);
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, covered(text, diagnostic)]), [[TS2488, 'lines()']]);
      const fixes = await codeFixes(server, CHECK_JS, diagnostics[0]!, TS2488);
      // Ours first, then TypeScript's own.
      assert.deepEqual(fixes.map((fix) => [fix.fixName, fix.description]).slice(0, 2), [['async-lens:AIT101', 'Use `for await`'], ['addMissingAwait', "Add 'await'"]]);
      const fixed = await applyEdits(server, CHECK_JS, text, fixes[0]!.changes);
      assert.match(fixed, /for await \(const line of lines\(\)\)/);
      assert.deepEqual(await semantic(server, CHECK_JS), [], 'the fix leaves no error behind');
    });

    it('in TypeScript, reads its options from the tsconfig, fixes TS2488, and reports what TypeScript reports differently', async () => {
      const text = await open(server, TYPED);
      const diagnostics = await semantic(server, TYPED);
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.category, diagnostic.source ?? 'ts', covered(text, diagnostic)]), [
        [TS2488, 'error', 'ts', 'fetchPages(urls)'],
        [2769, 'error', 'ts', 'fetchPages(urls)'],
        // TS2769 is not the same problem (no overload matches): AIT101 is reported too, lowered to a warning by the tsconfig's plugin entry.
        [AIT101, 'warning', 'Async Lens', 'fetchPages(urls)'],
      ]);
      const onCompilerError = await codeFixes(server, TYPED, diagnostics[0]!, TS2488);
      assert.equal(onCompilerError[0]?.description, 'Use `for await`');
      const onOurs = await codeFixes(server, TYPED, diagnostics[2]!, AIT101);
      assert.deepEqual(onOurs.map((fix) => fix.description), ['Use `await Array.fromAsync(...)`']);
    });

    it('reports AIT401 on each blocking call of a `for await` body, and its unsafe fix leaves no type error', async () => {
      const text = await open(server, BLOCKING);
      const diagnostics = await semantic(server, BLOCKING);
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.category, diagnostic.source, covered(text, diagnostic)]), [
        [AIT401, 'warning', 'Async Lens', 'fs.readFileSync'],
        [AIT401, 'warning', 'Async Lens', 'fs.writeFileSync'],
        [AIT401, 'warning', 'Async Lens', 'gzipSync'],
      ]);
      assert.match(diagnostics[0]!.text, /^`fs\.readFileSync\(\)` blocks inside a `for await` loop: /);
      const fixes = await codeFixes(server, BLOCKING, diagnostics[0]!, AIT401);
      // Unsafe: a plain code action, not part of "fix all".
      assert.deepEqual(fixes.map((fix) => [fix.description, fix.fixId]), [['Use `await fs.promises.readFile()`', undefined]]);
      assert.deepEqual(await codeFixes(server, BLOCKING, diagnostics[2]!, AIT401), [], 'no fix for zlib');
      const fixed = await applyEdits(server, BLOCKING, text, fixes[0]!.changes);
      assert.equal(fixed.split('\n')[5], "    const text = await fs.promises.readFile(entry, 'utf8');");
      const after = (await semantic(server, BLOCKING)).filter((diagnostic) => diagnostic.code === AIT401 || diagnostic.source !== 'Async Lens');
      assert.deepEqual(after.map((diagnostic) => [diagnostic.code, covered(fixed, diagnostic)]), [[AIT401, 'fs.writeFileSync'], [AIT401, 'gzipSync']]);
    });

    it('reports AIT301 on the await of a loop that downloads independent pages one at a time, with no safe fix', async () => {
      const text = await open(server, SEQUENTIAL);
      const diagnostics = await semantic(server, SEQUENTIAL);
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.category, diagnostic.source, covered(text, diagnostic)]), [
        [AIT301, 'warning', 'Async Lens', 'await download(url)'],
      ]);
      const fixes = await codeFixes(server, SEQUENTIAL, diagnostics[0]!, AIT301);
      assert.deepEqual(fixes.filter((fix) => fix.fixId !== undefined), [], 'an AIT301 fix changes when the work runs: never part of "fix all"');
    });

    it('lists its codes and the compiler codes it fixes as supported, whether or not a file is named', async () => {
      await open(server, PLAIN_JS);
      // VS Code asks without naming a file: that answer comes from TypeScript's code-fix registry.
      const global = await server.request<string[]>('getSupportedCodeFixes');
      const forFile = await server.request<string[]>('getSupportedCodeFixes', { file: PLAIN_JS });
      for (const codes of [global, forFile]) {
        for (const code of ['AIT101', '2488', '2548', '2549']) assert.ok(codes.includes(code), `${code} is not listed as fixable`);
      }
    });

    it('applies configurePlugin at once, without a restart, and asks the editor to refresh its diagnostics', async () => {
      const text = await open(server, PLAIN_JS);
      try {
        await configure(server, { severity: { AIT101: 'off' } });
        assert.deepEqual(ours(await semantic(server, PLAIN_JS)), []);

        await configure(server, { severity: { AIT101: 'hint' } });
        assert.deepEqual(ours(await semantic(server, PLAIN_JS)), []);
        const hints = ours(await suggestions(server, PLAIN_JS));
        assert.deepEqual(hints.map((diagnostic) => [diagnostic.category, covered(text, diagnostic)]).slice(0, 1), [['suggestion', 'for (const n of countdown(3))']]);
        assert.equal(hints.length, 4);
        assert.equal((await codeFixes(server, PLAIN_JS, hints[0]!, AIT101)).length, 1, 'a hint has its fixes too');

        await configure(server, { enable: false, severity: { AIT101: 'error' } });
        assert.deepEqual(ours(await semantic(server, PLAIN_JS)), []);
        assert.deepEqual(ours(await suggestions(server, PLAIN_JS)), []);
        assert.deepEqual(await codeFixes(server, PLAIN_JS, { start: locationOf(text, text.indexOf('for (')), end: locationOf(text, text.indexOf(' console')) }, AIT101), []);

        await configure(server, { severity: { AIT101: 'loud', AIT999: 'off' }, knownAsyncIterables: ['not an entry'], colour: 'blue' });
        assert.equal(ours(await semantic(server, PLAIN_JS)).length, 4, 'invalid values are left out, the defaults apply');
        const log = server.log();
        for (const expected of [
          'option left out: asyncLens.severity.AIT101: expected "off", "hint", "info", "warning" or "error", got "loud"',
          'option left out: asyncLens.severity.AIT999: unknown rule code',
          'option left out: asyncLens.knownAsyncIterables: "not an entry" is neither',
          'option left out: asyncLens.colour: not an option of the tsserver plugin',
        ]) assert.ok(log.includes(expected), `the log does not say: ${expected}`);
      } finally {
        await configure(server, {});
      }
    });
  });

  describe('loaded twice into one project (the editor\'s copy and the npm package named in the tsconfig)', () => {
    let server: TsServer;

    before(() => {
      server = startServer(layouts, 'twice', { probeLocations: [layouts.npm] });
    });
    after(async () => {
      await server?.close();
    });

    it('reports each finding once, and the editor\'s configuration still reaches it', async () => {
      const text = await open(server, NPM_LAYOUT);
      const diagnostics = ours(await semantic(server, NPM_LAYOUT));
      assert.deepEqual(diagnostics.map((diagnostic) => covered(text, diagnostic)), ['ticks(3)']);
      const log = server.log();
      assert.match(log, /\[async-lens\] async-lens\/tsserver-plugin decorates .*npm-layout[\\/]tsconfig\.json/);
      assert.match(log, /already decorated by async-lens\/tsserver-plugin; async-lens-tsserver-plugin only passes its configuration on/);
      const docs = diagnostics[0]!.relatedInformation?.[0]?.span?.file;
      assert.equal(docs, path.join(layouts.npm, 'node_modules', 'async-lens', 'docs', 'rules', 'AIT101.md'));

      await configure(server, { severity: { AIT101: 'off' } });
      assert.deepEqual(ours(await semantic(server, NPM_LAYOUT)), []);
    });
  });

  describe('when a rule throws', () => {
    let server: TsServer;

    before(() => {
      server = startServer(layouts, 'rule-fault', { env: { [FAULT_VARIABLE]: 'rule' } });
    });
    after(async () => {
      await server?.close();
    });

    it('logs it and keeps the other rules\' findings', async () => {
      await open(server, PLAIN_JS);
      const diagnostics = await semantic(server, PLAIN_JS);
      assert.equal(ours(diagnostics).length, 4);
      assert.match(server.log(), /\[async-lens\] rule AIT000 failed on .*countdown\.js and was skipped; the other rules ran: injected fault/);
    });
  });

  describe('when the plugin itself throws', () => {
    let server: TsServer;

    before(() => {
      server = startServer(layouts, 'analysis-fault', { env: { [FAULT_VARIABLE]: 'analysis' } });
    });
    after(async () => {
      await server?.close();
    });

    it('returns TypeScript\'s own results and logs why', async () => {
      await open(server, CHECK_JS);
      const diagnostics = await semantic(server, CHECK_JS);
      assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), [TS2488]);
      assert.deepEqual(await suggestions(server, CHECK_JS), []);
      const fixes = await codeFixes(server, CHECK_JS, diagnostics[0]!, TS2488);
      assert.ok(fixes.length > 0, 'TypeScript\'s own fixes are there');
      assert.deepEqual(fixes.filter((fix) => fix.fixName.startsWith('async-lens')), []);
      const combined = await server.request<CombinedCodeActions>('getCombinedCodeFix', { scope: { type: 'file', args: { file: CHECK_JS } }, fixId: 'async-lens:AIT101' });
      assert.deepEqual(combined.changes, []);
      const log = server.log();
      for (const what of ['semantic diagnostics', 'suggestion diagnostics', 'code fixes', 'fix all AIT101']) {
        assert.match(log, new RegExp(`\\[async-lens\\] ${what} (of|in) .*lines\\.js failed; TypeScript's own result is returned: Error: injected fault`));
      }
    });
  });
});
