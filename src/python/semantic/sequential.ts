import { sequentialSite } from '../../engine/sequential';
import type { Node } from '../parser';
import { unparenthesize } from '../syntax';
import { analyzeLoop, innermostLoop, type AwaitSite, type LoopFlow } from './dataflow';
import type { PythonFacts } from './facts';
import { independentWork } from './independence';

/*
 * The misconception, decided on one loop (AIT301 for a loop that does not
 * yield, AIT302 for one in an async generator that does): the dependency
 * analysis (dataflow.ts) says what flows through and between iterations;
 * independence.ts says which awaited calls are independent work.
 */

/** The independent work a loop awaits one item at a time, or undefined when the loop is not (provably) that. */
export interface SequentialWork {
  readonly flow: LoopFlow;
  /** Where the first piece of work is awaited (the finding's range). */
  readonly site: AwaitSite;
}

/**
 * The misconception, decided: a loop whose every await is independent work
 * for its item (or a follow-up on what that work returned), with nothing
 * carried from one iteration to the next, no exit that depends on a result,
 * no retry, no pacing and no write to anything shared. Shared with AIT302,
 * which asks the same of a loop that yields.
 */
export function sequentialWork(loop: Node, facts: PythonFacts): SequentialWork | undefined {
  // Asked by AIT301 and AIT302 of the same loops: decided once per analysis.
  let decided = decisions.get(facts);
  if (!decided) decisions.set(facts, (decided = new Map()));
  if (!decided.has(loop.id)) decided.set(loop.id, decide(loop, facts));
  return decided.get(loop.id);
}

const decisions = new WeakMap<PythonFacts, Map<number, SequentialWork | undefined>>();

function decide(loop: Node, facts: PythonFacts): SequentialWork | undefined {
  // Without these words a loop awaits nothing (no `await`, `async for` or `async with`): most loops, skipped cheaply.
  if ((loop.type !== 'for_statement' && loop.type !== 'while_statement') || !/\b(?:await|async)\b/.test(loop.text)) return undefined;
  const flow = analyzeLoop(loop);
  const site = sequentialSite(flow, {
    // A nested `async for` is recorded as an await of this loop; its body's awaits are its own.
    ownSite: (candidate) => candidate.node.type !== 'for_statement' && candidate.node.type !== 'while_statement' && innermostLoop(candidate.node)?.id === loop.id,
    isWork: (candidate) => isWork(candidate, flow, facts),
    awaitsCall: (candidate) => unparenthesize(candidate.awaited).type === 'call',
  });
  return site ? { flow, site } : undefined;
}

function isWork(site: AwaitSite, flow: LoopFlow, facts: PythonFacts): boolean {
  const awaited = unparenthesize(site.awaited);
  if (awaited.type !== 'call') return false;
  if (site.kind === 'async with') return independentWork(awaited, facts) === 'request';
  return independentWork(awaited, facts) !== undefined || isPerItemRetrieval(awaited, flow);
}

/** Methods that retrieve something for the object they are called on: `file.download_to_drive()`, `user.fetch_profile()`. */
const RETRIEVAL = /^_?(?:fetch|download|load|refresh|retrieve|get_|read_|lookup|resolve)/;

/**
 * A retrieval on the item itself (its own file, its own record), not on a
 * shared object: `for file in files: await file.download()`. Receivers made
 * in this iteration only from the item qualify; a loop-invariant receiver
 * (`cache.fetch(key)`, `queue.get()`) never does.
 */
function isPerItemRetrieval(call: Node, flow: LoopFlow): boolean {
  const callee = call.childForFieldName('function');
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  const receiver = callee?.childForFieldName('object');
  if (!method || !receiver || !RETRIEVAL.test(method)) return false;
  const root = rootName(receiver);
  return root !== undefined && flow.items.has(root);
}

function rootName(expression: Node): string | undefined {
  let node = unparenthesize(expression);
  while (node.type === 'attribute' || node.type === 'subscript') {
    const inner = node.childForFieldName(node.type === 'attribute' ? 'object' : 'value');
    if (!inner) return undefined;
    node = unparenthesize(inner);
  }
  return node.type === 'identifier' ? node.text : undefined;
}
