import type { TextEdit } from '../../engine/types';
import type { Node } from '../parser';
import type { PythonRule } from '../rule';
import { asyncKeyword } from '../syntax';

/** Deletes the `async` keyword and the whitespace after it. */
function removeAsync(keyword: Node, source: string): TextEdit {
  let end = keyword.endIndex;
  while (end < source.length && (source[end] === ' ' || source[end] === '\t')) end++;
  return { range: { start: keyword.startIndex, end }, newText: '' };
}

export const asyncIterationOverSyncIterable: PythonRule = {
  code: 'AIT102',
  create(ctx) {
    const check = (node: Node, isStatement: boolean) => {
      const keyword = asyncKeyword(node);
      const right = node.childForFieldName('right');
      if (!keyword || !right) return;
      const fact = ctx.facts.iterability(right);
      if (fact.kind !== 'sync') return;
      // Turning an async generator expression into a plain one changes what its consumer gets.
      const isGeneratorClause = !isStatement && node.parent?.type === 'generator_expression';
      ctx.report({
        at: { start: node.startIndex, end: right.endIndex },
        message: `\`async for\` cannot iterate ${fact.what}, a synchronous iterable: Python raises \`TypeError: 'async for' requires an object with __aiter__ method\`.`,
        fixes: [{
          title: isStatement ? 'Use a plain `for`' : 'Use a plain `for` in the comprehension',
          safety: isGeneratorClause ? 'unsafe' : 'safe',
          edits: [removeAsync(keyword, ctx.source)],
        }],
      });
    };
    return {
      for_statement: (node) => check(node, true),
      for_in_clause: (node) => check(node, false),
    };
  },
};
