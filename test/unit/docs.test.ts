import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG } from '../../src/catalog';
import { docsPath } from '../../src/engine/rule';
import type { Language } from '../../src/engine/types';
import { JS_KNOWN_ASYNC_ITERABLES } from '../../src/js/known-apis';
import { KNOWN_ASYNC_ATTRIBUTES, KNOWN_ASYNC_ITERABLES } from '../../src/python/known-apis';
import { lintJs } from '../support/js';
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

/** The fence languages each frontend's examples use, and how a block of each is linted. */
const FENCES: Readonly<Record<Language, readonly string[]>> = {
  python: ['python'],
  javascript: ['ts', 'typescript', 'js', 'javascript'],
};

function lintBlock(language: Language, fence: string, code: string, rule: string) {
  if (language === 'python') return lint(code, rule);
  const fileName = fence === 'js' || fence === 'javascript' ? 'example.js' : 'example.ts';
  return lintJs(code, rule, { fileName });
}

describe('rule docs', () => {
  before(ready);

  for (const entry of CATALOG.entries.filter((candidate) => candidate.implementations.size > 0)) {
    describe(`${entry.code} (${docsPath(entry.code)})`, () => {
      const file = path.join(ROOT, docsPath(entry.code));
      const markdown = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

      it('exists with the title and the fixed headings in order', () => {
        assert.ok(markdown, `${docsPath(entry.code)} is missing`);
        assert.equal(markdown.split('\n', 1)[0], `# ${entry.code}: ${entry.name}`);
        const found = sections(markdown).map((section) => section.heading).filter((heading) => HEADINGS.includes(heading));
        assert.deepEqual(found, HEADINGS);
      });

      for (const language of entry.implementations.keys()) {
        const fences = FENCES[language];
        it(`has a ${language} Example that triggers the rule`, () => {
          const blocks = sections(markdown).find((s) => s.heading === 'Example')?.blocks.filter((b) => fences.includes(b.language)) ?? [];
          assert.ok(blocks.length > 0, `no \`\`\`${fences[0]} block under Example`);
          for (const block of blocks) assert.ok(lintBlock(language, block.language, block.code, entry.code).length > 0, `Example does not trigger ${entry.code}:\n${block.code}`);
        });

        it(`has a ${language} "Use instead" that is silent`, () => {
          const blocks = sections(markdown).find((s) => s.heading === 'Use instead')?.blocks.filter((b) => fences.includes(b.language)) ?? [];
          assert.ok(blocks.length > 0, `no \`\`\`${fences[0]} block under Use instead`);
          for (const block of blocks) assert.deepEqual(lintBlock(language, block.language, block.code, entry.code).map((f) => f.message), [], `Use instead triggers ${entry.code}:\n${block.code}`);
        });
      }

      it('has no code block in a language the rule is not implemented for', () => {
        const languages = [...entry.implementations.keys()];
        const allowed = new Set(['text', 'console', 'shell', 'toml', 'json', 'jsonc', '', ...languages.flatMap((language) => FENCES[language])]);
        for (const section of sections(markdown)) for (const block of section.blocks) assert.ok(allowed.has(block.language), `a \`\`\`${block.language} block under ${section.heading}: no ${entry.code} implementation lints it`);
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

describe('docs/known-async-iterables.md (JavaScript and TypeScript)', () => {
  it('lists every built-in JS entry of the table, and no other', () => {
    const markdown = fs.readFileSync(path.join(ROOT, 'docs', 'known-async-iterables.md'), 'utf8');
    const start = markdown.indexOf('### Built in (JavaScript and TypeScript)');
    assert.ok(start >= 0, 'no "### Built in (JavaScript and TypeScript)" section');
    const rows = markdown.slice(start).split('\n').filter((line) => line.startsWith('| `'));
    const listed = new Set(rows.flatMap((line) => [...line.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)));
    assert.deepEqual(JS_KNOWN_ASYNC_ITERABLES.filter((entry) => !listed.has(entry)), [], 'in the table but not in the docs');
    assert.deepEqual([...listed].filter((entry) => !JS_KNOWN_ASYNC_ITERABLES.includes(entry)), [], 'in the docs but not in the table');
  });
});

/** The text of a `## ` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}" section`);
  const end = markdown.indexOf('\n## ', start + heading.length);
  return markdown.slice(start, end < 0 ? undefined : end);
}
