import type { Fix } from '../../engine/types';
import { hasOnlyNeutralDecorators } from '../flow';
import type { PythonRule } from '../rule';
import { asyncKeyword, classOfMethod, functionName, usesAwait } from '../syntax';

export const coroutineAiter: PythonRule = {
  code: 'AIT202',
  create(ctx) {
    return {
      function_definition(fn) {
        const keyword = asyncKeyword(fn);
        const nameNode = fn.childForFieldName('name');
        if (!keyword || !nameNode || functionName(fn) !== '__aiter__') return;
        if (!classOfMethod(fn) || !hasOnlyNeutralDecorators(fn) || ctx.facts.isGenerator(fn)) return;
        const def = keyword.nextSibling;
        const awaits = usesAwait(fn);
        // Without `await` in the body, the plain method returns exactly what the coroutine resolved to.
        const fixes: Fix[] = def && !awaits
          ? [{ title: 'Remove `async`', safety: 'safe', edits: [{ range: { start: keyword.startIndex, end: def.startIndex }, newText: '' }] }]
          : [];
        ctx.report({
          at: nameNode,
          message: '`async def __aiter__` returns a coroutine, not an async iterator: `async for` fails with '
            + '`TypeError: \'async for\' received an object from __aiter__ that does not implement __anext__: coroutine`.'
            + (awaits ? ' It awaits, so removing `async` is not enough: do the waiting in `__anext__`, or make `__aiter__` an async generator that `yield`s.' : ''),
          fixes,
        });
      },
    };
  },
};
