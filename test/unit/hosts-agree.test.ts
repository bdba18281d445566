import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPaths } from '../../src/hosts/cli/check';
import { LineIndex } from '../../src/engine/text';
import type { Finding } from '../../src/engine/types';
import { ensureCliBuilt, TempProjects } from '../support/cli';
import { ready } from '../support/python';
import { WorkerClient } from '../support/worker';

/*
 * The CLI and the editor's analysis worker share one project layer: on the
 * same project tree they must find exactly the same things, whatever the
 * layout (with or without pyproject.toml, nested packages, `src/` layouts,
 * scripts beside packages) and whatever directory the CLI runs from.
 */

const STREAMS = 'import asyncio\n\n\nasync def rows(n):\n    for i in range(n):\n        await asyncio.sleep(0)\n        yield i\n';
const uses = (importLine: string, call = 'rows(3)') => `${importLine}\n\n\ndef consume():\n    for row in ${call}:\n        print(row)\n`;

const TREES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'no pyproject.toml, modules side by side': {
    'streams.py': STREAMS,
    'app.py': uses('from streams import rows'),
    'tool.py': uses('import streams', 'streams.rows(2)'),
  },
  'no pyproject.toml, a git repository with a package and a script folder': {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'pkg/__init__.py': 'from .feed import rows\n',
    'pkg/feed.py': STREAMS,
    'pkg/sub/__init__.py': '',
    'pkg/sub/deep.py': uses('from ..feed import rows'),
    'scripts/run.py': uses('from pkg import rows'),
  },
  'pyproject.toml with settings and a src/ layout': {
    'pyproject.toml': '[tool.async-lens]\nknown-async-iterables = ["vendor.stream"]\nseverity = { AIT101 = "warning" }\nexclude = ["build/"]\n',
    'src/app/__init__.py': '',
    'src/app/core.py': STREAMS,
    'src/app/api.py': uses('from app.core import rows'),
    'tests/test_api.py': uses('from app.core import rows'),
    'tests/test_vendor.py': uses('import vendor', 'vendor.stream()'),
    'build/generated.py': uses('from app.core import rows'),
  },
  'nested projects, each with its own pyproject.toml': {
    'pyproject.toml': '[tool.async-lens]\nignore = ["AIT104"]\n',
    'top.py': `${uses('from inner.lib import rows')}\nasync def step(it):\n    anext(it)\n`,
    'inner/pyproject.toml': '[tool.async-lens]\nselect = ["AIT104"]\n',
    'inner/lib.py': `${STREAMS}\n\nasync def step(it):\n    anext(it)\n`,
    'inner/user.py': uses('from lib import rows'),
  },
};

interface Seen {
  readonly file: string;
  readonly at: string;
  readonly code: string;
  readonly severity: string;
  readonly message: string;
}

function describeFindings(file: string, text: string, findings: readonly Finding[]): Seen[] {
  const lines = new LineIndex(text);
  return findings.map((finding) => {
    const start = lines.position(finding.range.start);
    const end = lines.position(finding.range.end);
    return { file, at: `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`, code: finding.code, severity: finding.severity, message: finding.message };
  });
}

function pythonFiles(root: string, relative = ''): string[] {
  return fs.readdirSync(path.join(root, relative), { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) return entry.name === '.git' ? [] : pythonFiles(root, child);
    return entry.name.endsWith('.py') ? [child] : [];
  }).sort();
}

describe('the CLI and the editor agree on every project layout', function () {
  this.timeout(60_000);
  const projects = new TempProjects();
  let worker: WorkerClient;

  before(async () => {
    ensureCliBuilt();
    await ready();
  });
  beforeEach(() => {
    worker = new WorkerClient();
  });
  afterEach(async () => {
    await worker.terminate();
    projects.cleanup();
  });

  for (const [layout, tree] of Object.entries(TREES)) {
    it(layout, async () => {
      const root = projects.make(tree);
      const files = pythonFiles(root);
      const fromEditor: Seen[] = [];
      let excludedInEditor = 0;
      for (const file of files) {
        const text = fs.readFileSync(path.join(root, file), 'utf8');
        const response = await worker.analyze(text, path.join(root, file));
        if (response.excluded) excludedInEditor++;
        fromEditor.push(...describeFindings(file, text, response.findings));
      }
      assert.ok(fromEditor.length > 0, 'the layout has findings to compare');

      // From the root and from a folder below it: the working directory changes nothing.
      for (const cwd of [root, path.join(root, path.dirname(files[files.length - 1]!))]) {
        const result = await checkPaths([root], { cwd });
        assert.deepEqual(result.notices, []);
        const fromCli = result.files.flatMap((checked) => describeFindings(path.relative(root, checked.absolutePath), checked.lines.text, checked.findings));
        assert.deepEqual(sortSeen(fromCli), sortSeen(fromEditor), `from ${path.relative(root, cwd) || 'the root'}`);
      }
      assert.equal(excludedInEditor, tree['build/generated.py'] ? 1 : 0, 'the editor excludes what the CLI does not walk into');
    });
  }
});

function sortSeen(seen: readonly Seen[]): Seen[] {
  return [...seen].sort((a, b) => a.file.localeCompare(b.file) || a.at.localeCompare(b.at) || a.code.localeCompare(b.code));
}
