import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseCommandLine } from '../../src/hosts/cli/args';
import { parseProjectConfig } from '../../src/project/config';
import { importStatements, mentionsAny } from '../../src/hosts/cli/prefilter';
import { encodeSource, readSourceFile } from '../../src/project/read';
import { TempProjects } from '../support/cli';

/* The CLI's small parts, each on its own: command line, config, import scan, file decoding. */

describe('CLI: command line', () => {
  it('reads check with its options in any order', () => {
    assert.deepEqual(parseCommandLine(['check', 'src', '--fix', '--format=sarif', 'lib/a.py', '--select', 'ait101, AIT2', '--ignore', 'AIT201']), {
      kind: 'check', paths: ['src', 'lib/a.py'], format: 'sarif', select: ['AIT101', 'AIT2'], ignore: ['AIT201'], fix: true,
    });
    assert.deepEqual(parseCommandLine(['check']), { kind: 'check', paths: [], format: 'text', select: undefined, ignore: undefined, fix: false });
    assert.deepEqual(parseCommandLine(['check', '--', '--odd-name.py']), { kind: 'check', paths: ['--odd-name.py'], format: 'text', select: undefined, ignore: undefined, fix: false });
  });

  it('reads help, version and rules', () => {
    assert.deepEqual(parseCommandLine(['--help']), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['check', '-h']), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['--version']), { kind: 'version' });
    assert.deepEqual(parseCommandLine(['rules']), { kind: 'rules' });
  });

  it('turns every mistake into a usage error, never an exception', () => {
    const cases: [string[], RegExp][] = [
      [[], /no command/],
      [['lint'], /unknown command "lint"/],
      [['check', '--bogus'], /^unknown option --bogus$/],
      [['check', '--format'], /^option --format needs a value$/],
      [['check', '--format', 'yaml'], /unknown format "yaml"/],
      [['check', '--select', ''], /--select needs at least one rule code/],
      [['check', '--select', 'AIT101,NOPE'], /unknown rule code in --select: NOPE/],
      [['check', '--fix=yes'], /^option --fix takes no value$/],
      [['rules', 'src'], /takes no paths/],
      [['rules', '--format', 'json'], /--format applies to `check`/],
    ];
    for (const [argv, message] of cases) {
      const command = parseCommandLine(argv);
      assert.equal(command.kind, 'usage-error', argv.join(' '));
      assert.match((command as { message: string }).message, message, argv.join(' '));
    }
  });
});

