import type { Fix, TextEdit } from '../../engine/types';
import { insertAsync } from '../edits';
import type { Node } from '../parser';
import { definePythonRule, rangeOf, type PythonRuleContext } from '../rule';
import { hasAsyncKeyword, unparenthesize } from '../syntax';

const messages = {
  forLoop: '`for` cannot iterate {{what}}: it is an async iterable, which only `async for` can consume.',
  forLoopOutsideAsync: '`for` cannot iterate {{what}}: it is an async iterable, which only `async for` can consume. (The enclosing function is not `async`.)',
  generatorArgument: 'A generator expression passed to `{{consumer}}()` cannot iterate {{what}}: it is an async iterable, which needs `async for`.',
  comprehension: 'A synchronous comprehension cannot iterate {{what}}: it is an async iterable, which needs `async for`.',
  next: '`next()` cannot advance {{what}}: it is an async iterator; use `await anext(...)`.',
  consumer: '`{{consumer}}()` cannot consume {{what}}: it only accepts synchronous iterables.',
  starUnpacking: '`*`-unpacking cannot consume {{what}}: it is an async iterable; collect it with `[x async for x in ...]` first.',
  unpacking: 'Unpacking cannot consume {{what}}: it is an async iterable; collect it with `[x async for x in ...]` first.',
  membership: '`{{operator}}` cannot search {{what}}: it is an async iterable, and a membership test iterates with the synchronous protocol; search it with `async for`.',
};

const fixTitles = {
  useAsyncFor: 'Use `async for`',
  asyncGeneratorExpression: 'Use `async for` (makes this an async generator expression)',
  asyncInComprehension: 'Use `async for` in the comprehension',
  asyncComprehension: 'Use an async comprehension: `{{shape}}`',
  collectFirst: 'Collect the items first: `{{consumer}}([... async for ...])`',
  awaitAnext: 'Use `await anext(...)`',
  useAiter: 'Use `aiter(...)`',
};

type Context = PythonRuleContext<keyof typeof messages, keyof typeof fixTitles>;

/** Builtins that consume a whole (sync) iterable, and how to rewrite them. */
const CONSUMERS: Readonly<Record<string, 'list' | 'set' | 'wrap' | 'wrap-unsafe' | 'next' | 'iter' | 'none'>> = {
  list: 'list',
  set: 'set',
  tuple: 'wrap',
  frozenset: 'wrap',
  sorted: 'wrap',
  sum: 'wrap',
  min: 'wrap',
  max: 'wrap',
  dict: 'wrap',
  any: 'wrap-unsafe',
  all: 'wrap-unsafe',
  next: 'next',
  iter: 'iter',
  enumerate: 'none',
  zip: 'none',
  map: 'none',
  filter: 'none',
};

function headRange(start: Node, end: Node) {
  return { start: start.startIndex, end: end.endIndex };
}

/** The comprehension text `item async for item in E` (or the generator's own clauses made async). */
function asyncComprehensionBody(argument: Node, ctx: Context): string {
  const node = unparenthesize(argument);
  if (node.type !== 'generator_expression') return `item async for item in ${argument.text}`;
  const inner = node.text.startsWith('(') && node.text.endsWith(')') ? { start: node.startIndex + 1, end: node.endIndex - 1 } : rangeOf(node);
  const edits = node.namedChildren
    .filter((clause): clause is Node => clause?.type === 'for_in_clause' && !hasAsyncKeyword(clause) && isAsyncValue(clause.childForFieldName('right'), ctx))
    .map((clause) => clause.startIndex - inner.start)
    .sort((a, b) => b - a);
  let text = ctx.source.slice(inner.start, inner.end);
  for (const at of edits) text = `${text.slice(0, at)}async ${text.slice(at)}`;
  return text;
}

function isAsyncValue(node: Node | null, ctx: Context): boolean {
  return !!node && ctx.facts.iterability(node).kind === 'async';
}

