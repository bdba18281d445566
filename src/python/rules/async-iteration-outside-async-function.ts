import { makeFunctionAsync } from '../edits';
import type { Node } from '../parser';
import { definePythonRule } from '../rule';
import { functionName, hasAsyncKeyword, isAsyncFunction } from '../syntax';

/**
 * An async comprehension is allowed inside any generator expression (which
 * then becomes an async generator), whatever function it is in.
 */
function insideGeneratorExpression(clause: Node): boolean {
  for (let current = clause.parent?.parent ?? null; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda' || current.type === 'class_definition' || current.type === 'module') return false;
    if (current.type === 'generator_expression') return true;
  }
  return false;
}

/** Where the code is, for the message. */
function describePlace(scope: Node): string {
  switch (scope.type) {
    case 'function_definition':
      return `the function \`${functionName(scope) ?? ''}\`, which is not \`async\``;
    case 'lambda':
      return 'a lambda, which cannot be `async`';
    case 'class_definition':
      return 'a class body, which is never async';
    default:
      return 'module level';
  }
}

export const asyncIterationOutsideAsyncFunction = definePythonRule({
  meta: {
    code: 'AIT105',
    name: 'async-iteration-outside-async-function',
    language: 'python',
    defaultSeverity: 'error',
    summary: 'Async iteration outside an `async` function is a syntax error.',
    messages: {
      asyncFor: '`async for` in {{place}}: Python rejects the file with a SyntaxError.',
      asyncComprehension: 'An async comprehension in {{place}}: Python rejects the file with a SyntaxError.',
    },
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: { makeAsync: 'Make `{{name}}` async' } },
  },
  create(ctx) {
    const topLevelAwait = ctx.settings.topLevelAwait ?? false;

    const check = (node: Node, messageId: 'asyncFor' | 'asyncComprehension') => {
      const scope = ctx.facts.scopeOf(node);
      if (isAsyncFunction(scope)) return;
      if (scope.type === 'module' && topLevelAwait) return;
      const right = node.childForFieldName('right');
      ctx.report({
        at: { start: node.startIndex, end: right?.endIndex ?? node.endIndex },
        messageId,
        data: { place: describePlace(scope) },
        fixes: scope.type === 'function_definition'
          ? [ctx.fix('makeAsync', 'unsafe', [makeFunctionAsync(scope)], { name: functionName(scope) ?? 'the function' })]
          : [],
      });
    };

    return {
      for_statement(node) {
        if (hasAsyncKeyword(node)) check(node, 'asyncFor');
      },
      for_in_clause(node) {
        if (!hasAsyncKeyword(node)) return;
        const comprehension = node.parent;
        if (!comprehension || comprehension.type === 'generator_expression') return;
        if (insideGeneratorExpression(node)) return;
        check(node, 'asyncComprehension');
      },
    };
  },
});
