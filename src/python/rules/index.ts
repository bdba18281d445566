import type { PythonRule } from '../rule';
import { anextWithoutAiter } from './anext-without-aiter';
import { asyncIterationOutsideAsyncFunction } from './async-iteration-outside-async-function';
import { asyncIterationOverSyncIterable } from './async-iteration-over-sync-iterable';
import { blockingCallInAsyncIteration } from './blocking-call-in-async-iteration';
import { coroutineAiter } from './coroutine-aiter';
import { iteratorMethodMissingReturn } from './iterator-method-missing-return';
import { nonAsyncAnext } from './non-async-anext';
import { sequentialAwaitInLoop } from './sequential-await-in-loop';
import { sequentialCoroutineList } from './sequential-coroutine-list';
import { serialAsyncGenerator } from './serial-async-generator';
import { stopIterationInAsyncIterator } from './stop-iteration-in-async-iterator';
import { syncIterationOverAsyncIterable } from './sync-iteration-over-async-iterable';
import { unawaitedAnext } from './unawaited-anext';
import { unclosedAsyncGenerator } from './unclosed-async-generator';

/** Every Python rule, in code order. Each declares its own metadata; src/catalog composes them. */
export const PYTHON_RULES: readonly PythonRule[] = [
  syncIterationOverAsyncIterable,
  asyncIterationOverSyncIterable,
  unawaitedAnext,
  asyncIterationOutsideAsyncFunction,
  iteratorMethodMissingReturn,
  coroutineAiter,
  nonAsyncAnext,
  stopIterationInAsyncIterator,
  anextWithoutAiter,
  sequentialAwaitInLoop,
  serialAsyncGenerator,
  sequentialCoroutineList,
  blockingCallInAsyncIteration,
  unclosedAsyncGenerator,
];
