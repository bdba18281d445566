import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPaths, exitCode } from '../../src/hosts/cli/check';
import { readSourceFile } from '../../src/project/read';
import { writeFileChecked } from '../../src/project/write';
import { CLI, ensureCliBuilt, TempProjects } from '../support/cli';

/*
 * Nothing is ever lost: `--fix` writes through a temporary file and a rename,
 * after checking the file is still what was read. Each case below once lost
 * or undid a user's work.
 */

const FIXABLE = 'async def ticks():\n    yield 1\n\n\nasync def main():\n    for tick in ticks():\n        print(tick)\n';
const FIXED = FIXABLE.replace('    for tick', '    async for tick');

/** A file with one fixable finding of each of two rules (AIT101 and AIT204). */
function twoRules(index: number): string {
  return `async def ticks_${index}():\n    yield 1\n    raise StopAsyncIteration\n\n\nasync def main():\n    for tick in ticks_${index}():\n        print(tick)\n`;
}

function leftovers(directory: string): string[] {
  return fs.readdirSync(directory).filter((name) => name.includes('.async-lens.'));
}

function runCliAsync(args: readonly string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('--fix never loses a byte', function () {
  this.timeout(180_000);
  const projects = new TempProjects();
  before(() => ensureCliBuilt());
  afterEach(() => projects.cleanup());

  it('a write cut short by a file-size limit leaves the file byte for byte as it was, and says so (exit 2)', function () {
    if (spawnSync('prlimit', ['--version']).status !== 0) this.skip();
    const big = `${FIXABLE}${'# padding to make the file bigger than the limit\n'.repeat(500)}`;
    const root = projects.make({ 'big.py': big });
    const run = spawnSync('prlimit', ['--fsize=10000', process.execPath, CLI, 'check', '--fix', 'big.py'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^async-lens: error: big\.py: fixes not written \(the file is unchanged\): /);
    assert.equal(fs.readFileSync(path.join(root, 'big.py'), 'utf8'), big);
    assert.deepEqual(leftovers(root), []);
  });

  it('a full disk leaves the file as it was (a 64 KB tmpfs; needs root to mount)', function () {
    if (process.getuid?.() !== 0 || process.platform !== 'linux') this.skip();
    const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    } catch {
      fs.rmSync(mount, { recursive: true });
      this.skip();
    }
    try {
      const big = `${FIXABLE}${'# padding\n'.repeat(4000)}`;
      fs.writeFileSync(path.join(mount, 'big.py'), big);
      const run = spawnSync(process.execPath, [CLI, 'check', '--fix', 'big.py'], { cwd: mount, encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /big\.py: fixes not written \(the file is unchanged\): no space left on the device/);
      assert.equal(fs.readFileSync(path.join(mount, 'big.py'), 'utf8'), big);
      assert.deepEqual(leftovers(mount), []);
    } finally {
      execFileSync('umount', [mount]);
      fs.rmSync(mount, { recursive: true });
    }
  });

  it('a file saved while it is being fixed keeps the saved text, and is fixed again from it', async () => {
    const root = projects.make({ 'app.py': FIXABLE });
    const file = path.join(root, 'app.py');
    const saved = `# saved by the user meanwhile\n${FIXABLE}`;
    let saves = 0;
    const result = await checkPaths(['app.py'], { cwd: root, fix: true, beforeWrite: () => saves++ === 0 && fs.writeFileSync(file, saved) });
    assert.equal(exitCode(result), 0, JSON.stringify(result.notices));
    assert.equal(fs.readFileSync(file, 'utf8'), `# saved by the user meanwhile\n${FIXED}`);
    assert.equal(result.fixed, 1);
  });

  it('a file that keeps changing is left as the user last saved it, with a message (exit 2)', async () => {
    const root = projects.make({ 'app.py': FIXABLE });
    const file = path.join(root, 'app.py');
    let saves = 0;
    const result = await checkPaths(['app.py'], { cwd: root, fix: true, beforeWrite: () => fs.writeFileSync(file, `# save ${++saves}\n${FIXABLE}`) });
    assert.equal(exitCode(result), 2);
    assert.match(result.notices.map((notice) => notice.message).join('\n'), /app\.py: fixes not written: the file kept changing while it was being fixed; run again/);
    assert.equal(fs.readFileSync(file, 'utf8'), `# save ${saves}\n${FIXABLE}`);
  });

  it('two --fix runs at once, each fixing another rule, undo none of each other\'s fixes', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`m${String(i).padStart(3, '0')}.py`] = twoRules(i);
    const root = projects.make(files);
    const [first, second] = await Promise.all([
      runCliAsync(['check', '--fix', '--select', 'AIT101'], root),
      runCliAsync(['check', '--fix', '--select', 'AIT204'], root),
    ]);
    assert.deepEqual([first.status, first.stderr, second.status, second.stderr], [0, '', 0, '']);
    for (let i = 0; i < 200; i++) {
      const name = `m${String(i).padStart(3, '0')}.py`;
      const expected = twoRules(i).replace('    for tick', '    async for tick').replace('    raise StopAsyncIteration', '    return');
      assert.equal(fs.readFileSync(path.join(root, name), 'utf8'), expected, name);
    }
    assert.deepEqual(leftovers(root), []);
  });

  it('waits on a lock another run has just created and not yet written its pid to, rather than taking it over', function () {
    // The lock wait (10 s) runs out: the file is left as it was, and the lock too.
    this.timeout(60_000);
    const root = projects.make({ 'taken.py': FIXABLE, '.taken.py.async-lens.lock': '' });
    const read = readSourceFile(path.join(root, 'taken.py'));
    assert.ok(read.ok);
    const outcome = writeFileChecked(path.join(root, 'taken.py'), Buffer.from(FIXED), read.identity);
    assert.deepEqual(outcome, { ok: false, kind: 'io', problem: 'another Async Lens run holds its lock' });
    assert.equal(fs.readFileSync(path.join(root, 'taken.py'), 'utf8'), FIXABLE);
    assert.ok(fs.existsSync(path.join(root, '.taken.py.async-lens.lock')));
  });

  it('writes through a symlink into its target, keeping the link, the mode and every other byte', () => {
    const root = projects.make({ 'real.py': FIXABLE });
    fs.chmodSync(path.join(root, 'real.py'), 0o640);
    fs.symlinkSync('real.py', path.join(root, 'link.py'));
    const read = readSourceFile(path.join(root, 'link.py'));
    assert.ok(read.ok);
    assert.deepEqual(writeFileChecked(path.join(root, 'link.py'), Buffer.from(FIXED), read.identity), { ok: true });
    assert.ok(fs.lstatSync(path.join(root, 'link.py')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(root, 'real.py'), 'utf8'), FIXED);
    assert.equal(fs.statSync(path.join(root, 'real.py')).mode & 0o777, 0o640);
    // What was read is gone now: a second write from the same reading is refused.
    assert.equal(writeFileChecked(path.join(root, 'link.py'), Buffer.from('x'), read.identity).ok, false);
    assert.equal(fs.readFileSync(path.join(root, 'real.py'), 'utf8'), FIXED);
  });
});
