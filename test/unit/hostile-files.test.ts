import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensureCliBuilt, runCli, TempProjects } from '../support/cli';
import { WorkerClient } from '../support/worker';

/*
 * A cloned repository is enough to reach these: FIFOs, devices and sockets
 * where a module, a package marker, a pyproject.toml or a .gitignore should
 * be, and files far larger than source code. Every host must answer, with a
 * clear message where one is due, and never wait on such a file or read it
 * without bound. (Before the project layer read files safely, the CLI hung
 * forever on the FIFO and grew past 12 GB on /dev/zero.)
 */

const CONSUMER = 'from helper import stream\n\n\ndef main():\n    for item in stream():\n        print(item)\n';

describe('hostile files reached through imports, package markers and config', function () {
  this.timeout(120_000);
  if (process.platform === 'win32') return;
  const projects = new TempProjects();
  const servers: net.Server[] = [];

  before(() => ensureCliBuilt());
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
    projects.cleanup();
  });

  async function hostileTree(): Promise<string> {
    const root = projects.make({
      'app.py': CONSUMER,
      'zeros.py': CONSUMER.replace('helper', 'zero'),
      'sockets.py': CONSUMER.replace('helper', 'sock'),
      'packaged.py': CONSUMER.replace('from helper', 'from pkg.mod'),
      'pkg/mod.py': 'async def stream():\n    yield 1\n',
    });
    execFileSync('mkfifo', [path.join(root, 'helper.py')]);
    execFileSync('mkfifo', [path.join(root, 'pkg', '__init__.py')]);
    execFileSync('mkfifo', [path.join(root, 'pyproject.toml')]);
    execFileSync('mkfifo', [path.join(root, '.gitignore')]);
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.py'));
    const server = net.createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path.join(root, 'sock.py'), resolve));
    return root;
  }

  it('the CLI finishes, says what it refused, and checks the rest', async () => {
    const root = await hostileTree();
    const run = runCli(['check', '.', 'helper.py', 'zero.py'], root);
    assert.equal(run.status, 2, run.stderr);
    const errors = run.stderr.trimEnd().split('\n');
    assert.ok(errors.includes('async-lens: error: pyproject.toml: cannot read it: not a regular file (a named pipe), skipped'), run.stderr);
    assert.ok(errors.includes('async-lens: error: helper.py: not a regular file or a directory'), run.stderr);
    assert.ok(errors.includes('async-lens: error: zero.py: not a regular file or a directory'), run.stderr);
    // Only the namespace package's real module is async; the others are refused and stay unknown.
    assert.match(run.stdout, /^packaged\.py:5:5: AIT101 .*\nFound 1 problem\.\n$/);
  });

  it('the editor\'s worker answers for every file that imports one', async () => {
    const root = await hostileTree();
    const worker = new WorkerClient();
    try {
      // `pkg/mod.py` is a real module (a folder without a readable `__init__.py` is a namespace package).
      for (const [file, codes] of [['app.py', []], ['zeros.py', []], ['sockets.py', []], ['packaged.py', ['AIT101']]] as const) {
        const response = await worker.analyze(fs.readFileSync(path.join(root, file), 'utf8'), path.join(root, file));
        assert.deepEqual(response.findings.map((finding) => finding.code), codes, file);
        assert.match(response.configProblem ?? '', /pyproject\.toml: cannot read it: not a regular file \(a named pipe\)/);
      }
    } finally {
      worker.terminate();
    }
  });

  it('files over `max-file-size` are skipped with a message naming the setting, in the CLI', () => {
    const root = projects.make({
      'pyproject.toml': '[tool.async-lens]\nmax-file-size = 1000\n',
      'small.py': 'async def gen():\n    yield 1\n\n\ndef main():\n    for x in gen():\n        pass\n',
      'big.py': `x = 1\n${'# padding\n'.repeat(200)}`,
    });
    const run = runCli(['check'], root);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, 'async-lens: warning: big.py: skipped: larger than 1 KB (`max-file-size`)\n');
    assert.match(run.stdout, /^small\.py:6:5: AIT101 /);
  });
});
