import type { RuleMeta } from './types';

/**
 * The single list of rules. Codes are stable; names describe the misuse.
 * Each language frontend implements the codes listed for its language, and a
 * test checks that the two agree.
 */
export const RULES: readonly RuleMeta[] = [
  {
    code: 'AIT101', name: 'sync-iteration-over-async-iterable', languages: ['python', 'javascript'],
    defaultSeverity: 'error', summary: 'A synchronous loop, call or unpacking consumes an async iterable.',
  },
  {
    code: 'AIT102', name: 'async-iteration-over-sync-iterable', languages: ['python'],
    defaultSeverity: 'error', summary: '`async for` over a list, range, dict or other synchronous iterable.',
  },
  {
    code: 'AIT103', name: 'for-await-over-eager-promises', languages: ['javascript'],
    defaultSeverity: 'warning', summary: '`for await` over an array of already-started promises.',
  },
  {
    code: 'AIT104', name: 'unawaited-anext', languages: ['python', 'javascript'],
    defaultSeverity: 'error', summary: 'The next item of an async iterator is requested but never awaited.',
  },
  {
    code: 'AIT105', name: 'async-iteration-outside-async-function', languages: ['python', 'javascript'],
    defaultSeverity: 'error', summary: 'Async iteration outside an `async` function is a syntax error.',
  },
  {
    code: 'AIT201', name: 'iterator-method-missing-return', languages: ['python', 'javascript'],
    defaultSeverity: 'error', summary: '`__aiter__` / `__iter__` can end without returning an iterator.',
  },
  {
    code: 'AIT202', name: 'coroutine-aiter', languages: ['python'],
    defaultSeverity: 'error', summary: '`async def __aiter__` without `yield` returns a coroutine, not an iterator.',
  },
  {
    code: 'AIT203', name: 'non-async-anext', languages: ['python'],
    defaultSeverity: 'error', summary: '`__anext__` is a plain method that returns no awaitable.',
  },
  {
    code: 'AIT204', name: 'stop-iteration-in-async-iterator', languages: ['python'],
    defaultSeverity: 'error', summary: 'The wrong stop signal is raised inside an async iterator or async generator.',
  },
  {
    code: 'AIT205', name: 'anext-without-aiter', languages: ['python', 'javascript'],
    defaultSeverity: 'error', summary: 'A class defines `__anext__` but no `__aiter__`, so `async for` rejects it.',
  },
  {
    code: 'AIT206', name: 'next-without-iterator-result', languages: ['javascript'],
    defaultSeverity: 'error', summary: 'An iterator\'s `next()` can return something other than `{ value, done }`.',
  },
  {
    code: 'AIT207', name: 'iterator-without-return-method', languages: ['javascript'],
    defaultSeverity: 'hint', summary: 'A hand-written async iterator holding a resource has no `return()`.',
  },
  {
    code: 'AIT301', name: 'sequential-await-in-loop', languages: ['python', 'javascript'],
    defaultSeverity: 'warning', summary: 'A loop awaits independent work one item at a time.',
  },
  {
    code: 'AIT302', name: 'serial-async-generator', languages: ['python', 'javascript'],
    defaultSeverity: 'hint', summary: 'An async generator awaits independent work before each `yield`.',
  },
  {
    code: 'AIT303', name: 'sequential-coroutine-list', languages: ['python'],
    defaultSeverity: 'warning', summary: 'Coroutines created in a list are awaited one by one.',
  },
  {
    code: 'AIT401', name: 'blocking-call-in-async-iteration', languages: ['python', 'javascript'],
    defaultSeverity: 'warning', summary: 'A blocking call inside async iteration freezes the event loop.',
  },
  {
    code: 'AIT402', name: 'unclosed-async-generator', languages: ['python'],
    defaultSeverity: 'warning', summary: 'Leaving `async for` early defers the async generator\'s cleanup to garbage collection.',
  },
];

const byCode = new Map(RULES.map((rule) => [rule.code, rule]));

export function ruleByCode(code: string): RuleMeta | undefined {
  return byCode.get(code);
}

/** Where a rule's documentation lives, relative to the package root. */
export function docsPath(rule: RuleMeta): string {
  return `docs/rules/${rule.code}.md`;
}
