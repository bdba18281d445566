import type * as ts from 'typescript';
import { sequentialSite, type AwaitSite } from '../engine/sequential';
import { analyzeLoop, freeReads, innermostLoop, isLoop, outerWrites, type JsLoop, type JsLoopFlow } from './dataflow';
import { skipOuter, type JsFacts } from './facts';
import { independentWork } from './independence';
import type { TypeScript } from './rule';

/*
 * The misconception, decided on one JS/TS loop (AIT301 for a loop that does
 * not yield, AIT302 for one in an async generator that does): dataflow.ts
 * says what flows through and between iterations, independence.ts which
 * awaited calls are independent work, and the engine's `sequentialSite`
 * decides, as it does for Python.
 */

/** The independent work a loop awaits one item at a time. */
export interface SequentialWork {
  readonly flow: JsLoopFlow;
  /** Where the first piece of work is awaited (the finding's range). */
  readonly site: AwaitSite<ts.Node>;
}

// Asked by AIT301 and AIT302 of the same loops: decided once per analysis.
const decisions = new WeakMap<JsFacts, Map<ts.Node, SequentialWork | undefined>>();

/** The independent work `loop` awaits one item at a time, or undefined when the loop is not (provably) that. */
export function sequentialWork(loop: ts.Node, facts: JsFacts): SequentialWork | undefined {
  let decided = decisions.get(facts);
  if (!decided) decisions.set(facts, (decided = new Map()));
  if (!decided.has(loop)) decided.set(loop, decideWithinStack(loop, facts));
  return decided.get(loop);
}

/**
 * How deep a loop's syntax tree may go (a `+` chain of hundreds of terms,
 * hundreds of nested blocks) before the analysis, which recurses, declines it.
 */
const MAX_LOOP_DEPTH = 250;

/** The decision, silent for a loop nested too deeply to analyse (or whose helpers are): the stack is the host's, and may be small. */
function decideWithinStack(loop: ts.Node, facts: JsFacts): SequentialWork | undefined {
  const { ts, sourceFile } = facts;
  if (!isLoop(ts, loop)) return undefined;
  // Most loops await nothing: look for the word before walking anything (the depth check walks the whole loop).
  const at = sourceFile.text.indexOf('await', loop.statement.pos);
  if (at < 0 || at >= loop.statement.end) return undefined;
  if (deeperThan(ts, loop, MAX_LOOP_DEPTH)) return undefined;
  try {
    return decide(loop, facts);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Whether the tree under `root` is more than `limit` levels deep, found without recursion. */
function deeperThan(ts: TypeScript, root: ts.Node, limit: number): boolean {
  const stack: [ts.Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    ts.forEachChild(node, (child) => {
      stack.push([child, depth + 1]);
    });
  }
  return false;
}

function decide(loop: JsLoop, facts: JsFacts): SequentialWork | undefined {
  const { ts } = facts;
  if (!facts.canAwait(loop)) return undefined;
  if (atMostOneItem(ts, loop) || inDynamicScope(loop, facts)) return undefined;
  const flow = analyzeLoop(ts, loop);
  const site = sequentialSite(flow, {
    ownSite: (candidate) => innermostLoop(ts, candidate.node) === loop,
    isWork: (candidate) => independentWork(candidate.awaited as ts.Expression, facts) !== undefined,
    awaitsCall: (candidate) => isFollowUpCall(candidate.awaited as ts.Expression, loop, facts),
  });
  if (!site || readsLoopWritesThroughCall(flow, facts)) return undefined;
  return { flow, site };
}

/** How deep calls of local functions are followed for what they read. */
const MAX_CALL_DEPTH = 3;

/**
 * Whether an awaited expression calls a function of this file whose code
 * reads a name the loop's body writes (`await fetch(pageUrl(id))` with
 * `page++` in the body, `await fetch(state.url(id))` with `state.n++`): a
 * value carried from one iteration to the next that the loop's own
 * dataflow, which does not look into calls, cannot see.
 */
function readsLoopWritesThroughCall(flow: JsLoopFlow, facts: JsFacts): boolean {
  const { ts } = facts;
  const written = outerWrites(ts, flow.loop);
  for (const name of flow.items) written.delete(name);
  if (written.size === 0) return false;
  const seen = new Set<ts.Node>();
  const reads = (node: ts.Node, depth: number): boolean => {
    if (ts.isFunctionLike(node) && depth === 0) return false;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = skipOuter(ts, node.expression);
      let receiver = callee;
      while (ts.isPropertyAccessExpression(receiver) || ts.isElementAccessExpression(receiver)) receiver = skipOuter(ts, receiver.expression);
      // A method of an object the loop changes may read what it changed.
      if (receiver !== callee && (ts.isIdentifier(receiver) || receiver.kind === ts.SyntaxKind.ThisKeyword) && written.has(ts.isIdentifier(receiver) ? receiver.text : 'this')) return true;
      const fn = depth < MAX_CALL_DEPTH ? facts.resolveValue(callee, 0) : undefined;
      if (fn && !seen.has(fn)) {
        seen.add(fn);
        for (const name of freeReads(ts, fn)) if (written.has(name)) return true;
        const body = (fn as ts.FunctionLikeDeclaration).body;
        if (body && reads(body, depth + 1)) return true;
      }
    }
    return ts.forEachChild(node, (child) => reads(child, depth) || undefined) ?? false;
  };
  return flow.awaits.some((site) => reads(site.awaited as ts.Node, 0));
}

/**
 * A loop inside `with (o)`, or in a function (or file) that calls `eval`
 * directly: any name in it may be something else than its declaration says
 * (`o.fetch`, a `var fetch` the evaluated code declares).
 */
function inDynamicScope(loop: ts.Node, facts: JsFacts): boolean {
  const { ts } = facts;
  for (let current = loop.parent; current; current = current.parent) if (ts.isWithStatement(current)) return true;
  return evalScopes(facts).some((scope) => scope.pos <= loop.pos && loop.end <= scope.end);
}

// The functions (or the file) that call `eval` directly, found once per analysis.
const evalScopesOf = new WeakMap<JsFacts, readonly ts.Node[]>();

function evalScopes(facts: JsFacts): readonly ts.Node[] {
  const { ts, sourceFile } = facts;
  let scopes = evalScopesOf.get(facts);
  if (scopes) return scopes;
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'eval' && facts.isUndeclared(node.expression)) {
      found.push(facts.enclosingFunction(node) ?? sourceFile);
    }
    ts.forEachChild(node, visit);
  };
  if (/\beval\b/.test(sourceFile.text)) visit(sourceFile);
  evalScopesOf.set(facts, (scopes = found));
  return scopes;
}

