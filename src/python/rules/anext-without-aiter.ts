import { insertMethodBefore } from '../edits';
import type { Node } from '../parser';
import { definePythonRule, type PythonRuleContext } from '../rule';
import { isProtocolClass } from '../semantic/classes';
import { CLASS_SHAPE_PRESERVING, onlyDecoratorsIn } from '../semantic/decorators';
import { classMembers, tokensAt, wordPattern } from '../syntax';

/** Whether `__aiter__` is named anywhere in the class body (a conditional definition, an assignment in a branch). */
function mentionsAiter(cls: Node, source: string): boolean {
  // The text test is cheap; the identifier test leaves out docstrings and comments that name it.
  if (!source.slice(cls.startIndex, cls.endIndex).includes('__aiter__')) return false;
  const body = cls.childForFieldName('body');
  return !!body && tokensAt(body, wordPattern('__aiter__')).some((token) => token.type === 'identifier');
}

/**
 * Whether the file iterates an instance of this top-level class with
 * `async for` (or `aiter()`): `async for x in Countdown(3)`, or a name
 * assigned from `Countdown(...)` (see `asyncIteratedClassNames`).
 */
function isVisiblyIterated(cls: Node, name: string, ctx: PythonRuleContext): boolean {
  const statement = cls.parent?.type === 'decorated_definition' ? cls.parent : cls;
  if (statement.parent?.id !== ctx.facts.root.id || !ctx.facts.asyncIteratedClassNames().has(name)) return false;
  const binding = ctx.facts.singleBinding(name, ctx.facts.root);
  return binding?.kind === 'class' && binding.node.id === cls.id;
}

export const anextWithoutAiter = definePythonRule({
  meta: {
    code: 'AIT205',
    name: 'anext-without-aiter',
    language: 'python',
    defaultSeverity: 'error',
    summary: 'A class defines `__anext__` but no `__aiter__`, so `async for` rejects it.',
    messages: {
      missingAiter: '`{{name}}` defines `__anext__` but no `__aiter__`: `async for` fails with '
        + '`TypeError: \'async for\' requires an object with __aiter__ method, got {{name}}`.',
      notAnIterator: '`{{name}}` defines `__anext__` but no `__aiter__`, so it is not an async iterator: '
        + '`anext()` works on it, but `async for` would fail with `TypeError: \'async for\' requires an object with __aiter__ method, got {{name}}`.',
    },
    fix: { availability: 'always', safety: ['safe'], titles: { addAiter: 'Add `__aiter__` returning `self`' } },
  },
  create(ctx) {
    return {
      class_definition(cls) {
        const nameNode = cls.childForFieldName('name');
        const anext = classMembers(cls).get('__anext__');
        if (!nameNode || anext?.type !== 'function_definition' || mentionsAiter(cls, ctx.source)) return;
        // `async for` only needs `__anext__` on what another class's `__aiter__` returns.
        if (ctx.facts.aiterReferencedNames().has(nameNode.text)) return;
        if (!onlyDecoratorsIn(cls, ctx.facts, CLASS_SHAPE_PRESERVING) || isProtocolClass(cls, ctx.facts)) return;
        // An unknown base class may well define `__aiter__`.
        const shape = ctx.facts.classShape(cls);
        if (!shape || shape.hasAiter) return;
        // An error only where it will fail: an instance is visibly iterated with `async for`.
        // Driven by `anext()` / `__anext__()` alone, it works: a hint that it is not an async iterator.
        const iterated = isVisiblyIterated(cls, nameNode.text, ctx);
        ctx.report({
          at: nameNode,
          messageId: iterated ? 'missingAiter' : 'notAnIterator',
          data: { name: nameNode.text },
          ...(iterated ? {} : { severity: 'hint' as const }),
          fixes: [ctx.fix('addAiter', 'safe', [insertMethodBefore(anext, ['def __aiter__(self):', 'return self'], ctx.source)])],
        });
      },
    };
  },
});
