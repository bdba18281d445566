import type * as ts from 'typescript';
import { loopCondition } from '../dataflow';
import { isAsyncGeneratorFunction } from '../facts';
import { defineJsRule } from '../rule';
import { sequentialWork } from '../sequential';
import { quote } from '../syntax';

/*
 * The seed article's `fetch_pages`, in JavaScript: an async generator that
 * downloads one page, yields it, then downloads the next. A consumer's
 * `for await` gets the pages one at a time however fast it is, and no
 * consumer can make the downloads overlap: the generator decides. Same
 * evidence as AIT301 (the awaits are independent work for the item, nothing
 * flows between iterations), on a loop that yields.
 */
export const serialAsyncGenerator = defineJsRule({
  meta: {
    code: 'AIT302',
    name: 'serial-async-generator',
    language: 'javascript',
    defaultSeverity: 'hint',
    summary: 'An async generator awaits independent work before each `yield`.',
    messages: {
      serial: 'This async generator awaits {{call}} for one item of {{items}} before it yields, then starts the next: '
        + 'its consumers get the results one at a time and can never make them overlap, though they do not depend on each other.',
      serialRound: 'This async generator awaits {{call}} once per round of the loop on {{condition}} before it yields, then starts the next: '
        + 'its consumers get the results one at a time and can never make them overlap, though they do not depend on each other.',
    },
    fix: { availability: 'never', safety: [], titles: {} },
  },
  create(ctx) {
    const { ts, facts, sourceFile } = ctx;
    const check = (node: ts.Node): void => {
      const fn = facts.enclosingFunction(node);
      if (!fn || !isAsyncGeneratorFunction(ts, fn)) return;
      const found = sequentialWork(node, facts);
      if (!found || found.flow.yields.length === 0) return;
      const loop = found.flow.loop;
      const call = quote(found.site.awaited, sourceFile);
      if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
        ctx.report({ at: found.site.node, messageId: 'serial', data: { call, items: quote(loop.expression, sourceFile) } });
        return;
      }
      const condition = loopCondition(ts, loop);
      ctx.report({ at: found.site.node, messageId: 'serialRound', data: { call, condition: condition ? quote(condition, sourceFile) : '`…`' } });
    };
    return { ForStatement: check, ForOfStatement: check, ForInStatement: check, WhileStatement: check, DoStatement: check };
  },
});
