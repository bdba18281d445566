import type { TextEdit } from '../../engine/types';
import { insertAwait } from '../edits';
import type { Node } from '../parser';
import { definePythonRule, type PythonRuleContext } from '../rule';
import { nextItemRequest } from '../semantic/next-item';
import { forEachOwnNode } from '../syntax';

/** Builtins that show a value: passing the awaitable to them is the bug, not a hand-off. */
const VALUE_CONSUMERS = new Set(['print', 'str', 'repr', 'len', 'int', 'float', 'bool', 'format']);

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

type NameUse = 'misused' | 'unused' | 'handed-off';

/**
 * For `item = anext(it)` in a function: whether `item` is only ever read as
 * an item (`misused`), never mentioned again (`unused`: the awaitable is
 * dropped), or awaited, returned or handed on somewhere (`handed-off`, also
 * whenever we cannot tell).
 */
function assignedAwaitableUse(name: Node, call: Node, assignment: Node, ctx: PythonRuleContext): NameUse {
  const binding = ctx.facts.singleBinding(name.text, name);
  if (binding?.kind !== 'assign' || binding.value?.id !== call.id) return 'handed-off';
  const scope = ctx.facts.scopeOf(assignment);
  let sawValueUse = false;
  let sawHandOff = false;
  forEachOwnNode(scope, (node) => {
    if (sawHandOff) return false;
    if (node.type === 'identifier' && node.text === name.text && node.id !== name.id) {
      const use = classifyUse(node, ctx);
      if (use === 'hand-off') sawHandOff = true;
      else if (use === 'value') sawValueUse = true;
    }
    return undefined;
  });
  if (sawHandOff) return 'handed-off';
  if (sawValueUse) return 'misused';
  return scope.type === 'function_definition' && !mentionedElsewhere(name, scope) ? 'unused' : 'handed-off';
}

/** Whether a function mentions `name` anywhere but at `name` (nested functions included), or may read it by name (`locals()`). */
function mentionedElsewhere(name: Node, fn: Node): boolean {
  const body = fn.childForFieldName('body');
  if (!body || /\b(?:locals|vars|eval|exec)\s*\(/.test(body.text)) return true;
  return body.descendantsOfType('identifier').some((identifier) => identifier?.text === name.text && identifier.id !== name.id);
}

/** Where the value of `node` goes: up through parentheses and the branches of `a if c else b`. */
function valueSite(node: Node): Node {
  let current = node;
  for (let parent = current.parent; parent; parent = current.parent) {
    const isBranch = parent.type === 'conditional_expression' && parent.namedChildren[1]?.id !== current.id;
    if (parent.type !== 'parenthesized_expression' && !isBranch) break;
    current = parent;
  }
  return current;
}

/** `await` before the call; `(await anext(it)).upper()` where a trailer follows, since `await` binds looser than one. */
function awaitEdits(call: Node): TextEdit[] {
  const parent = call.parent;
  const isTrailed = (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === call.id)
    || (parent?.type === 'subscript' && parent.childForFieldName('value')?.id === call.id)
    || (parent?.type === 'call' && parent.childForFieldName('function')?.id === call.id);
  if (!isTrailed) return [insertAwait(call)];
  return [
    { range: { start: call.startIndex, end: call.startIndex }, newText: '(await ' },
    { range: { start: call.endIndex, end: call.endIndex }, newText: ')' },
  ];
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
      usedAsItem: 'The next item is requested with {{request}} but never awaited: the awaitable is used as if it were the item.',
      neverAwaited: 'The next item is requested with {{request}} but never awaited: `{{name}}` holds the awaitable and nothing awaits it, so no item is fetched.',
    },
    fix: { availability: 'sometimes', safety: ['safe'], titles: { awaitItem: 'Await the next item' } },
  },
  create(ctx) {
    const topLevelAwait = ctx.settings.topLevelAwait ?? false;
    return {
      call(node) {
        const request = nextItemRequest(node, ctx.facts);
        if (!request) return;
        const site = valueSite(node);
        const parent = site.parent;
        let messageId: 'discarded' | 'heldAsItem' | 'usedAsItem' | 'neverAwaited';
        let assignedTo: Node | undefined;
        if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === site.id) {
          const left = parent.childForFieldName('left');
          // `self.pending = step = anext(it)`: stored elsewhere too.
          if (left?.type !== 'identifier' || site.id !== node.id || parent.parent?.type === 'assignment') return;
          const use = assignedAwaitableUse(left, node, parent, ctx);
          if (use === 'handed-off') return;
          messageId = use === 'misused' ? 'heldAsItem' : 'neverAwaited';
          assignedTo = left;
        } else if (parent?.type === 'expression_statement') {
          messageId = 'discarded';
        } else if (parent?.type !== 'boolean_operator' && classifyUse(site, ctx) === 'value') {
          // (`a or anext(it)` may pass the awaitable on: not judged.)
          messageId = 'usedAsItem';
        } else {
          return;
        }
        ctx.report({
          at: node,
          messageId,
          data: { request, ...(assignedTo ? { name: assignedTo.text } : {}) },
          fixes: ctx.facts.isAsyncContext(node, topLevelAwait) ? [ctx.fix('awaitItem', 'safe', awaitEdits(node))] : [],
        });
      },
    };
  },
});
