import type { Node } from '../parser';
import type { PythonRule } from '../rule';
import { enclosingScope, hasAsyncKeyword, isAsyncFunction } from '../syntax';

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

export const asyncIterationOutsideAsyncFunction: PythonRule = {
  code: 'AIT105',
  create(ctx) {
    const topLevelAwait = ctx.settings.topLevelAwait ?? false;

    const check = (node: Node, what: string) => {
      const scope = enclosingScope(node);
      if (isAsyncFunction(scope)) return;
      if (scope.type === 'module' && topLevelAwait) return;
      const right = node.childForFieldName('right');
      const where = scope.type === 'function_definition'
        ? `the function \`${scope.childForFieldName('name')?.text ?? ''}\`, which is not \`async\``
        : scope.type === 'lambda' ? 'a lambda, which cannot be `async`'
          : scope.type === 'class_definition' ? 'a class body, which is never async' : 'module level';
      const canFix = scope.type === 'function_definition';
      ctx.report({
        at: { start: node.startIndex, end: right?.endIndex ?? node.endIndex },
        message: `${what} in ${where}: Python rejects the file with a SyntaxError.`,
        fixes: canFix
          ? [{
              title: `Make \`${scope.childForFieldName('name')?.text ?? 'the function'}\` async`,
              safety: 'unsafe',
              edits: [{ range: { start: scope.startIndex, end: scope.startIndex }, newText: 'async ' }],
            }]
          : [],
      });
    };

    return {
      for_statement(node) {
        if (hasAsyncKeyword(node)) check(node, '`async for`');
      },
      for_in_clause(node) {
        if (!hasAsyncKeyword(node)) return;
        const comprehension = node.parent;
        if (!comprehension || comprehension.type === 'generator_expression') return;
        if (insideGeneratorExpression(node)) return;
        check(node, 'An async comprehension');
      },
    };
  },
};
