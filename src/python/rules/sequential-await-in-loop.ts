import type { Fix, TextEdit } from '../../engine/types';
import { moduleReference } from '../edits';
import type { Node } from '../parser';
import { definePythonRule, type PythonRuleContext } from '../rule';
import type { PythonFacts } from '../semantic/facts';
import { sequentialWork, type SequentialWork } from '../semantic/sequential';
import { forEachOwnNode, hasAsyncKeyword, indentationOf, isAsyncFunction, shortText } from '../syntax';

const messages = {
  sequential: '`{{call}}` is awaited for one item of `{{items}}` at a time: each one waits for the one before it, '
    + 'so the loop takes the sum of their times. They do not depend on each other: run them concurrently.',
  sequentialWhile: '`{{call}}` is awaited once per round of `while {{condition}}`: each one waits for the one before it, '
    + 'so the loop takes the sum of their times. They do not depend on each other: run them concurrently.',
};

const fixTitles = {
  gather: 'Run them concurrently with `asyncio.gather` (results in the same order)',
  taskGroup: 'Run them concurrently in an `asyncio.TaskGroup`',
};

type Context = PythonRuleContext<keyof typeof messages, keyof typeof fixTitles>;

/** Whether the loop is in code that may await: an `async def`, or the module with top-level await. */
function inAsyncCode(loop: Node, facts: PythonFacts, topLevelAwait: boolean): boolean {
  const scope = facts.scopeOf(loop);
  return scope.type === 'module' ? topLevelAwait : isAsyncFunction(scope);
}

export const sequentialAwaitInLoop = definePythonRule({
  meta: {
    code: 'AIT301',
    name: 'sequential-await-in-loop',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'A loop awaits independent work one item at a time.',
    messages,
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: fixTitles },
  },
  create(ctx) {
    const topLevelAwait = ctx.settings.topLevelAwait ?? false;
    const check = (loop: Node): void => {
      if (!inAsyncCode(loop, ctx.facts, topLevelAwait)) return;
      const found = sequentialWork(loop, ctx.facts);
      // A loop that yields feeds its consumer one item at a time: that is AIT302's.
      if (!found || found.flow.yields.length > 0) return;
      const { site } = found;
      const reported = site.kind === 'await' ? site.node : site.awaited;
      const call = shortText(site.awaited.text);
      if (loop.type === 'while_statement') {
        // No fix: which items a `while` loop visits is known only by running it.
        const condition = loop.childForFieldName('condition');
        ctx.report({ at: reported, messageId: 'sequentialWhile', data: { call, condition: shortText(condition?.text ?? '…') } });
        return;
      }
      const items = loop.childForFieldName('right');
      const fix = concurrentFix(loop, found, ctx);
      ctx.report({
        at: reported,
        messageId: 'sequential',
        data: { call, items: shortText(items?.text ?? 'the items') },
        fixes: fix ? [fix] : [],
      });
    };
    return { for_statement: check, while_statement: check };
  },
});

/**
 * A rewrite that keeps every value where it was, for two loop shapes:
 * "do one thing per item" (`for x in xs: await f(x)`) and "collect one
 * result per item" (`for x in xs: results.append(await f(x))`).
 */
function concurrentFix(loop: Node, { site }: SequentialWork, ctx: Context): Fix | undefined {
  const body = loop.childForFieldName('body');
  const target = loop.childForFieldName('left');
  const items = loop.childForFieldName('right');
  const statements = body?.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment') ?? [];
  if (!body || !target || !items || statements.length !== 1 || site.kind !== 'await') return undefined;
  const expression = statements[0]!.type === 'expression_statement' ? statements[0]!.firstNamedChild : undefined;
  if (!expression) return undefined;
  const asyncio = moduleReference(loop, ctx.facts, 'asyncio');
  if (!asyncio) return undefined;
  const isAsyncFor = hasAsyncKeyword(loop);
  const call = site.awaited.text;
  const header = loop.text.slice(0, body.startIndex - loop.startIndex).trimEnd();
  const coroutines = isAsyncFor ? `*[${call} async for ${target.text} in ${items.text}]` : `*(${call} for ${target.text} in ${items.text})`;
  const edits: TextEdit[] = [...asyncio.edits];

  if (expression.id === site.node.id) {
    // Do one thing per item.
    const minimum = ctx.settings.minimumVersion;
    if (minimum && (minimum[0] > 3 || (minimum[0] === 3 && minimum[1] >= 11))) {
      const group = freshName(loop, ctx.facts, 'tg');
      const indent = indentationOf(ctx.source, loop);
      const unit = indentationUnit(ctx.source, loop, body);
      const inner = `${indent}${unit}`;
      const text = `async with ${asyncio.name}.TaskGroup() as ${group}:\n${inner}${header}\n${inner}${unit}${group}.create_task(${call})`;
      edits.push({ range: { start: loop.startIndex, end: loop.endIndex }, newText: text });
      return ctx.fix('taskGroup', 'unsafe', edits);
    }
    if (targetReadAfter(loop, target, ctx.facts)) return undefined;
    edits.push({ range: { start: loop.startIndex, end: loop.endIndex }, newText: `await ${asyncio.name}.gather(${coroutines})` });
    return ctx.fix('gather', 'unsafe', edits);
  }

  // Collect one result per item: `results.append(await f(x))` → `results.extend(await asyncio.gather(...))`.
  if (expression.type !== 'call') return undefined;
  const callee = expression.childForFieldName('function');
  const args = expression.childForFieldName('arguments')?.namedChildren.filter((child) => child?.type !== 'comment') ?? [];
  const receiver = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'append' || receiver?.type !== 'identifier') return undefined;
  if (args.length !== 1 || args[0]?.id !== site.node.id || targetReadAfter(loop, target, ctx.facts)) return undefined;
  edits.push({ range: { start: loop.startIndex, end: loop.endIndex }, newText: `${receiver.text}.extend(await ${asyncio.name}.gather(${coroutines}))` });
  return ctx.fix('gather', 'unsafe', edits);
}


/** Whether the loop's target names are read after the loop in its function (a gather leaves them unbound). */
function targetReadAfter(loop: Node, target: Node, facts: PythonFacts): boolean {
  const names = new Set(target.type === 'identifier' ? [target.text] : target.descendantsOfType('identifier').map((node) => node?.text ?? ''));
  const scope = facts.scopeOf(loop);
  let read = false;
  forEachOwnNode(scope, (node) => {
    if (read) return false;
    if (node.type === 'identifier' && node.startIndex >= loop.endIndex && names.has(node.text)) read = true;
    return undefined;
  });
  return read;
}

/** `tg`, or `tg_2`, …: a name nothing in the function uses. */
function freshName(loop: Node, facts: PythonFacts, base: string): string {
  const used = new Set<string>();
  forEachOwnNode(facts.scopeOf(loop), (node) => {
    if (node.type === 'identifier') used.add(node.text);
  });
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** One level of the file's indentation, read off the loop's own body. */
function indentationUnit(source: string, loop: Node, body: Node): string {
  const outer = indentationOf(source, loop);
  const first = body.firstNamedChild;
  const inner = first && first.startPosition.row > loop.startPosition.row ? indentationOf(source, first) : '';
  return inner.startsWith(outer) && inner.length > outer.length ? inner.slice(outer.length) : '    ';
}

