import { makeFunctionAsync } from '../edits';
import { canCompleteNormally, ownReturnStatements, returnedValue } from '../flow';
import type { Node } from '../parser';
import { definePythonRule, type PythonRuleContext } from '../rule';
import { hasOnlyNeutralDecorators, isDeclarationOnly } from '../semantic/methods';
import { classOfMethod, functionName, hasAsyncKeyword, unparenthesize } from '../syntax';

/** A value that is certainly not awaitable, and its type name when we know it. */
interface NotAwaitable {
  readonly typeName: string | undefined;
}

const LITERAL_TYPES: ReadonlyMap<string, string> = new Map([
  ['integer', 'int'],
  ['float', 'float'],
  ['true', 'bool'],
  ['false', 'bool'],
  ['none', 'NoneType'],
  ['ellipsis', 'ellipsis'],
  ['list', 'list'],
  ['list_comprehension', 'list'],
  ['dictionary', 'dict'],
  ['dictionary_comprehension', 'dict'],
  ['set', 'set'],
  ['set_comprehension', 'set'],
  ['tuple', 'tuple'],
  ['expression_list', 'tuple'],
  ['generator_expression', 'generator'],
  ['lambda', 'function'],
  ['not_operator', 'bool'],
]);

function stringType(node: Node): string {
  return /^[a-zA-Z]*[bB]/.test(node.text) ? 'bytes' : 'str';
}

/**
 * What `value` is when it is certainly not awaitable; undefined when it might
 * be (a call, an attribute, a name: anything whose type we do not see).
 */
function notAwaitable(value: Node, cls: Node, ctx: PythonRuleContext, depth = 0): NotAwaitable | undefined {
  const node = unparenthesize(value);
  if (depth > 8) return undefined;
  if (node.type === 'integer' && /[jJ]$/.test(node.text)) return { typeName: 'complex' };
  const literal = LITERAL_TYPES.get(node.type);
  if (literal) return { typeName: literal };
  const operand = (field: string) => {
    const child = node.childForFieldName(field);
    return child ? notAwaitable(child, cls, ctx, depth + 1) : undefined;
  };
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return { typeName: stringType(node) };
    case 'unary_operator':
      return operand('argument');
    case 'binary_operator':
      // Arithmetic or formatting with a literal operand: a number or a string, never an awaitable.
      return operand('left') || operand('right') ? { typeName: undefined } : undefined;
    case 'comparison_operator':
      return { typeName: undefined };
    case 'boolean_operator':
    case 'conditional_expression': {
      const parts = node.type === 'boolean_operator'
        ? [node.childForFieldName('left'), node.childForFieldName('right')]
        : [node.namedChild(0), node.namedChild(2)];
      const results = parts.map((part) => (part ? notAwaitable(part, cls, ctx, depth + 1) : undefined));
      if (results.some((result) => !result)) return undefined;
      const names = new Set(results.map((result) => result!.typeName));
      return { typeName: names.size === 1 ? results[0]!.typeName : undefined };
    }
    case 'identifier': {
      if (node.text !== 'self' || ctx.facts.classOfValue(node)?.id !== cls.id) return undefined;
      // An instance is awaitable only through `__await__`, which an unknown base might add.
      if (!ctx.facts.classShape(cls) || ctx.facts.memberOf(cls, '__await__')) return undefined;
      return { typeName: cls.childForFieldName('name')?.text };
    }
    default:
      return undefined;
  }
}

export const nonAsyncAnext = definePythonRule({
  meta: {
    code: 'AIT203',
    name: 'non-async-anext',
    language: 'python',
    defaultSeverity: 'error',
    summary: '`__anext__` is a plain method that returns no awaitable.',
    messages: {
      returnsValue: '`__anext__` is a plain method that returns {{what}}, not an awaitable: `async for` fails with '
        + '`TypeError: \'async for\' received an invalid object from __anext__{{typeSuffix}}`.',
    },
    fix: { availability: 'always', safety: ['safe'], titles: { makeAsync: 'Make `__anext__` `async`' } },
  },
  create(ctx) {
    return {
      function_definition(fn) {
        const nameNode = fn.childForFieldName('name');
        const body = fn.childForFieldName('body');
        if (!nameNode || !body || hasAsyncKeyword(fn) || functionName(fn) !== '__anext__') return;
        const cls = classOfMethod(fn);
        if (!cls || !hasOnlyNeutralDecorators(fn, ctx.facts) || ctx.facts.isGenerator(fn) || isDeclarationOnly(fn, ctx.facts)) return;

        const results: NotAwaitable[] = [];
        for (const statement of ownReturnStatements(fn)) {
          const value = returnedValue(statement);
          const result = value ? notAwaitable(value, cls, ctx) : { typeName: 'NoneType' };
          if (!result) return;
          results.push(result);
        }
        if (canCompleteNormally(body, ctx.facts)) results.push({ typeName: 'NoneType' });
        const first = results[0];
        // A method that always raises (`raise StopAsyncIteration`) is fine: `async for` stops on it.
        if (!first) return;

        const what = first.typeName === undefined ? 'a value' : first.typeName === 'NoneType' ? '`None`' : `a value of type \`${first.typeName}\``;
        ctx.report({
          at: nameNode,
          messageId: 'returnsValue',
          data: { what, typeSuffix: first.typeName === undefined ? '' : `: ${first.typeName}` },
          fixes: [ctx.fix('makeAsync', 'safe', [makeFunctionAsync(fn)])],
        });
      },
    };
  },
});