/**
 * A `for…of` / `for await` over an array literal of at most one element and
 * no spread: nothing waits for anything (a list kept for symmetry, or left
 * with one entry).
 */
function atMostOneItem(ts: TypeScript, loop: ts.Node): boolean {
  if (!ts.isForOfStatement(loop)) return false;
  const items = skipOuter(ts, loop.expression);
  return ts.isArrayLiteralExpression(items) && items.elements.length <= 1 && !items.elements.some((element) => ts.isSpreadElement(element));
}

/**
 * A method call on what this iteration's work returned (`response.json()`,
 * `(await fetch(url)).text()`): its receiver holds an `await` or is a
 * variable the loop's body declares from one. Handing an awaited value to
 * anything else (`await writeFile(out, await response.text())`, `await
 * stream.write(body)`) may be a write to a shared sink: not a follow-up.
 */
function isFollowUpCall(awaited: ts.Expression, loop: JsLoop, facts: JsFacts): boolean {
  const { ts } = facts;
  const call = skipOuter(ts, awaited);
  if (!ts.isCallExpression(call)) return false;
  let receiver = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(receiver) && !ts.isElementAccessExpression(receiver)) return false;
  receiver = skipOuter(ts, receiver.expression);
  while (ts.isPropertyAccessExpression(receiver) || ts.isElementAccessExpression(receiver) || ts.isCallExpression(receiver)) receiver = skipOuter(ts, receiver.expression);
  if (ts.isAwaitExpression(receiver)) return true;
  if (!ts.isIdentifier(receiver)) return false;
  let declaration = facts.declarationOf(receiver);
  while (declaration && ts.isBindingElement(declaration)) declaration = declaration.parent.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  if (declaration.pos < loop.statement.pos || declaration.end > loop.statement.end) return false;
  return containsAwait(ts, declaration.initializer);
}

function containsAwait(ts: JsFacts['ts'], node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, (child) => containsAwait(ts, child) || undefined) ?? false;
}