function consumerFix(call: Node, name: string, argument: Node, ctx: Context): Fix | undefined {
  const style = CONSUMERS[name];
  const args = call.childForFieldName('arguments');
  if (!args || !style || style === 'none') return undefined;
  const whole = rangeOf(call);
  const isGeneratorArgument = args.type === 'generator_expression';
  const replaceArgument = (text: string): TextEdit =>
    isGeneratorArgument ? { range: rangeOf(args), newText: `(${text})` } : { range: rangeOf(argument), newText: text };
  switch (style) {
    case 'list':
    case 'set': {
      if (!isGeneratorArgument && args.namedChildCount !== 1) return undefined;
      const body = asyncComprehensionBody(argument, ctx);
      const newText = style === 'list' ? `[${body}]` : `{${body}}`;
      return ctx.fix('asyncComprehension', 'safe', [{ range: whole, newText }], { shape: style === 'list' ? '[... async for ...]' : '{... async for ...}' });
    }
    case 'wrap':
    case 'wrap-unsafe': {
      const body = asyncComprehensionBody(argument, ctx);
      const edit = isGeneratorArgument ? { range: rangeOf(args), newText: `([${body}])` } : replaceArgument(`[${body}]`);
      return ctx.fix('collectFirst', style === 'wrap' ? 'safe' : 'unsafe', [edit], { consumer: name });
    }
    case 'next': {
      if (isGeneratorArgument) return undefined;
      const callee = call.childForFieldName('function')!;
      if (!ctx.facts.isBuiltin('anext', call)) return undefined;
      return ctx.fix('awaitAnext', 'safe', [
        { range: { start: call.startIndex, end: call.startIndex }, newText: 'await ' },
        { range: rangeOf(callee), newText: 'anext' },
      ]);
    }
    case 'iter': {
      if (isGeneratorArgument || !ctx.facts.isBuiltin('aiter', call)) return undefined;
      const callee = call.childForFieldName('function')!;
      return ctx.fix('useAiter', 'safe', [{ range: rangeOf(callee), newText: 'aiter' }]);
    }
    default:
      return undefined;
  }
}

