import type { JsRule } from '../rule';
import { anextWithoutAiter } from './anext-without-aiter';
import { asyncIterationOutsideAsyncFunction } from './async-iteration-outside-async-function';
import { blockingCallInAsyncIteration } from './blocking-call-in-async-iteration';
import { forAwaitOverEagerPromises } from './for-await-over-eager-promises';
import { iteratorMethodMissingReturn } from './iterator-method-missing-return';
import { iteratorWithoutReturnMethod } from './iterator-without-return-method';
import { nextWithoutIteratorResult } from './next-without-iterator-result';
import { sequentialAwaitInLoop } from './sequential-await-in-loop';
import { serialAsyncGenerator } from './serial-async-generator';
import { syncIterationOverAsyncIterable } from './sync-iteration-over-async-iterable';
import { unawaitedAnext } from './unawaited-anext';

/** Every JavaScript/TypeScript rule, in code order. Each declares its own metadata. */
export const JS_RULES: readonly JsRule[] = [
  syncIterationOverAsyncIterable,
  forAwaitOverEagerPromises,
  unawaitedAnext,
  asyncIterationOutsideAsyncFunction,
  iteratorMethodMissingReturn,
  anextWithoutAiter,
  nextWithoutIteratorResult,
  iteratorWithoutReturnMethod,
  sequentialAwaitInLoop,
  serialAsyncGenerator,
  blockingCallInAsyncIteration,
];
