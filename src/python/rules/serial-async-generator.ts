import type { Node } from '../parser';
import { definePythonRule } from '../rule';
import { sequentialWork } from '../semantic/sequential';
import { isAsyncFunction, shortText } from '../syntax';

/*
 * The seed article's `fetch_pages`: an async generator that downloads one
 * page, yields it, then downloads the next. A consumer's `async for` gets
 * the pages one at a time however fast it is, and no consumer can make the
 * downloads overlap: the generator decides. Same evidence as AIT301 (the
 * awaits are independent work for the item, nothing flows between
 * iterations), on a loop that yields.
 */
export const serialAsyncGenerator = definePythonRule({
  meta: {
    code: 'AIT302',
    name: 'serial-async-generator',
    language: 'python',
    defaultSeverity: 'hint',
    summary: 'An async generator awaits independent work before each `yield`.',
    messages: {
      serial: 'This async generator awaits `{{call}}` for one item of `{{items}}` before it yields, then starts the next: '
        + 'its consumers get the results one at a time and can never make them overlap, though they do not depend on each other.',
      serialWhile: 'This async generator awaits `{{call}}` once per round of `while {{condition}}` before it yields, then starts the next: '
        + 'its consumers get the results one at a time and can never make them overlap, though they do not depend on each other.',
    },
    fix: { availability: 'never', safety: [], titles: {} },
  },
  create(ctx) {
    const check = (loop: Node): void => {
      const fn = ctx.facts.scopeOf(loop);
      if (!isAsyncFunction(fn) || !ctx.facts.isGenerator(fn)) return;
      const found = sequentialWork(loop, ctx.facts);
      if (!found || found.flow.yields.length === 0) return;
      const { site } = found;
      const call = shortText(site.awaited.text);
      const at = site.kind === 'await' ? site.node : site.awaited;
      if (loop.type === 'while_statement') {
        ctx.report({ at, messageId: 'serialWhile', data: { call, condition: shortText(loop.childForFieldName('condition')?.text ?? '…') } });
        return;
      }
      ctx.report({ at, messageId: 'serial', data: { call, items: shortText(loop.childForFieldName('right')?.text ?? 'the items') } });
    };
    return { for_statement: check, while_statement: check };
  },
});
