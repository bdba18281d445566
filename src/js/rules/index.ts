import type { JsRule } from '../rule';
import { syncIterationOverAsyncIterable } from './sync-iteration-over-async-iterable';

/** Every JavaScript/TypeScript rule, in code order. Each declares its own metadata. */
export const JS_RULES: readonly JsRule[] = [
  syncIterationOverAsyncIterable,
];