export const syncIterationOverAsyncIterable = definePythonRule({
  meta: {
    code: 'AIT101',
    name: 'sync-iteration-over-async-iterable',
    language: 'python',
    defaultSeverity: 'error',
    summary: 'A synchronous loop, call or unpacking consumes an async iterable.',
    messages,
    fix: { availability: 'sometimes', safety: ['safe', 'unsafe'], titles: fixTitles },
  },
  create(ctx) {
    const topLevelAwait = ctx.settings.topLevelAwait ?? false;

    return {
      for_statement(node) {
        if (hasAsyncKeyword(node)) return;
        const right = node.childForFieldName('right');
        if (!right) return;
        const fact = ctx.facts.iterability(right);
        if (fact.kind !== 'async') return;
        const canFix = ctx.facts.isAsyncContext(node, topLevelAwait);
        ctx.report({
          at: headRange(node, right),
          messageId: canFix ? 'forLoop' : 'forLoopOutsideAsync',
          data: { what: fact.what },
          fixes: canFix ? [ctx.fix('useAsyncFor', 'safe', [insertAsync(node)])] : [],
        });
      },

      for_in_clause(node) {
        if (hasAsyncKeyword(node)) return;
        const right = node.childForFieldName('right');
        if (!right) return;
        const fact = ctx.facts.iterability(right);
        if (fact.kind !== 'async') return;
        const comprehension = node.parent;
        if (!comprehension) return;
        // `tuple(x for x in agen())`: rewrite the consumer call, not just the clause.
        const owner = comprehension.parent;
        const consumer = comprehension.type === 'generator_expression' && owner?.type === 'call' && owner.childForFieldName('arguments')?.id === comprehension.id
          ? owner.childForFieldName('function')
          : undefined;
        if (consumer?.type === 'identifier' && consumer.text in CONSUMERS && ctx.facts.isBuiltin(consumer.text, consumer)) {
          const fix = ctx.facts.isAsyncContext(node, topLevelAwait) ? consumerFix(owner!, consumer.text, comprehension, ctx) : undefined;
          ctx.report({
            at: headRange(node, right),
            messageId: 'generatorArgument',
            data: { consumer: consumer.text, what: fact.what },
            fixes: fix ? [fix] : [],
          });
          return;
        }
        const isGenerator = comprehension.type === 'generator_expression';
        const canFix = isGenerator || ctx.facts.isAsyncContext(node, topLevelAwait);
        ctx.report({
          at: headRange(node, right),
          messageId: 'comprehension',
          data: { what: fact.what },
          fixes: canFix
            ? [isGenerator ? ctx.fix('asyncGeneratorExpression', 'unsafe', [insertAsync(node)]) : ctx.fix('asyncInComprehension', 'safe', [insertAsync(node)])]
            : [],
        });
      },

      call(node) {
        const callee = node.childForFieldName('function');
        if (callee?.type !== 'identifier' || !(callee.text in CONSUMERS)) return;
        const args = node.childForFieldName('arguments');
        if (!args) return;
        const positional = args.type === 'generator_expression'
          ? [args]
          : args.namedChildren.filter((arg): arg is Node => !!arg && arg.type !== 'keyword_argument' && arg.type !== 'list_splat' && arg.type !== 'dictionary_splat' && arg.type !== 'comment');
        const consumed = callee.text === 'filter' || callee.text === 'map' ? positional.slice(1) : callee.text === 'next' || callee.text === 'iter' || callee.text === 'sum' ? positional.slice(0, 1) : positional;
        const argument = consumed.find((arg) => isAsyncValue(arg, ctx));
        if (!argument || !ctx.facts.isBuiltin(callee.text, callee)) return;
        const fact = ctx.facts.iterability(argument);
        const fix = ctx.facts.isAsyncContext(node, topLevelAwait) || CONSUMERS[callee.text] === 'iter' ? consumerFix(node, callee.text, argument, ctx) : undefined;
        ctx.report({
          at: node,
          messageId: callee.text === 'next' ? 'next' : 'consumer',
          data: { consumer: callee.text, what: fact.what },
          fixes: fix ? [fix] : [],
        });
      },

      list_splat(node) {
        const operand = node.firstNamedChild;
        if (!operand) return;
        const parent = node.parent;
        // tree-sitter reads `*agen()` as `(*agen)()`: judge the call.
        const isCallee = parent?.type === 'call' && parent.childForFieldName('function')?.id === node.id;
        const fact = isCallee ? ctx.facts.callResult(operand) : ctx.facts.iterability(operand);
        if (fact.kind !== 'async') return;
        ctx.report({ at: isCallee ? parent! : node, messageId: 'starUnpacking', data: { what: fact.what } });
      },

      comparison_operator(node) {
        // `x in agen()`: without `__contains__`, `in` falls back to `__iter__`. No fix: collecting
        // the items first would consume them all (or never end), where `in` stops at the first match.
        // In broken code, `for x in agen()` can parse as a comparison: report nothing there.
        for (let ancestor = node.parent; ancestor; ancestor = ancestor.parent) if (ancestor.type === 'ERROR') return;
        let operator: Node | undefined;
        for (const child of node.children) {
          if (!child || child.type === 'comment') continue;
          if (!child.isNamed) {
            operator = child;
            continue;
          }
          if (!operator || (operator.type !== 'in' && operator.type !== 'not in')) continue;
          const fact = ctx.facts.iterability(child);
          if (fact.kind !== 'async' || fact.mayContain) continue;
          ctx.report({ at: headRange(operator, child), messageId: 'membership', data: { operator: operator.type, what: fact.what } });
        }
      },

      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right || !['pattern_list', 'tuple_pattern', 'list_pattern'].includes(left.type)) return;
        const fact = ctx.facts.iterability(right);
        if (fact.kind !== 'async') return;
        ctx.report({ at: node, messageId: 'unpacking', data: { what: fact.what } });
      },
    };
  },
});
