import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG } from '../../src/catalog';
import { PYTHON_RULES } from '../../src/python/rules';
import { checkPaths, exitCode } from '../../src/hosts/cli/check';
import { pythonTriggerPattern } from '../../src/python/analyze';
import { ensureCliBuilt, json, runCli, runCliUnprivileged, TempProjects, where, type CliRun, type JsonFinding } from '../support/cli';
import { testRule } from '../support/python';

/*
 * End-to-end: the built CLI (dist/cli.js) runs on real temporary projects,
 * as CI would run it. A few checks use `checkPaths` directly, for what the
 * command line cannot show (counters, an injected failing rule).
 */

const STREAMS = `import asyncio


async def fetch_pages(urls):
    for url in urls:
        await asyncio.sleep(0)
        yield url
`;

/** Two findings with safe fixes; line 7 has a non-BMP character before the finding (UTF-16 columns). */
const APP = `from streams import fetch_pages


async def crawl(urls):
    for page in fetch_pages(urls):
        print(page)
    label = "🙂"; sizes = [len(p) for p in fetch_pages(urls)]
    return label, sizes
`;

const CLEAN = `def add(a, b):
    return a + b
`;

/** Self-contained: one AIT101 finding on line 6. */
const LOCAL = `async def ticks():
    yield 1


async def main():
    for tick in ticks():
        print(tick)
`;

const FIXABLE = `from streams import fetch_pages


async def crawl(urls):
    for page in fetch_pages(urls):
        print(page)
    everything = list(fetch_pages(urls))
    lazy = (p for p in fetch_pages(urls))
    return everything, lazy


def sync_crawl(urls):
    for page in fetch_pages(urls):
        print(page)
`;


function assertNoStackTrace(run: CliRun): void {
  assert.doesNotMatch(run.stderr, /^\s+at .+\(.*:\d+:\d+\)$/m, `stack trace on stderr:\n${run.stderr}`);
}

/** One clear line per problem, prefixed `async-lens: error:`. */
function assertUsageError(run: CliRun, pattern: RegExp): void {
  assert.equal(run.status, 2, `exit status (stderr: ${run.stderr})`);
  assert.match(run.stderr, /^async-lens: error: /);
  assert.match(run.stderr, pattern);
  assertNoStackTrace(run);
}

