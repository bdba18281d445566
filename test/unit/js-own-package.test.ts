import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeJs, parseJs } from '../../src/js/analyze';
import { JsFacts, type OwnPackage } from '../../src/js/facts';
import { jsKnownApiTable } from '../../src/js/known-apis';
import { ownPackageOf } from '../../src/project/package-json';
import { TempProjects } from '../support/cli';

/*
 * A package's own tests import it by path (`require('..')`): the host reads
 * the nearest package.json (src/project/package-json.ts) and the JS facts read
 * such a path as the package's name. Fastify's test suite is written this way.
 */

const FASTIFY_TEST = `'use strict'
const Fastify = require('..')

async function checkAll (urls) {
  const fastify = Fastify()
  fastify.get('/*', async () => 'ok')
  for (const url of urls) {
    const response = await fastify.inject(url)
    console.log(response.statusCode)
  }
}
module.exports = checkAll
`;

function facts(fileName: string, own: OwnPackage | undefined): JsFacts {
  return new JsFacts(ts, parseJs(ts, fileName, ''), undefined, jsKnownApiTable([]), own);
}

describe('JS facts: a package importing itself by path', () => {
  const projects = new TempProjects();
  afterEach(() => projects.cleanup());

  it('reads the package root, its entry point and its index as the package, and nothing else', () => {
    const own = { name: 'fastify', root: '/work/fastify', main: 'fastify.js' };
    const fromTest = facts('/work/fastify/test/hooks.test.js', own);
    assert.equal(fromTest.moduleOf('..'), 'fastify');
    assert.equal(fromTest.moduleOf('../'), 'fastify');
    assert.equal(fromTest.moduleOf('../fastify'), 'fastify');
    assert.equal(fromTest.moduleOf('../fastify.js'), 'fastify');
    assert.equal(fromTest.moduleOf('../index.js'), 'fastify');
    // A module of the package is not the package.
    assert.equal(fromTest.moduleOf('../lib/route.js'), '../lib/route.js');
    assert.equal(fromTest.moduleOf('./helper'), './helper');
    assert.equal(facts('/work/fastify/test/deep/a.test.js', own).moduleOf('..'), '..');
    assert.equal(facts('/work/fastify/fastify.js', own).moduleOf('.'), 'fastify');
    // Bare specifiers are as before (without `node:`).
    assert.equal(fromTest.moduleOf('node:fs'), 'fs');
    assert.equal(facts('/work/fastify/test/a.js', undefined).moduleOf('..'), '..');
  });

  it('finds the nearest package.json with a name, and none through a nameless one', () => {
    const root = projects.make({
      'package.json': JSON.stringify({ name: 'fastify', main: 'fastify.js' }),
      'test/a.test.js': '',
      'examples/package.json': JSON.stringify({ private: true }),
      'examples/b.js': '',
      'packages/inner/package.json': JSON.stringify({ name: '@scope/inner' }),
      'packages/inner/src/c.js': '',
      'broken/package.json': '{ not json',
      'broken/d.js': '',
    });
    const real = fs.realpathSync(root);
    assert.deepEqual(ownPackageOf(path.join(real, 'test', 'a.test.js')), { name: 'fastify', root: real.split(path.sep).join('/'), main: 'fastify.js' });
    assert.equal(ownPackageOf(path.join(real, 'examples', 'b.js')), undefined);
    assert.deepEqual(ownPackageOf(path.join(real, 'packages', 'inner', 'src', 'c.js')), { name: '@scope/inner', root: path.join(real, 'packages', 'inner').split(path.sep).join('/'), main: 'index.js' });
    assert.equal(ownPackageOf(path.join(real, 'broken', 'd.js')), undefined);
    assert.equal(ownPackageOf('relative/e.js'), undefined);
  });

  it('lets AIT301 see the requests of a Fastify app in Fastify\'s own tests, and only there', () => {
    const lint = (name: string) => {
      const root = fs.realpathSync(projects.make({ 'package.json': JSON.stringify({ name, main: 'fastify.js' }), 'test/inject.test.js': FASTIFY_TEST }));
      const fileName = path.join(root, 'test', 'inject.test.js');
      const result = analyzeJs({ ts, sourceFile: parseJs(ts, fileName, FASTIFY_TEST), ownPackage: ownPackageOf(fileName) });
      return result.findings.filter((finding) => finding.code === 'AIT301').map((finding) => FASTIFY_TEST.slice(finding.range.start, finding.range.end));
    };
    assert.deepEqual(lint('fastify'), ['await fastify.inject(url)']);
    // Another package's `..` is not Fastify: its `inject` could be anything.
    assert.deepEqual(lint('my-app'), []);
  });
});