describe('project: [tool.async-lens] in pyproject.toml', () => {
  it('reads every key', () => {
    const parsed = parseProjectConfig(`
[project]
name = "demo"

[tool.async-lens]
select = ["AIT1", "ait201"]
ignore = ["AIT104"]
known-async-iterables = ["mylib.stream", ".iter_rows"]
top-level-await = true
exclude = ["generated/"]
max-file-size = 500000

[tool.async-lens.severity]
AIT101 = "warning"
ait102 = "off"
`);
    assert.deepEqual(parsed, {
      problems: [],
      layer: {
        select: ['AIT1', 'AIT201'],
        ignore: ['AIT104'],
        severity: { AIT101: 'warning', AIT102: 'off' },
        knownAsyncIterables: ['mylib.stream', '.iter_rows'],
        topLevelAwait: true,
        exclude: ['generated/'],
        maxFileSize: 500_000,
      },
    });
  });

  it('reads the oldest Python the project supports from requires-python, for fixes', () => {
    const requires = (specifier: string) => parseProjectConfig(`[project]\nrequires-python = "${specifier}"\n`).layer.minimumVersion;
    assert.deepEqual(requires('>=3.11'), [3, 11]);
    assert.deepEqual(requires('>=3.9, <4'), [3, 9]);
    assert.deepEqual(requires('~=3.10'), [3, 10]);
    assert.deepEqual(requires('>3.11'), [3, 12]);
    assert.deepEqual(requires('==3.12.*'), [3, 12]);
    assert.equal(requires('<4'), undefined);
    assert.deepEqual(parseProjectConfig('[project]\nrequires-python = ">=3.12"\n[tool.async-lens]\nignore = ["AIT101"]\n').layer, { minimumVersion: [3, 12], ignore: ['AIT101'] });
  });

  it('gives nothing without the table', () => {
    assert.deepEqual(parseProjectConfig('[project]\nname = "demo"\n'), { layer: {}, problems: [] });
    assert.deepEqual(parseProjectConfig(''), { layer: {}, problems: [] });
  });

  it('names the key of every invalid value, one problem each, and keeps the valid rest', () => {
    const cases: [string, string[]][] = [
      ['[tool]\nasync-lens = 3\n', ['[tool.async-lens]: expected a table']],
      ['[tool.async-lens]\nselect = [1]\n', ['[tool.async-lens] select: expected a list of strings']],
      ['[tool.async-lens]\nignore = "AIT101"\n', ['[tool.async-lens] ignore: expected a list of strings']],
      ['[tool.async-lens]\nselect = ["AIT9", "AIT101", "X1"]\n', [
        '[tool.async-lens] select: unknown rule code "AIT9" (`async-lens rules` lists them)',
        '[tool.async-lens] select: unknown rule code "X1" (`async-lens rules` lists them)',
      ]],
      ['[tool.async-lens]\nseverity = { AIT101 = 2, AIT102 = "off" }\n', ['[tool.async-lens] severity.AIT101: expected "off", "hint", "info", "warning" or "error", got 2']],
      ['[tool.async-lens]\ntop-level-await = 1\n', ['[tool.async-lens] top-level-await: expected true or false, got 1']],
      ['[tool.async-lens]\nknown-async-iterables = ["stream", "a.b"]\n', ['[tool.async-lens] known-async-iterables: "stream" is neither "module.name", ".method" nor (JavaScript) "module#name"']],
      ['[tool.async-lens]\nexclude = "build"\n', ['[tool.async-lens] exclude: expected a list of strings']],
      ['[tool.async-lens]\nmax-file-size = -1\n', ['[tool.async-lens] max-file-size: expected a number of bytes from 0 to 50000000, got -1']],
      ['[tool.async-lens]\nselct = ["AIT101"]\n', ['[tool.async-lens] selct: unknown key (expected one of: select, ignore, severity, known-async-iterables, top-level-await, exclude, max-file-size)']],
    ];
    for (const [text, problems] of cases) assert.deepEqual(parseProjectConfig(text).problems, problems, text);
    assert.deepEqual(parseProjectConfig('[tool.async-lens]\nselect = ["AIT9", "AIT101"]\n').layer, { select: ['AIT101'] });
    assert.deepEqual(parseProjectConfig('[tool.async-lens]\nseverity = { AIT101 = 2, AIT102 = "off" }\n').layer, { severity: { AIT102: 'off' } });
    assert.deepEqual(parseProjectConfig('[tool.async-lens]\nknown-async-iterables = ["stream", "a.b"]\n').layer, { knownAsyncIterables: ['a.b'] });
    const syntax = parseProjectConfig('[tool.async-lens]\nselect = ["AIT101"\n');
    assert.deepEqual(syntax.layer, {});
    assert.match(syntax.problems.join('\n'), /^\d+:\d+: invalid TOML: \S/);
  });
});

describe('CLI: import statements read without parsing', () => {
  it('finds every form the rules resolve', () => {
    const text = [
      'from .streams import fetch_pages',
      'from ..pkg.mod import (',
      '    a,  # a comment',
      '    b as c,',
      ')',
      'from . import sibling',
      'from .import tight',
      'from app.core import x as y, z',
      'import os, app.streams as s',
      'if True:',
      '    from lazy import later',
      'x = 1; import after_semicolon',
      'from continued \\',
      '    import name',
      'def f(): pass  # import nothing',
    ].join('\n');
    assert.deepEqual(importStatements(text), [
      { module: 'streams', level: 1, names: ['fetch_pages'] },
      { module: 'pkg.mod', level: 2, names: ['a', 'b'] },
      { module: '', level: 1, names: ['sibling'] },
      { module: '', level: 1, names: ['tight'] },
      { module: 'app.core', level: 0, names: ['x', 'z'] },
      { module: 'lazy', level: 0, names: ['later'] },
      { module: 'continued', level: 0, names: ['name'] },
      { module: 'os', level: 0, names: undefined },
      { module: 'app.streams', level: 0, names: undefined },
      { module: 'after_semicolon', level: 0, names: undefined },
    ]);
  });

  it('matches mentions of names, non-ASCII ones included', () => {
    assert.equal(mentionsAny([]), undefined);
    const pattern = mentionsAny(['fetch_pages', 'données', 'a.b'])!;
    assert.ok(pattern.test('for p in fetch_pages(): pass'));
    assert.ok(pattern.test('for d in données(): pass'));
    assert.ok(!pattern.test('for p in fetch(): pass'));
    assert.ok(!pattern.test('axb'), 'names are matched literally');
  });
});