describe('CLI: async-lens check', function () {
  const projects = new TempProjects();
  before(() => ensureCliBuilt());
  afterEach(() => projects.cleanup());

  describe('output formats', () => {
    it('json: the stable contract, with 1-based lines and UTF-16 columns', () => {
      const root = projects.make({ 'streams.py': STREAMS, 'app.py': APP });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1);
      assert.equal(run.stderr, '');
      const findings = json(run);
      assert.equal(findings.length, 2);
      for (const finding of findings) {
        assert.deepEqual(Object.keys(finding).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'fixes', 'line', 'message', 'name', 'severity']);
        assert.match(finding.message, /fetch_pages/);
        assert.equal(finding.fixes.length, 1);
        assert.deepEqual(Object.keys(finding.fixes[0]!).sort(), ['edits', 'safety', 'title']);
        assert.match(finding.fixes[0]!.title, /async for/);
      }
      const strip = ({ message: _message, fixes, ...rest }: JsonFinding) => ({ ...rest, fixes: fixes.map(({ title: _title, ...fix }) => fix) });
      assert.deepEqual(findings.map(strip), [
        {
          file: 'app.py', line: 5, column: 5, endLine: 5, endColumn: 34,
          code: 'AIT101', name: 'sync-iteration-over-async-iterable', severity: 'error',
          fixes: [{ safety: 'safe', edits: [{ line: 5, column: 5, endLine: 5, endColumn: 5, newText: 'async ' }] }],
        },
        {
          // "🙂" is one code point but two UTF-16 code units: `for` starts at UTF-16 column 35.
          file: 'app.py', line: 7, column: 35, endLine: 7, endColumn: 61,
          code: 'AIT101', name: 'sync-iteration-over-async-iterable', severity: 'error',
          fixes: [{ safety: 'safe', edits: [{ line: 7, column: 35, endLine: 7, endColumn: 35, newText: 'async ' }] }],
        },
      ]);
    });

    it('json: `file` is the path as given, joined with the path inside a given directory', () => {
      const root = projects.make({ 'proj/streams.py': STREAMS, 'proj/pkg/app.py': LOCAL });
      assert.deepEqual(json(runCli(['check', 'proj', '--format', 'json'], root)).map((f) => f.file), [path.join('proj', 'pkg', 'app.py')]);
      assert.deepEqual(json(runCli(['check', './proj/pkg/', '--format=json'], root)).map((f) => f.file), [path.join('proj', 'pkg', 'app.py')]);
      assert.deepEqual(json(runCli(['check', './proj/pkg/app.py', '--format=json'], root)).map((f) => f.file), ['./proj/pkg/app.py']);
      const absolute = path.join(root, 'proj');
      assert.deepEqual(json(runCli(['check', absolute, '--format', 'json'], root)).map((f) => f.file), [path.join(absolute, 'pkg', 'app.py')]);
    });

    it('text: `path:line:col: CODE [*] message` and a summary line', () => {
      const root = projects.make({ 'streams.py': STREAMS, 'app.py': APP, 'sync.py': 'from streams import fetch_pages\n\n\ndef crawl(urls):\n    for page in fetch_pages(urls):\n        print(page)\n' });
      const run = runCli(['check'], root);
      assert.equal(run.status, 1);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 4);
      assert.ok(lines[0]!.startsWith('app.py:5:5: AIT101 [*] `for` cannot iterate'), lines[0]);
      assert.ok(lines[1]!.startsWith('app.py:7:35: AIT101 [*] '), lines[1]);
      // Not inside an `async def`: no safe fix, no marker.
      assert.ok(lines[2]!.startsWith('sync.py:5:5: AIT101 `for` cannot iterate'), lines[2]);
      assert.equal(lines[3], 'Found 3 problems (2 fixable with --fix).');
    });

    it('text: `All checks passed!` when there is nothing to report', () => {
      const root = projects.make({ 'clean.py': CLEAN, 'streams.py': STREAMS });
      const run = runCli(['check'], root);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, 'All checks passed!\n');
      assert.equal(run.stderr, '');
    });

    it('sarif: a valid SARIF 2.1.0 log with rules, results, regions and fixes', () => {
      const root = projects.make({ 'streams.py': STREAMS, 'app.py': APP });
      const run = runCli(['check', '--format', 'sarif'], root);
      assert.equal(run.status, 1);
      const sarif = JSON.parse(run.stdout);
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
      assert.equal(sarif.runs.length, 1);
      const [sarifRun] = sarif.runs;
      assert.equal(sarifRun.columnKind, 'utf16CodeUnits');
      const driver = sarifRun.tool.driver;
      assert.equal(driver.name, 'async-lens');
      assert.equal(driver.version, JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
      assert.deepEqual(driver.rules.map((rule: { id: string }) => rule.id), CATALOG.entries.map((rule) => rule.code));
      for (const rule of driver.rules) {
        assert.ok(new URL(rule.helpUri).pathname.endsWith(`/docs/rules/${rule.id}.md`), rule.helpUri);
        assert.equal(typeof rule.shortDescription.text, 'string');
        assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
      }
      assert.equal(sarifRun.originalUriBaseIds['%SRCROOT%'].uri.startsWith('file://'), true);
      assert.equal(sarifRun.results.length, 2);
      const [first] = sarifRun.results;
      assert.equal(first.ruleId, 'AIT101');
      assert.equal(driver.rules[first.ruleIndex].id, 'AIT101');
      assert.equal(first.level, 'error');
      assert.match(first.message.text, /fetch_pages/);
      assert.deepEqual(first.locations, [{
        physicalLocation: {
          artifactLocation: { uri: 'app.py', uriBaseId: '%SRCROOT%' },
          region: { startLine: 5, startColumn: 5, endLine: 5, endColumn: 34 },
        },
      }]);
      assert.equal(first.fixes.length, 1);
      assert.match(first.fixes[0].description.text, /async for/);
      assert.deepEqual(first.fixes[0].artifactChanges, [{
        artifactLocation: { uri: 'app.py', uriBaseId: '%SRCROOT%' },
        replacements: [{ deletedRegion: { startLine: 5, startColumn: 5, endLine: 5, endColumn: 5 }, insertedContent: { text: 'async ' } }],
      }]);
      assert.deepEqual(sarifRun.results[1].locations[0].physicalLocation.region, { startLine: 7, startColumn: 35, endLine: 7, endColumn: 61 });
    });

    it('sarif: an empty run when there is nothing to report', () => {
      const root = projects.make({ 'clean.py': CLEAN });
      const run = runCli(['check', '--format', 'sarif'], root);
      assert.equal(run.status, 0);
      assert.deepEqual(JSON.parse(run.stdout).runs[0].results, []);
    });

    it('github: one workflow command per finding, at the severity\'s level', () => {
      const root = projects.make({
        'streams.py': STREAMS,
        'app.py': APP,
        'b, c.py': LOCAL,
        'pyproject.toml': '',
      });
      const run = runCli(['check', '--format', 'github'], root);
      assert.equal(run.status, 1);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 3);
      const title = 'title=AIT101 sync-iteration-over-async-iterable::';
      assert.ok(lines[0]!.startsWith(`::error file=app.py,line=5,col=5,endLine=5,endColumn=34,${title}\`for\` cannot iterate`), lines[0]);
      assert.ok(lines[1]!.startsWith(`::error file=app.py,line=7,col=35,endLine=7,endColumn=61,${title}`), lines[1]);
      // Property values escape `,` and `:`.
      assert.ok(lines[2]!.startsWith(`::error file=b%2C c.py,line=6,col=5,endLine=6,endColumn=24,${title}`), lines[2]);

      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.async-lens]\nseverity = { AIT101 = "warning" }\n');
      assert.match(runCli(['check', 'app.py', '--format', 'github'], root).stdout, /^::warning file=app\.py,line=5,/);
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.async-lens]\nseverity = { AIT101 = "info" }\n');
      assert.match(runCli(['check', 'app.py', '--format', 'github'], root).stdout, /^::notice file=app\.py,line=5,/);
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.async-lens]\nseverity = { AIT101 = "hint" }\n');
      assert.match(runCli(['check', 'app.py', '--format', 'github'], root).stdout, /^::notice file=app\.py,line=5,/);
    });

    it('github: no output when there is nothing to report', () => {
      const root = projects.make({ 'clean.py': CLEAN });
      const run = runCli(['check', '--format', 'github'], root);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, '');
    });
  });

  describe('exit status and usage', () => {
    it('is 0 when clean, 1 with findings', () => {
      const root = projects.make({ 'clean.py': CLEAN, 'local.py': LOCAL });
      assert.equal(runCli(['check', 'clean.py'], root).status, 0);
      assert.equal(runCli(['check', 'local.py'], root).status, 1);
      assert.equal(runCli(['check'], root).status, 1);
    });

    it('is 2, with one clear line and no stack trace, for usage errors', () => {
      const root = projects.make({ 'local.py': LOCAL });
      assertUsageError(runCli(['check', '--frmat', 'json'], root), /unknown option --frmat/);
      assertUsageError(runCli(['check', '--format', 'xml'], root), /unknown format "xml" \(expected text, json, sarif, github\)/);
      assertUsageError(runCli(['check', '--format'], root), /--format needs a value/);
      assertUsageError(runCli(['check', '--select', 'AIT999'], root), /unknown rule code in --select: AIT999/);
      assertUsageError(runCli(['check', '--ignore', 'XYZ1,AIT1'], root), /unknown rule code in --ignore: XYZ1/);
      assertUsageError(runCli(['chek'], root), /unknown command "chek"/);
      assertUsageError(runCli([], root), /no command given/);
      assertUsageError(runCli(['rules', '--fix'], root), /--fix applies to `check`/);
    });

    it('prints help, the version, and the rule list', () => {
      const root = projects.make({});
      const help = runCli(['--help'], root);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /async-lens check \[paths…\]/);
      for (const option of ['--format', '--select', '--ignore', '--fix']) assert.ok(help.stdout.includes(option), option);

      const version = runCli(['--version'], root);
      assert.equal(version.status, 0);
      assert.equal(version.stdout, `async-lens ${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);

      const rules = runCli(['rules'], root);
      assert.equal(rules.status, 0);
      const lines = rules.stdout.trimEnd().split('\n');
      assert.equal(lines.length, CATALOG.entries.length + 1);
      CATALOG.entries.forEach((rule, index) => {
        const runnable = PYTHON_RULES.some((python) => python.meta.code === rule.code) ? 'yes' : rule.languages.includes('python') ? 'planned' : '-';
        assert.match(lines[index + 1]!, new RegExp(`^${rule.code}\\s+${rule.name}\\s+${rule.defaultSeverity}\\s+${runnable}\\s`));
      });
    });

    it('warns when there is no Python, JavaScript or TypeScript file to check', () => {
      const root = projects.make({ 'README.md': '# nothing here\n' });
      const run = runCli(['check'], root);
      assert.equal(run.status, 0);
      assert.match(run.stderr, /^async-lens: warning: no Python, JavaScript or TypeScript files found/);
    });
  });

  describe('--select and --ignore', () => {
    it('warns when a selected rule is in the catalog but does not run on Python (a JavaScript rule)', () => {
      const root = projects.make({ 'app.py': 'async def ticker():\n    yield 1\n\nasync def main():\n    for t in ticker():\n        print(t)\n' });
      const planned = runCli(['check', '--select', 'AIT103'], root);
      assert.equal(planned.status, 0);
      assert.match(planned.stderr, /warning: --select AIT103: no rule matching it runs on Python yet/);
      const mixed = runCli(['check', '--select', 'AIT103,AIT101'], root);
      assert.equal(mixed.status, 1);
      assert.match(mixed.stderr, /--select AIT103: no rule/);
      assert.doesNotMatch(mixed.stderr, /AIT101: no rule/);
    });

    it('selects and ignores by code or prefix, case-insensitively', () => {
      const root = projects.make({ 'local.py': LOCAL });
      const count = (...args: string[]) => json(runCli(['check', '--format', 'json', ...args], root)).length;
      assert.equal(count(), 1);
      assert.equal(count('--select', 'AIT101'), 1);
      assert.equal(count('--select', 'ait1'), 1);
      assert.equal(count('--select', 'AIT2'), 0);
      assert.equal(count('--select=AIT2,AIT101'), 1);
      assert.equal(count('--select', 'AIT2', '--select', 'AIT101'), 1);
      assert.equal(count('--ignore', 'AIT101'), 0);
      assert.equal(count('--select', 'AIT1', '--ignore', 'AIT101'), 0);
      assert.equal(runCli(['check', '--ignore', 'AIT101'], root).status, 0);
    });

    it('--select replaces the configured selection; --ignore adds to the configured ignores', () => {
      const root = projects.make({ 'local.py': LOCAL, 'pyproject.toml': '[tool.async-lens]\nselect = ["AIT2"]\n' });
      const count = (...args: string[]) => json(runCli(['check', '--format', 'json', ...args], root)).length;
      assert.equal(count(), 0);
      assert.equal(count('--select', 'AIT101'), 1);

      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.async-lens]\nignore = ["AIT101"]\n');
      assert.equal(count(), 0);
      assert.equal(count('--ignore', 'AIT2'), 0);
      assert.equal(count('--select', 'AIT101'), 1);
    });
  });

  describe('--fix', () => {
    const FIXED_FOR = '    async for page in fetch_pages(urls):';

    it('applies safe fixes only, rewrites the file, and reports what remains', () => {
      const root = projects.make({ 'streams.py': STREAMS, 'app.py': FIXABLE });
      const run = runCli(['check', '--fix'], root);
      assert.equal(run.status, 1);
      const after = fs.readFileSync(path.join(root, 'app.py'), 'utf8');
      const before = FIXABLE.split('\n');
      const lines = after.split('\n');
      assert.equal(lines.length, before.length);
      assert.equal(lines[4], FIXED_FOR);
      assert.match(lines[6]!, /^ {4}everything = .*async for .*fetch_pages\(urls\)/);
      assert.doesNotMatch(lines[6]!, /list\(/);
      // The generator-expression fix is unsafe (it changes the value's type); a sync function gets none.
      assert.equal(lines[7], before[7]);
      assert.equal(lines[12], before[12]);
      for (const index of [0, 1, 2, 3, 5, 8, 9, 10, 11, 13]) assert.equal(lines[index], before[index], `line ${index + 1}`);

      const reported = run.stdout.trimEnd().split('\n');
      assert.deepEqual(reported.slice(0, -1).map((line) => line.split(': ')[0]), ['app.py:8:15', 'app.py:13:5']);
      assert.equal(reported.at(-1), 'Found 4 problems (2 fixed, 2 remaining).');
    });

    it('is idempotent: a second run changes nothing', () => {
      const root = projects.make({ 'streams.py': STREAMS, 'app.py': FIXABLE });
      runCli(['check', '--fix'], root);
      const once = fs.readFileSync(path.join(root, 'app.py'));
      const second = runCli(['check', '--fix'], root);
      assert.equal(second.status, 1);
      assert.deepEqual(fs.readFileSync(path.join(root, 'app.py')), once);
      assert.equal(second.stdout.trimEnd().split('\n').at(-1), 'Found 2 problems.');
    });

    it('exits 0 when every finding was fixed', () => {
      const root = projects.make({ 'local.py': LOCAL });
      const run = runCli(['check', '--fix'], root);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, 'Found 1 problem (1 fixed, 0 remaining).\n');
      assert.match(fs.readFileSync(path.join(root, 'local.py'), 'utf8'), /^ {4}async for tick in ticks\(\):$/m);
      assert.equal(runCli(['check'], root).stdout, 'All checks passed!\n');
    });

    it('preserves CRLF line endings and a UTF-8 byte order mark', () => {
      const crlf = FIXABLE.replace(/\n/g, '\r\n');
      const root = projects.make({ 'streams.py': STREAMS, 'app.py': `\ufeff${crlf}` });
      const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf, 'utf8')]);
      assert.deepEqual(fs.readFileSync(path.join(root, 'app.py')), raw);
      runCli(['check', '--fix'], root);
      const bytes = fs.readFileSync(path.join(root, 'app.py'));
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      assert.equal(text.split('\r\n')[4], FIXED_FOR);
      assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, 'every line break is still CRLF');
      assert.equal(text.split('\r\n').length, crlf.split('\r\n').length);
    });

    it('with --format json: stdout is what remains, the count of fixes goes to stderr', () => {
      const root = projects.make({ 'streams.py': STREAMS, 'app.py': FIXABLE });
      const run = runCli(['check', '--fix', '--format', 'json'], root);
      assert.equal(run.status, 1);
      assert.deepEqual(where(json(run)), ['app.py:8:15 AIT101', 'app.py:13:5 AIT101']);
      assert.equal(run.stderr, 'async-lens: fixed 2 problems\n');
    });

    it('writes a file back in the encoding its coding line declares', () => {
      const source = `# -*- coding: latin-1 -*-\nasync def ticks():\n    yield "caf\u00e9"\n\n\nasync def main():\n    for tick in ticks():\n        print(tick)\n`;
      const root = projects.make({ 'legacy.py': Buffer.from(source, 'latin1') });
      const run = runCli(['check', '--fix'], root);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(fs.readFileSync(path.join(root, 'legacy.py')), Buffer.from(source.replace('    for tick', '    async for tick'), 'latin1'));
    });
  });

  describe('pyproject.toml', () => {
    it('applies severity, including `off`', () => {
      const root = projects.make({ 'local.py': LOCAL, 'pyproject.toml': '[tool.async-lens]\nseverity = { AIT101 = "warning" }\n' });
      assert.deepEqual(json(runCli(['check', '--format', 'json'], root)).map((f) => f.severity), ['warning']);
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.async-lens.severity]\nAIT101 = "off"\n');
      assert.equal(runCli(['check'], root).status, 0);
    });

    it('is found above the checked directory', () => {
      const root = projects.make({ 'src/pkg/local.py': LOCAL, 'pyproject.toml': '[tool.async-lens]\nignore = ["AIT101"]\n' });
      assert.equal(runCli(['check', '.'], path.join(root, 'src', 'pkg')).status, 0);
      assert.equal(runCli(['check', 'src'], root).status, 0);
    });

    it('known-async-iterables: flags a library API, even in a file without any async keyword', () => {
      const consumer = 'import mylib\n\n\ndef read_all():\n    for event in mylib.events():\n        print(event)\n';
      const root = projects.make({ 'consumer.py': consumer });
      assert.equal(runCli(['check'], root).status, 0);
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.async-lens]\nknown-async-iterables = ["mylib.events"]\n');
      assert.deepEqual(where(json(runCli(['check', '--format', 'json'], root))), ['consumer.py:5:5 AIT101']);
    });

    it('top-level-await: module-level code counts as async (the fix becomes available)', () => {
      const script = 'async def ticks():\n    yield 1\n\nfor tick in ticks():\n    print(tick)\n';
      const root = projects.make({ 'notebook.py': script });
      assert.deepEqual(json(runCli(['check', '--format', 'json'], root))[0]!.fixes, []);
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.async-lens]\ntop-level-await = true\n');
      const [finding] = json(runCli(['check', '--format', 'json'], root));
      assert.deepEqual(finding!.fixes.map((fix) => fix.safety), ['safe']);
    });

    it('exclude: skips matching files in walked directories, but not files named explicitly', () => {
      const root = projects.make({
        'pyproject.toml': '[tool.async-lens]\nexclude = ["generated/", "*_pb2.py"]\n',
        'app.py': LOCAL,
        'generated/models.py': LOCAL,
        'pkg/service_pb2.py': LOCAL,
      });
      assert.deepEqual(json(runCli(['check', '--format', 'json'], root)).map((f) => f.file), ['app.py']);
      assert.deepEqual(json(runCli(['check', 'pkg', '--format', 'json'], path.join(root))).map((f) => f.file), []);
      assert.deepEqual(json(runCli(['check', 'generated/models.py', '--format', 'json'], root)).map((f) => f.file), ['generated/models.py']);
    });

    const INVALID: [string, string, RegExp][] = [
      ['a list given as a string', 'select = "AIT101"', /pyproject\.toml: \[tool\.async-lens\] select: expected a list of strings/],
      ['an unknown code in select', 'select = ["AIT999"]', /pyproject\.toml: \[tool\.async-lens\] select: unknown rule code "AIT999"/],
      ['an unknown code in ignore', 'ignore = ["AIT1", "BAD"]', /pyproject\.toml: \[tool\.async-lens\] ignore: unknown rule code "BAD"/],
      ['a bad severity', 'severity = { AIT101 = "fatal" }', /pyproject\.toml: \[tool\.async-lens\] severity\.AIT101: expected "off", "hint", "info", "warning" or "error", got "fatal"/],
      ['a severity for an unknown code', 'severity = { AIT999 = "error" }', /pyproject\.toml: \[tool\.async-lens\] severity\.AIT999: unknown rule code/],
      ['severity not a table', 'severity = "error"', /pyproject\.toml: \[tool\.async-lens\] severity: expected a table/],
      ['a non-boolean top-level-await', 'top-level-await = "yes"', /pyproject\.toml: \[tool\.async-lens\] top-level-await: expected true or false/],
      ['a malformed known API', 'known-async-iterables = ["not valid"]', /pyproject\.toml: \[tool\.async-lens\] known-async-iterables: "not valid" is neither/],
      ['a non-string exclude', 'exclude = [1]', /pyproject\.toml: \[tool\.async-lens\] exclude: expected a list of strings/],
      ['an unknown key', 'selct = ["AIT101"]', /pyproject\.toml: \[tool\.async-lens\] selct: unknown key \(expected one of: select, ignore, severity/],
    ];
    for (const [what, body, message] of INVALID) {
      it(`rejects ${what} with one line naming the file and key, exit 2`, () => {
        const root = projects.make({ 'local.py': LOCAL, 'pyproject.toml': `[tool.async-lens]\n${body}\n` });
        const run = runCli(['check'], root);
        assertUsageError(run, message);
        assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      });
    }

    it('rejects a TOML syntax error with the file, line and column, exit 2', () => {
      const root = projects.make({ 'local.py': LOCAL, 'pyproject.toml': '[project]\nname = "x"\n[tool.async-lens\nselect = [\n' });
      const run = runCli(['check'], root);
      assertUsageError(run, /^async-lens: error: pyproject\.toml:3:\d+: invalid TOML: /);
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    });

    it('ignores a pyproject.toml without [tool.async-lens]', () => {
      const root = projects.make({ 'local.py': LOCAL, 'pyproject.toml': '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n' });
      assert.equal(runCli(['check'], root).status, 1);
    });
  });

  describe('file discovery', () => {
    it('skips tool and dependency directories and respects .gitignore files, nested ones too', () => {
      const root = projects.make({
        'app.py': LOCAL,
        'node_modules/dep/x.py': LOCAL,
        '.venv/lib/x.py': LOCAL,
        'venv/lib/x.py': LOCAL,
        '__pycache__/x.py': LOCAL,
        '.tox/py312/x.py': LOCAL,
        '.mypy_cache/x.py': LOCAL,
        '.pytest_cache/x.py': LOCAL,
        '.gitignore': 'build/\n*.gen.py\n',
        'build/lib/x.py': LOCAL,
        'other.gen.py': LOCAL,
        'sub/.gitignore': '!keep.gen.py\nlocal_only.py\n',
        'sub/keep.gen.py': LOCAL,
        'sub/drop.gen.py': LOCAL,
        'sub/local_only.py': LOCAL,
        'local_only.py': LOCAL,
        'stubs/api.pyi': 'from typing import AsyncIterator\n\ndef ticks() -> AsyncIterator[int]: ...\n\ndef main() -> None:\n    for tick in ticks():\n        pass\n',
        'notes.txt': LOCAL,
      });
      const files = json(runCli(['check', '--format', 'json'], root)).map((f) => f.file);
      assert.deepEqual(files, ['app.py', 'local_only.py', path.join('stubs', 'api.pyi'), path.join('sub', 'keep.gen.py')]);
    });

    it('checks files named explicitly and directories given explicitly, even when ignored', () => {
      const root = projects.make({ '.gitignore': 'build/\n', 'build/x.py': LOCAL, 'node_modules/y.py': LOCAL });
      assert.deepEqual(json(runCli(['check', 'build/x.py', 'node_modules/y.py', '--format', 'json'], root)).map((f) => f.file), ['build/x.py', 'node_modules/y.py']);
      assert.deepEqual(json(runCli(['check', 'build', '--format', 'json'], root)).map((f) => f.file), [path.join('build', 'x.py')]);
    });

    it('applies the .gitignore files above a checked directory inside a git repository, and only there', () => {
      const files = { '.gitignore': 'generated/\n', 'src/app.py': LOCAL, 'src/generated/x.py': LOCAL };
      const repository = projects.make({ ...files, '.git/HEAD': 'ref: refs/heads/main\n' });
      assert.deepEqual(json(runCli(['check', 'src', '--format', 'json'], repository)).map((f) => f.file), [path.join('src', 'app.py')]);
      const plain = projects.make(files);
      assert.deepEqual(json(runCli(['check', 'src', '--format', 'json'], plain)).map((f) => f.file), [path.join('src', 'app.py'), path.join('src', 'generated', 'x.py')]);
    });

    it('walks in a deterministic order and reports each file once', () => {
      const root = projects.make({ 'b.py': LOCAL, 'a.py': LOCAL, 'C.py': LOCAL, 'c/d.py': LOCAL, 'weird.py/inner.py': LOCAL });
      const first = runCli(['check', '--format', 'json', '.', 'a.py', './b.py'], root);
      assert.deepEqual(json(first).map((f) => f.file), ['C.py', 'a.py', 'b.py', path.join('c', 'd.py'), path.join('weird.py', 'inner.py')]);
      assert.equal(runCli(['check', '--format', 'json', '.', 'a.py', './b.py'], root).stdout, first.stdout);
    });
  });

  describe('imports across files', () => {
    const CONSUMER = `from .streams import fetch_pages


def crawl(urls):
    for page in fetch_pages(urls):
        print(page)
`;

    it('flags a file without any async keyword that loops over an imported async generator', () => {
      assert.equal(pythonTriggerPattern({}).test(CONSUMER), false, 'the consumer must not be parsed for its own words');
      const root = projects.make({ 'pkg/__init__.py': '', 'pkg/streams.py': STREAMS, 'pkg/consumer.py': CONSUMER, 'pkg/util.py': CLEAN });
      const run = runCli(['check', '--format', 'json'], root);
      assert.equal(run.status, 1);
      assert.deepEqual(where(json(run)), [`${path.join('pkg', 'consumer.py')}:5:5 AIT101`]);
    });

    it('flags it too when only that file is checked', () => {
      const root = projects.make({ 'pkg/__init__.py': '', 'pkg/streams.py': STREAMS, 'pkg/consumer.py': CONSUMER });
      assert.deepEqual(where(json(runCli(['check', 'pkg/consumer.py', '--format', 'json'], root))), ['pkg/consumer.py:5:5 AIT101']);
    });

    it('parses only the files that can have findings (checkPaths counters)', async () => {
      const root = projects.make({ 'pkg/__init__.py': '', 'pkg/streams.py': STREAMS, 'pkg/consumer.py': CONSUMER, 'pkg/util.py': CLEAN, 'pkg/more.py': CLEAN });
      const result = await checkPaths(['.'], { cwd: root });
      assert.equal(result.counters.filesSeen, 5);
      assert.equal(result.counters.filesParsed, 2, 'streams.py for its words, consumer.py for its import');
      assert.equal(result.counters.lines, 0 + 7 + 6 + 2 + 2);
      assert.ok(result.counters.milliseconds > 0);
      assert.deepEqual(result.files.map((file) => file.path), [path.join('pkg', 'consumer.py')]);
      assert.equal(exitCode(result), 1);
    });

    it('follows a renaming re-export, a module import and a src/ layout', () => {
      const root = projects.make({
        'pyproject.toml': '[project]\nname = "app"\n',
        'src/app/__init__.py': 'from .streams import fetch_pages as pages\n',
        'src/app/streams.py': STREAMS,
        'tests/test_alias.py': 'from app import pages\n\n\ndef test_pages():\n    for page in pages([]):\n        print(page)\n',
        'tests/test_module.py': 'from app import streams\nimport app.streams as s\n\n\ndef test_pages():\n    for page in s.fetch_pages([]):\n        print(page)\n',
        'tests/test_unrelated.py': 'from app import pages_count\n\n\ndef test_count():\n    for n in pages_count():\n        print(n)\n',
      });
      const run = runCli(['check', 'tests', '--format', 'json'], root);
      assert.deepEqual(where(json(run)), [`${path.join('tests', 'test_alias.py')}:5:5 AIT101`, `${path.join('tests', 'test_module.py')}:6:5 AIT101`]);
    });

    it('follows a module imported by name and used by attribute, in files without any async keyword', () => {
      const root = projects.make({
        'pkg/__init__.py': 'from . import streams\n',
        'pkg/streams.py': STREAMS,
        'pkg/relative.py': 'from . import streams\n\n\ndef crawl(urls):\n    for page in streams.fetch_pages(urls):\n        print(page)\n',
        'pkg/dotted.py': 'import pkg.streams\n\n\ndef crawl(urls):\n    return list(pkg.streams.fetch_pages(urls))\n',
      });
      for (const file of ['pkg/relative.py', 'pkg/dotted.py']) assert.equal(pythonTriggerPattern({}).test(fs.readFileSync(path.join(root, file), 'utf8')), false, file);
      const run = runCli(['check', '--format', 'json'], root);
      assert.deepEqual(where(json(run)), [`${path.join('pkg', 'dotted.py')}:5:12 AIT101`, `${path.join('pkg', 'relative.py')}:5:5 AIT101`]);
    });
  });

  describe('suppression', () => {
    it('honours `# noqa: CODE` and bare `# noqa` on the line where a finding starts', () => {
      const lines = LOCAL.split('\n');
      const withNoqa = (comment: string) => [...lines.slice(0, 5), `${lines[5]}  ${comment}`, ...lines.slice(6)].join('\n');
      const root = projects.make({ 'a.py': withNoqa('# noqa: AIT101'), 'b.py': withNoqa('# noqa'), 'c.py': withNoqa('# noqa: AIT102'), 'd.py': withNoqa('# NOQA:AIT102,AIT101') });
      assert.deepEqual(json(runCli(['check', '--format', 'json'], root)).map((f) => f.file), ['c.py']);
    });
  });

  describe('bad input: a message, the other files still checked, exit 2, never a stack trace', () => {
    it('a path that does not exist', () => {
      const root = projects.make({ 'local.py': LOCAL });
      const run = runCli(['check', 'missing.py', 'local.py', 'missing-dir/'], root);
      assert.equal(run.status, 2);
      assert.equal(run.stderr, 'async-lens: error: missing.py: no such file or directory\nasync-lens: error: missing-dir/: no such file or directory\n');
      assert.match(run.stdout, /^local\.py:6:5: AIT101 /);
      assertNoStackTrace(run);
    });

    it('a file with a syntax error: a warning saying where it starts, the rest still checked', () => {
      const root = projects.make({ 'broken.py': `${LOCAL}\n\ndef half(:\n    pass\n` });
      const run = runCli(['check'], root);
      assert.equal(run.status, 1);
      assert.equal(run.stderr, 'async-lens: warning: broken.py:10:9: syntax error: \'(\' was never closed; the rest of the file was checked\n');
      assert.match(run.stdout, /^broken\.py:6:5: AIT101 /);
      assertNoStackTrace(run);
    });

    it('a file that cannot be parsed at all (100,000 unclosed brackets): said at once, not checked', () => {
      const root = projects.make({ 'local.py': LOCAL, 'brackets.py': `async def f():\n    pass\nx = ${'['.repeat(100_000)}\n` });
      const run = runCli(['check'], root);
      assert.equal(run.status, 2);
      assert.equal(run.stderr, 'async-lens: error: brackets.py:3:205: could not parse: too many nested parentheses; not checked\n');
      assert.match(run.stdout, /^local\.py:6:5: AIT101 /);
    });

    it('a file given as a directory (`app.py/`)', () => {
      const root = projects.make({ 'app.py': LOCAL });
      const run = runCli(['check', 'app.py/'], root);
      assertUsageError(run, /app\.py\/: not a directory/);
    });

    it('a named pipe: refused when named, never opened (no hang) when found in a directory', function () {
      const root = projects.make({ 'local.py': LOCAL });
      try {
        execFileSync('mkfifo', [path.join(root, 'pipe.py')]);
      } catch {
        this.skip();
      }
      const named = runCli(['check', 'pipe.py', 'local.py'], root);
      assert.equal(named.status, 2);
      assert.match(named.stderr, /^async-lens: error: pipe\.py: not a regular file or a directory$/m);
      assert.match(named.stdout, /^local\.py:6:5: AIT101 /m);
      const walked = runCli(['check', '--format', 'json'], root);
      assert.equal(walked.status, 1);
      assert.deepEqual(json(walked).map((f) => f.file), ['local.py']);
    });

    it('an unreadable file or directory (permission denied); as root, run as `nobody`, skipped when that is impossible', function () {
      const root = projects.make({ 'secret.py': LOCAL, 'closed/x.py': LOCAL, 'local.py': LOCAL });
      fs.chmodSync(path.join(root, 'secret.py'), 0o000);
      fs.chmodSync(path.join(root, 'closed'), 0o000);
      fs.chmodSync(root, 0o755);
      const run = runCliUnprivileged(['check'], root);
      if (!run) this.skip();
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stderr, 'async-lens: error: closed: permission denied\nasync-lens: error: secret.py: permission denied\n');
      assert.match(run.stdout, /^local\.py:6:5: AIT101 /m);
      assertNoStackTrace(run);
    });

    it('a binary file (NUL bytes in the first 8 KB) is skipped with a note', () => {
      const root = projects.make({ 'blob.py': Buffer.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x00, 0x01, 0x02, 0x0a]), 'local.py': LOCAL });
      const run = runCli(['check'], root);
      assert.equal(run.status, 2);
      assert.equal(run.stderr, 'async-lens: error: blob.py: binary file (contains NUL bytes), skipped\n');
      assert.match(run.stdout, /^local\.py:6:5: AIT101 /m);
    });

    it('a file that is not UTF-8 and declares no other encoding', () => {
      const root = projects.make({ 'latin.py': Buffer.concat([Buffer.from('x = 1\nname = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]), 'local.py': LOCAL });
      const run = runCli(['check'], root);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^async-lens: error: latin\.py: is not valid UTF-8 \(line 2\); save it as UTF-8 or declare its encoding/);
      assert.match(run.stdout, /^local\.py:6:5: AIT101 /m);
      assertNoStackTrace(run);
    });

    it('a file in another encoding that says so in a coding line is checked', () => {
      const source = '# -*- coding: latin-1 -*-\nLABEL = "caf\u00e9"\n\n\nasync def ticks():\n    yield LABEL\n\n\ndef main():\n    for tick in ticks():\n        print(tick)\n';
      const root = projects.make({ 'legacy.py': Buffer.from(source, 'latin1') });
      const run = runCli(['check'], root);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stdout, /^legacy\.py:10:5: AIT101 /);
    });
  });

  describe('internal rule errors', () => {
    it('are warnings naming the rule and the file; they do not change the exit status', async () => {
      const root = projects.make({ 'local.py': LOCAL });
      const broken = testRule('AIT101', () => ({
        for_statement() {
          throw new Error('boom');
        },
      }));
      const result = await checkPaths(['.'], { cwd: root, rules: [broken] });
      assert.equal(result.notices.length, 1);
      assert.equal(result.notices[0]!.level, 'warning');
      assert.match(result.notices[0]!.message, /^rule AIT101 \(sync-iteration-over-async-iterable\) failed on local\.py and was skipped there: boom/);
      assert.equal(exitCode(result), 0);
    });
  });
});
