import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { docsPath } from '../../src/engine/rule';
import { PYTHON_RULES } from '../../src/python/rules';
import { KNOWN_ASYNC_ATTRIBUTES, KNOWN_ASYNC_ITERABLES } from '../../src/python/known-apis';
import { lint, ready } from '../support/python';

/*
 * Every implemented rule has docs under fixed headings, and the docs are
 * executable: each ```python block under "Example" must trigger the rule,
 * each one under "Use instead" must not.
 */

const ROOT = path.join(__dirname, '..', '..');
const HEADINGS = ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Fix safety', 'Known problems'];

interface Section {
  readonly heading: string;
  readonly blocks: { readonly language: string; readonly code: string }[];
}

function sections(markdown: string): Section[] {
  const result: Section[] = [];
  let current: Section | undefined;
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  const lines = markdown.split('\n');
  let offset = 0;
  const headingAt: { heading: string; offset: number }[] = [];
  for (const line of lines) {
    const match = /^## (.+)$/.exec(line);
    if (match) headingAt.push({ heading: match[1]!.trim(), offset });
    offset += line.length + 1;
  }
  for (const { heading } of headingAt) result.push({ heading, blocks: [] });
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const owner = [...headingAt].reverse().find((h) => h.offset < match!.index);
    current = owner ? result[headingAt.indexOf(owner)] : undefined;
    current?.blocks.push({ language: match[1]!, code: match[2]! });
  }
  return result;
}

describe('rule docs', () => {
  before(ready);

  for (const { meta } of PYTHON_RULES) {
    describe(`${meta.code} (${docsPath(meta.code)})`, () => {
      const file = path.join(ROOT, docsPath(meta.code));
      const markdown = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

      it('exists with the title and the fixed headings in order', () => {
        assert.ok(markdown, `${docsPath(meta.code)} is missing`);
        assert.equal(markdown.split('\n', 1)[0], `# ${meta.code}: ${meta.name}`);
        const found = sections(markdown).map((section) => section.heading).filter((heading) => HEADINGS.includes(heading));
        assert.deepEqual(found, HEADINGS);
      });

      it('has an Example that triggers the rule', () => {
        const blocks = sections(markdown).find((s) => s.heading === 'Example')?.blocks.filter((b) => b.language === 'python') ?? [];
        assert.ok(blocks.length > 0, 'no ```python block under Example');
        for (const block of blocks) assert.ok(lint(block.code, meta.code).length > 0, `Example does not trigger ${meta.code}:\n${block.code}`);
      });

      it('has a "Use instead" that is silent', () => {
        const blocks = sections(markdown).find((s) => s.heading === 'Use instead')?.blocks.filter((b) => b.language === 'python') ?? [];
        assert.ok(blocks.length > 0, 'no ```python block under Use instead');
        for (const block of blocks) assert.deepEqual(lint(block.code, meta.code).map((f) => f.message), [], `Use instead triggers ${meta.code}:\n${block.code}`);
      });
    });
  }
});

describe('docs/known-async-iterables.md', () => {
  it('lists every built-in entry of the table, and no other', () => {
    const markdown = fs.readFileSync(path.join(ROOT, 'docs', 'known-async-iterables.md'), 'utf8');
    const builtIn = section(markdown, '## Built in');
    const firstCells = builtIn.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|')[1]!);
    const listed = new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`(\.?[A-Za-z_][\w.]*)`/g)].map((match) => match[1]!)));
    assert.deepEqual([...KNOWN_ASYNC_ITERABLES].filter((entry) => !listed.has(entry)), [], 'in the table but not in the docs');
    assert.deepEqual([...listed].filter((entry) => !KNOWN_ASYNC_ITERABLES.includes(entry)), [], 'in the docs but not in the table');
  });

  it('lists every known attribute (`f(...).attr` for a call, `Class.attr` for a type), and no other', () => {
    const markdown = fs.readFileSync(path.join(ROOT, 'docs', 'known-async-iterables.md'), 'utf8');
    const firstCells = section(markdown, '## Attributes').split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|')[1]!);
    const listed = new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)));
    const table = new Set(KNOWN_ASYNC_ATTRIBUTES.map((entry) => `${entry.source}${entry.via === 'call' ? '(...)' : ''}.${entry.attribute}`));
    assert.deepEqual([...table].filter((entry) => !listed.has(entry)), [], 'in the table but not in the docs');
    assert.deepEqual([...listed].filter((entry) => !table.has(entry)), [], 'in the docs but not in the table');
  });
});

/** The text of a `## ` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}" section`);
  const end = markdown.indexOf('\n## ', start + heading.length);
  return markdown.slice(start, end < 0 ? undefined : end);
}
