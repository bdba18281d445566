import { insertAwait } from '../edits';
import type { Node } from '../parser';
import { definePythonRule, type PythonRuleContext } from '../rule';
import { forEachOwnNode } from '../syntax';

/** Builtins that show a value: passing the awaitable to them is the bug, not a hand-off. */
const VALUE_CONSUMERS = new Set(['print', 'str', 'repr', 'len', 'int', 'float', 'bool', 'format']);

/** `anext(it)` with the builtin, or `it.__anext__()`. */
function isNextItemRequest(call: Node, ctx: PythonRuleContext): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  if (callee.type === 'identifier') return callee.text === 'anext' && ctx.facts.isBuiltin('anext', callee);
  return callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === '__anext__';
}

/** Methods of the awaitable itself (coroutine / async generator step protocol). */
const AWAITABLE_METHODS = new Set(['send', 'throw', 'close', '__next__', '__await__', 'cr_frame', 'ag_frame']);

type Use = 'hand-off' | 'value' | 'neutral';

/**
 * How a name holding the awaitable is used. Awaiting it, returning it, or
 * passing it on (`create_task`, `wait_for`, a list) is legitimate; reading it
 * as if it were the item (`item.upper()`, `print(item)`, `item == x`) is the bug.
 */
function classifyUse(use: Node, ctx: PythonRuleContext): Use {
  const parent = use.parent;
  if (!parent) return 'neutral';
  switch (parent.type) {
    case 'await':
    case 'return_statement':
    case 'yield':
    case 'list':
    case 'tuple':
    case 'set':
    case 'pair':
    case 'assignment':
    case 'keyword_argument':
      return parent.type === 'assignment' && parent.childForFieldName('left')?.id === use.id ? 'neutral' : 'hand-off';
    case 'argument_list': {
      const callee = parent.parent?.childForFieldName('function');
      return callee?.type === 'identifier' && VALUE_CONSUMERS.has(callee.text) && ctx.facts.isBuiltin(callee.text, callee) ? 'value' : 'hand-off';
    }
    case 'attribute': {
      if (parent.childForFieldName('object')?.id !== use.id) return 'neutral';
      // `step.send(None)`: driving the awaitable by hand is using it as one.
      return AWAITABLE_METHODS.has(parent.childForFieldName('attribute')?.text ?? '') ? 'hand-off' : 'value';
    }
    case 'subscript':
    case 'binary_operator':
    case 'comparison_operator':
    case 'boolean_operator':
    case 'not_operator':
    case 'unary_operator':
    case 'interpolation':
    case 'if_statement':
    case 'while_statement':
      return 'value';
    default:
      return 'hand-off';
  }
}

/** For `item = anext(it)`: whether `item` is only ever read as an item, never awaited or handed on. */
function assignedAwaitableIsMisused(name: Node, assignment: Node, ctx: PythonRuleContext): boolean {
  const binding = ctx.facts.singleBinding(name.text, name);
  if (binding?.kind !== 'assign') return false;
  let sawValueUse = false;
  let sawHandOff = false;
  forEachOwnNode(ctx.facts.scopeOf(assignment), (node) => {
    if (sawHandOff) return false;
    if (node.type === 'identifier' && node.text === name.text && node.id !== name.id) {
      const use = classifyUse(node, ctx);
      if (use === 'hand-off') sawHandOff = true;
      else if (use === 'value') sawValueUse = true;
    }
    return undefined;
  });
  return sawValueUse && !sawHandOff;
}

export const unawaitedAnext = definePythonRule({
  meta: {
    code: 'AIT104',
    name: 'unawaited-anext',
    language: 'python',
    defaultSeverity: 'error',
    summary: 'The next item of an async iterator is requested but never awaited.',
    messages: {
      discarded: 'The next item is requested with {{request}} but never awaited: the result is thrown away and no item is fetched.',
      heldAsItem: 'The next item is requested with {{request}} but never awaited: `{{name}}` holds an awaitable, not the next item.',
    },
    fix: { availability: 'sometimes', safety: ['safe'], titles: { awaitItem: 'Await the next item' } },
  },
  create(ctx) {
    const topLevelAwait = ctx.settings.topLevelAwait ?? false;
    return {
      call(node) {
        if (!isNextItemRequest(node, ctx)) return;
        const parent = node.parent;
        let assignedTo: Node | undefined;
        if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
          const left = parent.childForFieldName('left');
          if (left?.type !== 'identifier' || !assignedAwaitableIsMisused(left, parent, ctx)) return;
          assignedTo = left;
        } else if (parent?.type !== 'expression_statement') {
          return;
        }
        const request = node.childForFieldName('function')?.type === 'identifier' ? '`anext(...)`' : '`__anext__()`';
        ctx.report({
          at: node,
          messageId: assignedTo ? 'heldAsItem' : 'discarded',
          data: { request, ...(assignedTo ? { name: assignedTo.text } : {}) },
          fixes: ctx.facts.isAsyncContext(node, topLevelAwait) ? [ctx.fix('awaitItem', 'safe', [insertAwait(node)])] : [],
        });
      },
    };
  },
});
