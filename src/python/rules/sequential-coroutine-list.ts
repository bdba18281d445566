import type { Fix, TextEdit } from '../../engine/types';
import { moduleReference } from '../edits';
import type { Node } from '../parser';
import { definePythonRule, type PythonRuleContext } from '../rule';
import type { Binding } from '../semantic/scopes';
import { forEachOwnNode, isAsyncFunction, unparenthesize } from '../syntax';

/*
 * `coros = [fetch(u) for u in urls]` then `for c in coros: await c`: it
 * reads like "start them all, then collect", but calling an async function
 * only creates a coroutine; each starts when it is awaited, so they run one
 * after the other. A list of tasks (`asyncio.create_task`, `tg.create_task`,
 * `asyncio.ensure_future`) is already running and is silent; AIT301 never
 * reports these awaits (they await a name, not a call).
 */

const messages = {
  coroutines: '`{{list}}` holds coroutines, not running tasks: each one starts only when it is awaited here, '
    + 'so they run one after the other. Start them together with `asyncio.gather(*{{list}})`.',
};
const fixTitles = { gather: 'Await them together with `asyncio.gather(*{{list}})`' };

type Context = PythonRuleContext<keyof typeof messages, keyof typeof fixTitles>;

/** A call that makes a coroutine: a local `async def` that does not yield (a function, or a method of `self`). */
function makesCoroutine(expression: Node, ctx: Context): boolean {
  const call = unparenthesize(expression);
  if (call.type !== 'call') return false;
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier') return false;
  const binding = ctx.facts.singleBinding(callee.text, callee);
  return binding?.kind === 'def' && isAsyncFunction(binding.node) && !ctx.facts.isGenerator(binding.node);
}

/**
 * Whether the list bound to `name` (once, in this function) holds only
 * coroutines: `[f(x) for x in xs]`, or `[]` filled by `name.append(f(x))`
 * and nothing else that could add tasks.
 */
function holdsCoroutines(binding: Binding | undefined, name: string, fn: Node, ctx: Context): boolean {
  if (binding?.kind !== 'assign' || !binding.value) return false;
  const value = unparenthesize(binding.value);
  let coroutines = 0;
  if (value.type === 'list_comprehension') {
    const element = value.namedChildren[0];
    if (!element || !makesCoroutine(element, ctx)) return false;
    coroutines++;
  } else if (value.type !== 'list' || value.namedChildCount !== 0) {
    return false;
  }
  // Every other use must leave it a list of coroutines: appending more of them, iterating it, unpacking it.
  let other = false;
  forEachOwnNode(fn, (node) => {
    if (other || node.type !== 'identifier' || node.text !== name) return undefined;
    const parent = node.parent;
    const call = parent?.type === 'attribute' && parent.childForFieldName('object')?.id === node.id ? parent.parent : undefined;
    if (call?.type === 'call' && parent?.childForFieldName('attribute')?.text === 'append') {
      const args = call.childForFieldName('arguments')?.namedChildren.filter((child) => child?.type !== 'comment') ?? [];
      if (args.length === 1 && args[0] && makesCoroutine(args[0], ctx)) coroutines++;
      else other = true;
    } else if (!(parent?.type === 'assignment' && parent.childForFieldName('left')?.id === node.id)
      && !(parent?.type === 'for_statement' && parent.childForFieldName('right')?.id === node.id)
      && parent?.type !== 'list_splat') {
      other = true;
    }
    return undefined;
  });
  return coroutines > 0 && !other;
}

export const sequentialCoroutineList = definePythonRule({
  meta: {
    code: 'AIT303',
    name: 'sequential-coroutine-list',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'Coroutines created in a list are awaited one by one.',
    messages,
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: fixTitles },
  },
  create(ctx) {
    return {
      await(node) {
        const awaited = node.firstNamedChild ? unparenthesize(node.firstNamedChild) : undefined;
        if (awaited?.type !== 'identifier') return;
        // `for c in coros: … await c …`
        let loop: Node | null = node.parent;
        while (loop && loop.type !== 'for_statement' && loop.type !== 'function_definition' && loop.type !== 'lambda') loop = loop.parent;
        if (loop?.type !== 'for_statement' || loop.childForFieldName('left')?.type !== 'identifier' || loop.childForFieldName('left')?.text !== awaited.text) return;
        const items = loop.childForFieldName('right');
        if (items?.type !== 'identifier') return;
        const fn = ctx.facts.scopeOf(loop);
        if (!isAsyncFunction(fn)) return;
        if (!holdsCoroutines(ctx.facts.singleBinding(items.text, items), items.text, fn, ctx)) return;
        const fix = gatherFix(loop, node, items.text, ctx);
        ctx.report({ at: node, messageId: 'coroutines', data: { list: items.text }, fixes: fix ? [fix] : [] });
      },
    };
  },
});

/**
 * `for c in coros: … await c …` → `for c in await asyncio.gather(*coros): … c …`:
 * the body stays as it is and sees the same results in the same order (it
 * runs once they are all done). Only when the body uses `c` in that one
 * await, and nothing after the loop reads `c`.
 */
function gatherFix(loop: Node, awaitNode: Node, list: string, ctx: Context): Fix | undefined {
  const target = loop.childForFieldName('left');
  const items = loop.childForFieldName('right');
  if (!target || !items || loop.childForFieldName('alternative')) return undefined;
  let uses = 0;
  let readAfter = false;
  forEachOwnNode(ctx.facts.scopeOf(loop), (node) => {
    if (node.type !== 'identifier' || node.text !== target.text || node.id === target.id) return undefined;
    if (node.startIndex >= loop.endIndex) readAfter = true;
    else if (node.startIndex > target.endIndex) uses++;
    return undefined;
  });
  if (uses !== 1 || readAfter) return undefined;
  const asyncio = moduleReference(loop, ctx.facts, 'asyncio');
  if (!asyncio) return undefined;
  const body = loop.childForFieldName('body');
  const statements = body?.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment') ?? [];
  if (statements.length === 1 && statements[0]!.type === 'expression_statement' && statements[0]!.firstNamedChild?.id === awaitNode.id) {
    // Nothing but the awaits: the loop becomes the gather.
    return ctx.fix('gather', 'unsafe', [...asyncio.edits, { range: { start: loop.startIndex, end: loop.endIndex }, newText: `await ${asyncio.name}.gather(*${list})` }], { list });
  }
  const edits: TextEdit[] = [
    ...asyncio.edits,
    { range: { start: items.startIndex, end: items.endIndex }, newText: `await ${asyncio.name}.gather(*${list})` },
    { range: { start: awaitNode.startIndex, end: awaitNode.endIndex }, newText: target.text },
  ];
  return ctx.fix('gather', 'unsafe', edits, { list });
}
