import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileSystemModuleResolver } from '../../src/python/module-resolver';
import { resolveExport } from '../../src/python/semantic/exports';
import { lint, ready } from '../support/python';
import { TempProjects } from '../support/cli';

/*
 * The file-system ModuleResolver (src/python/module-resolver.ts), on real
 * temporary directories. Every host gets one from the project layer; the
 * editor's reads open documents first.
 */

const STREAMS = 'async def fetch_pages(urls):\n    for url in urls:\n        yield url\n';

function diskReader(counter?: Map<string, number>) {
  return (file: string): string | undefined => {
    counter?.set(file, (counter.get(file) ?? 0) + 1);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

describe('CLI: FileSystemModuleResolver', () => {
  const projects = new TempProjects();
  before(ready);
  afterEach(() => projects.cleanup());

  it('resolves relative imports level by level from the importing file\'s package', () => {
    const root = projects.make({
      'pkg/__init__.py': 'from .streams import fetch_pages\n',
      'pkg/streams.py': STREAMS,
      'pkg/sub/__init__.py': '',
      'pkg/sub/deep.py': '',
      'pkg/sub/sibling.py': '',
      'pkg/io/__init__.py': STREAMS,
    });
    const resolver = new FileSystemModuleResolver({ readFile: diskReader() });
    const from = path.join(root, 'pkg', 'sub', 'deep.py');
    assert.equal(resolver.locate(from, 'sibling', 1), path.join(root, 'pkg', 'sub', 'sibling.py'));
    assert.equal(resolver.locate(from, 'streams', 2), path.join(root, 'pkg', 'streams.py'));
    assert.equal(resolver.locate(from, '', 2), path.join(root, 'pkg', '__init__.py'));
    assert.equal(resolver.locate(from, '', 1), path.join(root, 'pkg', 'sub', '__init__.py'));
    assert.equal(resolver.locate(from, 'io', 2), path.join(root, 'pkg', 'io', '__init__.py'), 'a package is its __init__.py');
    assert.equal(resolver.locate(path.join(root, 'pkg', '__init__.py'), 'streams', 1), path.join(root, 'pkg', 'streams.py'), 'an __init__.py is in its own package');
    assert.equal(resolver.locate(from, 'missing', 1), undefined);
    assert.deepEqual(resolver.summary(from, 'streams', 2)?.exports.get('fetch_pages'), 'async-generator-function');
  });

  it('resolves absolute imports from the top-level package\'s root, then from the source roots', () => {
    const root = projects.make({
      'src/app/__init__.py': '',
      'src/app/core/__init__.py': '',
      'src/app/core/streams.py': STREAMS,
      'src/app/web/views.py': '',
      'tools/script.py': '',
      'tools/helpers.py': '',
      'vendored/lib.py': STREAMS,
    });
    const resolver = new FileSystemModuleResolver({ readFile: diskReader(), sourceRoots: [root, path.join(root, 'src')] });
    // src/app/web has no __init__.py: a namespace package, found from the root of `app`.
    assert.equal(resolver.locate(path.join(root, 'src', 'app', 'core', 'streams.py'), 'app.web.views', 0), path.join(root, 'src', 'app', 'web', 'views.py'));
    assert.equal(resolver.locate(path.join(root, 'src', 'app', 'core', 'streams.py'), 'app.core.streams', 0), path.join(root, 'src', 'app', 'core', 'streams.py'));
    // A script's own directory comes first, as on sys.path.
    assert.equal(resolver.locate(path.join(root, 'tools', 'script.py'), 'helpers', 0), path.join(root, 'tools', 'helpers.py'));
    // Then the source roots: the project root and its src/.
    assert.equal(resolver.locate(path.join(root, 'tools', 'script.py'), 'app.core.streams', 0), path.join(root, 'src', 'app', 'core', 'streams.py'));
    assert.equal(resolver.locate(path.join(root, 'tools', 'script.py'), 'vendored.lib', 0), path.join(root, 'vendored', 'lib.py'));
    // Modules outside the project (the standard library, installed packages) are unknown.
    assert.equal(resolver.locate(path.join(root, 'tools', 'script.py'), 'os.path', 0), undefined);
    assert.equal(resolver.summary(path.join(root, 'tools', 'script.py'), 'asyncio', 0), undefined);
  });

  it('prefers source to stubs, and uses a stub when there is no source', () => {
    const root = projects.make({ 'a.py': '', 'both.py': '', 'both.pyi': '', 'only.pyi': '' });
    const resolver = new FileSystemModuleResolver({ readFile: diskReader() });
    assert.equal(resolver.locate(path.join(root, 'a.py'), 'both', 0), path.join(root, 'both.py'));
    assert.equal(resolver.locate(path.join(root, 'a.py'), 'only', 0), path.join(root, 'only.pyi'));
  });

  it('caches summaries by path until invalidated', () => {
    const root = projects.make({ 'app.py': '', 'streams.py': STREAMS });
    const reads = new Map<string, number>();
    const resolver = new FileSystemModuleResolver({ readFile: diskReader(reads) });
    const from = path.join(root, 'app.py');
    const streams = path.join(root, 'streams.py');
    const first = resolver.summary(from, 'streams', 0);
    assert.ok(first);
    const readsAfterFirst = reads.get(streams);
    assert.equal(resolver.summary(from, 'streams', 0), first);
    assert.equal(resolver.summaryOf(streams), first);
    assert.equal(reads.get(streams), readsAfterFirst, 'no second read');

    fs.writeFileSync(streams, 'def fetch_pages(urls):\n    yield from urls\n');
    assert.equal(resolver.summary(from, 'streams', 0), first, 'still the cached summary');
    resolver.invalidate(streams);
    assert.equal(resolver.summary(from, 'streams', 0)?.exports.get('fetch_pages'), 'sync-generator-function');

    fs.rmSync(streams);
    resolver.invalidate();
    assert.equal(resolver.summary(from, 'streams', 0), undefined, 'a deleted module is gone after invalidate()');
  });

  it('never throws: a reader that throws or a file that is not Python text gives undefined', () => {
    const root = projects.make({ 'app.py': '', 'streams.py': STREAMS });
    const throwing = new FileSystemModuleResolver({
      readFile: () => {
        throw new Error('EACCES');
      },
    });
    assert.equal(throwing.summary(path.join(root, 'app.py'), 'streams', 0), undefined);
    assert.equal(throwing.summaryOf(path.join(root, 'streams.py')), undefined);
    const resolver = new FileSystemModuleResolver({ readFile: diskReader() });
    assert.equal(resolver.summary(path.join(root, 'app.py'), '..', 0), undefined);
    assert.equal(resolver.summary(path.join(root, 'app.py'), 'a..b', 0), undefined);
    assert.equal(resolver.summary(path.join(root, 'app.py'), 'streams', 40), undefined, 'more dots than directories');
  });

  it('terminates on import cycles', () => {
    const root = projects.make({
      'pkg/__init__.py': '',
      'pkg/a.py': 'from .b import thing\n',
      'pkg/b.py': 'from .a import thing\n',
      'pkg/self_ref.py': 'from .self_ref import thing\n',
    });
    const resolver = new FileSystemModuleResolver({ readFile: diskReader() });
    const from = path.join(root, 'pkg', 'a.py');
    assert.equal(resolveExport(resolver, from, 'b', 1, 'thing'), undefined);
    assert.equal(resolveExport(resolver, from, 'self_ref', 1, 'thing'), undefined);
  });

  it('works over open documents as well as the disk (the editor\'s use)', () => {
    const documents = new Map([
      ['/project/app.py', 'from streams import fetch_pages\n\n\ndef crawl(urls):\n    for page in fetch_pages(urls):\n        print(page)\n'],
      ['/project/streams.py', STREAMS],
    ]);
    const resolver = new FileSystemModuleResolver({ readFile: (file) => documents.get(file) });
    const findings = lint(documents.get('/project/app.py')!, 'AIT101', { path: '/project/app.py', resolver });
    assert.deepEqual(findings.map((finding) => finding.code), ['AIT101']);
  });

  it('AIT402 follows imports (and re-exports) to an async generator with pending cleanup, and only to one', () => {
    const documents = new Map([
      ['/project/app.py', [
        'from pkg import read_rows',
        'from pkg.streams import countdown',
        'import pkg.streams',
        '',
        '',
        'async def first(pool):',
        '    async for row in read_rows(pool):',
        '        return row',
        '    async for number in countdown(3):',
        '        break',
        '    async for row in pkg.streams.read_rows(pool):',
        '        return row',
        '',
      ].join('\n')],
      ['/project/pkg/__init__.py', 'from .streams import read_rows\n'],
      ['/project/pkg/streams.py', [
        'async def read_rows(pool):',
        '    conn = await pool.acquire()',
        '    try:',
        '        yield conn',
        '    finally:',
        '        await pool.release(conn)',
        '',
        '',
        'async def countdown(n):',
        '    for i in range(n, 0, -1):',
        '        yield i',
        '',
      ].join('\n')],
    ]);
    const resolver = new FileSystemModuleResolver({ readFile: (file) => documents.get(file) });
    const findings = lint(documents.get('/project/app.py')!, 'AIT402', { path: '/project/app.py', resolver });
    assert.deepEqual(findings.map((finding) => [finding.code, /`read_rows\(\)`: its `finally` cleanup/.test(finding.message)]), [['AIT402', true]]);
    assert.equal(resolver.summary('/project/app.py', 'pkg.streams', 0)?.pendingCleanup?.get('read_rows'), 'finally');
  });
});
