import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProjectRoot, type ProjectRootCache } from '../../src/project/config';

/*
 * The project root of a directory, looked up alone and through a cache
 * shared by a whole walk (what the CLI does for every folder it enters):
 * the same answers in any order.
 */

describe('project root', () => {
  let base: string;

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-root-')));
    const make = (relative: string) => fs.mkdirSync(path.join(base, relative), { recursive: true });
    const touch = (relative: string) => fs.writeFileSync(path.join(base, relative), '');
    // repo/ is a git checkout holding two packages: one with a pyproject.toml, one with setup.cfg.
    make('repo/.git');
    make('repo/tools/scripts');
    make('repo/packages/configured/src/deep/deeper');
    touch('repo/packages/configured/pyproject.toml');
    make('repo/packages/configured/src/deep/nested-marker/inner');
    touch('repo/packages/configured/src/deep/nested-marker/setup.py');
    make('repo/packages/legacy/lib/sub');
    touch('repo/packages/legacy/setup.cfg');
  });

  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const expected: readonly [string, string, boolean][] = [
    // [directory, its root, whether the root holds a pyproject.toml]
    ['repo/packages/configured/src/deep/deeper', 'repo/packages/configured', true],
    ['repo/packages/configured/src/deep/nested-marker/inner', 'repo/packages/configured', true],
    ['repo/packages/configured', 'repo/packages/configured', true],
    ['repo/packages/legacy/lib/sub', 'repo/packages/legacy', false],
    ['repo/packages/legacy', 'repo/packages/legacy', false],
    ['repo/tools/scripts', 'repo', false],
    ['repo/packages', 'repo', false],
    ['repo', 'repo', false],
  ];

  it('is the nearest pyproject.toml, else the nearest marker, alone or through a shared cache in any order', () => {
    const orders = [expected, [...expected].reverse(), [...expected].sort((a, b) => a[0].localeCompare(b[0]))];
    for (const order of orders) {
      const cache: ProjectRootCache = new Map();
      for (const [directory, root, configured] of order) {
        const want = { root: path.join(base, root), configFile: configured ? path.join(base, root, 'pyproject.toml') : undefined };
        assert.deepEqual(findProjectRoot(path.join(base, directory)), want, `${directory} alone`);
        assert.deepEqual(findProjectRoot(path.join(base, directory), cache), want, `${directory} through the cache`);
      }
    }
  });
});
