import type { RuleMeta } from './rule';
import type { InternalError } from './types';

/** A node handler, keyed by the node kind it wants to see. */
export type Handlers<N> = Partial<Record<string, (node: N) => void>>;

/** A rule as a frontend implements it: its metadata, and given its context, the handlers it needs. */
export interface RuleImplementation<Context, N> {
  readonly meta: RuleMeta;
  create(context: Context): Handlers<N>;
}

/** Calls `visit(kind, node)` for every node of one tree whose kind is wanted, in document order. */
export type Walk<N> = (wanted: ReadonlySet<string>, visit: (kind: string, node: N) => void) => void;

/**
 * Walks the tree once and hands each node to every enabled rule that asked for
 * its kind. A rule that throws is reported once as an internal error and
 * dropped for the rest of this file; every other rule keeps running.
 */
export function runRules<Context, N>(
  rules: readonly RuleImplementation<Context, N>[],
  contextFor: (meta: RuleMeta) => Context,
  walk: Walk<N>,
): InternalError[] {
  const errors: InternalError[] = [];
  const failed = new Set<string>();
  const byKind = new Map<string, { code: string; handle: (node: N) => void }[]>();

  const fail = (code: string, error: unknown) => {
    failed.add(code);
    errors.push({ code, message: describe(error) });
  };

  for (const rule of rules) {
    const { code } = rule.meta;
    let handlers: Handlers<N>;
    try {
      handlers = rule.create(contextFor(rule.meta));
    } catch (error) {
      fail(code, error);
      continue;
    }
    for (const [kind, handle] of Object.entries(handlers)) {
      if (!handle) continue;
      let list = byKind.get(kind);
      if (!list) byKind.set(kind, (list = []));
      list.push({ code, handle });
    }
  }
  if (byKind.size === 0) return errors;

  walk(new Set(byKind.keys()), (kind, node) => {
    const list = byKind.get(kind);
    if (!list) return;
    for (const { code, handle } of list) {
      if (failed.has(code)) continue;
      try {
        handle(node);
      } catch (error) {
        fail(code, error);
      }
    }
  });
  return errors;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const frame = error.stack?.split('\n').find((line) => line.trim().startsWith('at '))?.trim();
    return frame ? `${error.message} (${frame})` : error.message;
  }
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
