import { removeAsync } from '../edits';
import { definePythonRule } from '../rule';
import { hasOnlyNeutralDecorators } from '../semantic/methods';
import { classOfMethod, functionName, hasAsyncKeyword, usesAwait } from '../syntax';

export const coroutineAiter = definePythonRule({
  meta: {
    code: 'AIT202',
    name: 'coroutine-aiter',
    language: 'python',
    defaultSeverity: 'error',
    summary: '`async def __aiter__` without `yield` returns a coroutine, not an iterator.',
    messages: {
      coroutine: '`async def __aiter__` returns a coroutine, not an async iterator: `async for` fails with '
        + '`TypeError: \'async for\' received an object from __aiter__ that does not implement __anext__: coroutine`.',
      coroutineThatAwaits: '`async def __aiter__` returns a coroutine, not an async iterator: `async for` fails with '
        + '`TypeError: \'async for\' received an object from __aiter__ that does not implement __anext__: coroutine`.'
        + ' It awaits, so removing `async` is not enough: do the waiting in `__anext__`, or make `__aiter__` an async generator that `yield`s.',
    },
    fix: { availability: 'sometimes', safety: ['safe'], titles: { removeAsync: 'Remove `async`' } },
  },
  create(ctx) {
    return {
      function_definition(fn) {
        const nameNode = fn.childForFieldName('name');
        if (!hasAsyncKeyword(fn) || !nameNode || functionName(fn) !== '__aiter__') return;
        if (!classOfMethod(fn) || !hasOnlyNeutralDecorators(fn, ctx.facts) || ctx.facts.isGenerator(fn)) return;
        const awaits = usesAwait(fn);
        // Without `await` in the body, the plain method returns exactly what the coroutine resolved to.
        const edit = awaits ? undefined : removeAsync(fn, ctx.source);
        ctx.report({
          at: nameNode,
          messageId: awaits ? 'coroutineThatAwaits' : 'coroutine',
          fixes: edit ? [ctx.fix('removeAsync', 'safe', [edit])] : [],
        });
      },
    };
  },
});