describe('project: reading and writing Python files', () => {
  const projects = new TempProjects();
  afterEach(() => projects.cleanup());

  it('decodes UTF-8 (with or without BOM) and declared encodings; refuses binary and undecodable files', () => {
    const root = projects.make({
      'plain.py': 'x = "é"\n',
      'bom.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\n')]),
      'latin.py': Buffer.from('#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nx = "\u00e9"\n', 'latin1'),
      'sjis.py': Buffer.concat([Buffer.from('# coding: shift_jis\nx = "'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('"\n')]),
      'binary.py': Buffer.from([0x61, 0x00, 0x62]),
      'broken.py': Buffer.concat([Buffer.from('a = 1\nb = 2\nc = "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]),
      'unknown.py': '# -*- coding: klingon -*-\n',
      'late.py': 'x = 1\n# coding: latin-1\n',
    });
    const read = (name: string) => {
      const outcome = readSourceFile(path.join(root, name));
      return outcome.ok ? { ok: true, source: outcome.source } : { ok: false, problem: outcome.problem };
    };
    assert.deepEqual(read('plain.py'), { ok: true, source: { text: 'x = "é"\n', encoding: 'utf-8', bom: false } });
    assert.deepEqual(read('bom.py'), { ok: true, source: { text: 'x = 1\n', encoding: 'utf-8', bom: true } });
    assert.deepEqual(read('latin.py'), { ok: true, source: { text: '#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nx = "é"\n', encoding: 'latin-1', bom: false } });
    assert.deepEqual(read('sjis.py'), { ok: true, source: { text: '# coding: shift_jis\nx = "日本"\n', encoding: 'shift-jis', bom: false } });
    assert.deepEqual(read('binary.py'), { ok: false, problem: 'binary file (contains NUL bytes), skipped' });
    assert.match((read('broken.py') as { problem: string }).problem, /^is not valid UTF-8 \(line 3\)/);
    assert.deepEqual(read('unknown.py'), { ok: false, problem: 'declares the unknown encoding "klingon"' });
    // A coding line counts on line 2 only below a comment or blank line, as in CPython.
    assert.deepEqual(read('late.py'), { ok: true, source: { text: 'x = 1\n# coding: latin-1\n', encoding: 'utf-8', bom: false } });
    assert.deepEqual(read('missing.py'), { ok: false, problem: 'no such file or directory' });
    assert.deepEqual(read('.'), { ok: false, problem: 'is a directory' });
  });

  it('encodes back byte for byte, or refuses when the encoding cannot hold the text', () => {
    assert.deepEqual(encodeSource({ text: '', encoding: 'utf-8', bom: true }, 'é'), Buffer.from([0xef, 0xbb, 0xbf, 0xc3, 0xa9]));
    assert.deepEqual(encodeSource({ text: '', encoding: 'utf-8', bom: false }, 'é'), Buffer.from([0xc3, 0xa9]));
    assert.deepEqual(encodeSource({ text: '', encoding: 'latin-1', bom: false }, 'é'), Buffer.from([0xe9]));
    assert.equal(encodeSource({ text: '', encoding: 'latin-1', bom: false }, '€'), undefined);
    assert.equal(encodeSource({ text: '', encoding: 'shift-jis', bom: false }, 'x'), undefined);
  });
});
