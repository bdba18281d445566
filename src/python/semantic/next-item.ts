import type { Node } from '../parser';
import { forEachOwnNode, isAsyncFunction, tokensAt, unparenthesize, wordPattern } from '../syntax';
import { CALL_PRESERVING, onlyDecoratorsIn } from './decorators';
import type { PythonFacts } from './facts';
import { byNodeText } from './text-cache';

/*
 * "Does this call request the next item?": `anext(it)`, `it.__anext__()`, or
 * a call of a local plain function that always returns one of those
 * (`def peek(it): return anext(it)`). What any of them gives is an awaitable
 * that fetches the item, not the item (AIT104).
 */

type RequestForm = 'anext' | '__anext__';

/** `anext(...)` or `x.__anext__()` as written, without resolving names. */
function requestForm(node: Node): RequestForm | undefined {
  if (node.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  if (callee?.type === 'identifier' && callee.text === 'anext') return 'anext';
  if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === '__anext__') return '__anext__';
  return undefined;
}

/**
 * The values of a plain function's own `return` statements, when every one
 * of them is `anext(...)` / `x.__anext__()` and the body ends with a
 * `return` (so no path falls off the end with `None`); undefined otherwise.
 * Syntax only: `nextItemRequest` resolves the names.
 */
function nextItemReturns(fn: Node, isGenerator: (fn: Node) => boolean): Node[] | undefined {
  if (fn.type !== 'function_definition' || isAsyncFunction(fn)) return undefined;
  const statements = fn.childForFieldName('body')?.namedChildren.filter((statement): statement is Node => !!statement && statement.type !== 'comment') ?? [];
  if (statements[statements.length - 1]?.type !== 'return_statement' || isGenerator(fn)) return undefined;
  const values: Node[] = [];
  let allRequests = true;
  forEachOwnNode(fn, (node) => {
    if (!allRequests) return false;
    if (node.type !== 'return_statement') return undefined;
    const value = node.firstNamedChild ? unparenthesize(node.firstNamedChild) : undefined;
    if (value && requestForm(value)) values.push(value);
    else allRequests = false;
    return false;
  });
  return allRequests && values.length > 0 ? values : undefined;
}

/**
 * What the calls of `fn` elsewhere in the file may learn from its body (for
 * `unitInterface`, which passes `hasOwnYield`): its whole text when it may
 * return only next-item requests, so that any change to it is seen; nothing
 * otherwise.
 */
export function nextItemReturnerText(fn: Node, isGenerator: (fn: Node) => boolean): string {
  return nextItemReturns(fn, isGenerator) ? fn.text : '';
}

const returnerCache = new WeakMap<PythonFacts, Map<number, string | undefined>>();

/** For a local plain function that always returns a next-item request: how to say so. */
function nextItemReturner(fn: Node, facts: PythonFacts): string | undefined {
  let cache = returnerCache.get(facts);
  if (!cache) returnerCache.set(facts, (cache = new Map()));
  if (cache.has(fn.id)) return cache.get(fn.id);
  let answer: string | undefined;
  const values = onlyDecoratorsIn(fn, facts, CALL_PRESERVING) ? nextItemReturns(fn, (candidate) => facts.isGenerator(candidate)) : undefined;
  if (values && values.every((value) => requestForm(value) === '__anext__' || facts.isBuiltin('anext', value))) {
    answer = values.every((value) => requestForm(value) === '__anext__') ? '`__anext__()`' : '`anext(...)`';
  }
  cache.set(fn.id, answer);
  return answer;
}

const returnerNamesCache = new WeakMap<PythonFacts, ReadonlySet<string>>();

/**
 * The names of the functions that may return next-item requests: only one
 * whose own body writes `anext` or `__anext__` can. Found from the text, so
 * that calls of other functions (nearly all of them) are not resolved.
 */
function returnerNames(facts: PythonFacts): ReadonlySet<string> {
  let names = returnerNamesCache.get(facts);
  if (!names) {
    names = new Set(facts.root.namedChildren.flatMap((statement) => (statement ? requestWritersIn(statement) : [])));
    returnerNamesCache.set(facts, names);
  }
  return names;
}

const requestWritersIn = byNodeText(enclosingFunctionNames);

/** The names of the functions around each `anext` / `__anext__` written in `statement`. */
function enclosingFunctionNames(statement: Node): string[] {
  const names: string[] = [];
  for (const token of tokensAt(statement, wordPattern('anext', '__anext__'))) {
    for (let node = token.parent; node; node = node.parent) {
      if (node.type !== 'function_definition') continue;
      const name = node.childForFieldName('name')?.text;
      if (name && !names.includes(name)) names.push(name);
      break;
    }
  }
  return names;
}

/**
 * How a call that requests the next item is described in messages
 * ("`anext(...)`", "`peek()`, which returns `anext(...)`"), or undefined
 * when the call is not one: `anext` is not the builtin, or the callee is not
 * a local plain function whose every return is such a request.
 */
export function nextItemRequest(call: Node, facts: PythonFacts): string | undefined {
  const form = requestForm(call);
  const callee = call.childForFieldName('function');
  if (form === 'anext') return facts.isBuiltin('anext', callee!) ? '`anext(...)`' : undefined;
  if (form === '__anext__') return '`__anext__()`';
  if (callee?.type !== 'identifier' || !returnerNames(facts).has(callee.text)) return undefined;
  const binding = facts.singleBinding(callee.text, callee);
  const returns = binding?.kind === 'def' ? nextItemReturner(binding.node, facts) : undefined;
  return returns ? `\`${callee.text}()\`, which returns ${returns},` : undefined;
}
