import { removeAsync } from '../edits';
import type { Node } from '../parser';
import { definePythonRule } from '../rule';

export const asyncIterationOverSyncIterable = definePythonRule({
  meta: {
    code: 'AIT102',
    name: 'async-iteration-over-sync-iterable',
    language: 'python',
    defaultSeverity: 'error',
    summary: '`async for` over a list, range, dict or other synchronous iterable.',
    messages: {
      syncIterable: '`async for` cannot iterate {{what}}, a synchronous iterable: Python raises `TypeError: \'async for\' requires an object with __aiter__ method`.',
    },
    fix: {
      availability: 'always',
      safety: ['safe', 'unsafe'],
      titles: { plainFor: 'Use a plain `for`', plainForInComprehension: 'Use a plain `for` in the comprehension' },
    },
  },
  create(ctx) {
    const check = (node: Node, isStatement: boolean) => {
      const right = node.childForFieldName('right');
      const edit = right ? removeAsync(node, ctx.source) : undefined;
      if (!right || !edit) return;
      const fact = ctx.facts.iterability(right);
      if (fact.kind !== 'sync') return;
      // Turning an async generator expression into a plain one changes what its consumer gets.
      const isGeneratorClause = !isStatement && node.parent?.type === 'generator_expression';
      ctx.report({
        at: { start: node.startIndex, end: right.endIndex },
        messageId: 'syncIterable',
        data: { what: fact.what },
        fixes: [ctx.fix(isStatement ? 'plainFor' : 'plainForInComprehension', isGeneratorClause ? 'unsafe' : 'safe', [edit])],
      });
    };
    return {
      for_statement: (node) => check(node, true),
      for_in_clause: (node) => check(node, false),
    };
  },
});
