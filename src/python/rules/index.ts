import type { PythonRule } from '../rule';
import { asyncIterationOutsideAsyncFunction } from './async-iteration-outside-async-function';
import { asyncIterationOverSyncIterable } from './async-iteration-over-sync-iterable';
import { syncIterationOverAsyncIterable } from './sync-iteration-over-async-iterable';
import { unawaitedAnext } from './unawaited-anext';

/** Every Python rule, in code order. The registry in src/engine/ lists their metadata. */
export const PYTHON_RULES: readonly PythonRule[] = [
  syncIterationOverAsyncIterable,
  asyncIterationOverSyncIterable,
  unawaitedAnext,
  asyncIterationOutsideAsyncFunction,
];
