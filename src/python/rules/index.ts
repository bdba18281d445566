import type { PythonRule } from '../rule';
import { syncIterationOverAsyncIterable } from './sync-iteration-over-async-iterable';

/** Every Python rule, in code order. The registry in src/engine/ lists their metadata. */
export const PYTHON_RULES: readonly PythonRule[] = [
  syncIterationOverAsyncIterable,
];
