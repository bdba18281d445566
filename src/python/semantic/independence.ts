import type { Node } from '../parser';
import { forEachOwnNode, hasAsyncKeyword, isAsyncFunction, unparenthesize } from '../syntax';
import { classOfValue, memberOf } from './classes';
import type { PythonFacts } from './facts';

/*
 * "Is this awaited call a piece of independent work?" Most awaits in a loop
 * are deliberately one at a time: writes to one connection or stream,
 * reads from a queue, pacing, retries. This module says yes only on
 * evidence that a call does its own I/O and touches nothing shared:
 *   - a request on a known HTTP client (`session.get(url)` where `session`
 *     is visibly an `aiohttp.ClientSession` or an `httpx.AsyncClient`);
 *   - work handed to a thread or a subprocess (`asyncio.to_thread`,
 *     `loop.run_in_executor`, `asyncio.create_subprocess_exec`);
 *   - a local `async def` whose own code only does such work (or only
 *     sleeps, standing in for it), writes nothing shared, and paces
 *     nothing.
 * Anything else is "not known to be independent", and rules stay silent.
 */

/** Request methods of the HTTP clients below: each call is one request, independent of the others. */
const REQUEST_METHODS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream']);
const HTTP_CLIENTS: ReadonlySet<string> = new Set([
  'aiohttp.ClientSession', 'aiohttp.client.ClientSession', 'httpx.AsyncClient', 'httpx._client.AsyncClient',
]);
/** Calls that run their argument elsewhere (a thread, an executor, a subprocess): the caller only waits. */
const OFFLOADS: ReadonlySet<string> = new Set([
  'asyncio.to_thread', 'asyncio.create_subprocess_exec', 'asyncio.create_subprocess_shell', 'asyncio.open_connection',
]);
const SLEEPS: ReadonlySet<string> = new Set(['asyncio.sleep', 'anyio.sleep', 'trio.sleep']);
const MAX_DEPTH = 3;

export type WorkKind = 'request' | 'offload' | 'local';

/** Whether `receiver` is visibly one of the HTTP clients (by the call that made it or an annotation). */
function isHttpClient(receiver: Node, facts: PythonFacts): boolean {
  if (receiver.type !== 'identifier') return false;
  const binding = facts.singleBinding(receiver.text, receiver);
  if (!binding) return false;
  const madeBy = (value: Node | undefined) => {
    const call = value ? unparenthesize(value) : undefined;
    const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
    const qualified = callee ? facts.qualifiedName(callee) : undefined;
    return qualified !== undefined && HTTP_CLIENTS.has(qualified) && !hasStatefulHooks(call!);
  };
  const annotated = (annotation: Node | undefined) => {
    const type = annotation?.type === 'type' ? annotation.firstNamedChild : annotation;
    const qualified = type ? facts.qualifiedName(type) : undefined;
    return qualified !== undefined && HTTP_CLIENTS.has(qualified);
  };
  switch (binding.kind) {
    case 'with':
      return binding.isAsync && madeBy(binding.value);
    case 'assign':
      return annotated(binding.annotation) || madeBy(binding.value);
    case 'param':
      return annotated(binding.annotation);
    default:
      return false;
  }
}

/**
 * A client made with middlewares or event hooks (`ClientSession(middlewares=(digest_auth,))`,
 * `httpx.AsyncClient(event_hooks=...)`, `auth=` on httpx): code that runs around every request and may keep
 * state between them (a digest nonce, a token refresh), so requests through it are not known to be independent.
 */
function hasStatefulHooks(call: Node): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  return args.some((arg) => arg?.type === 'dictionary_splat' || (arg?.type === 'keyword_argument' && STATEFUL_HOOKS.has(arg.childForFieldName('name')?.text ?? '')));
}

const STATEFUL_HOOKS: ReadonlySet<string> = new Set(['middlewares', 'event_hooks', 'auth', 'trace_configs']);

/** `loop.run_in_executor(...)` on the running loop. */
function isExecutorCall(callee: Node, facts: PythonFacts): boolean {
  if (callee.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'run_in_executor') return false;
  const object = callee.childForFieldName('object');
  if (!object) return false;
  if (object.type === 'call') {
    const inner = object.childForFieldName('function');
    const qualified = inner ? facts.qualifiedName(inner) : undefined;
    return qualified === 'asyncio.get_running_loop' || qualified === 'asyncio.get_event_loop';
  }
  if (object.type !== 'identifier') return false;
  const binding = facts.singleBinding(object.text, object);
  const value = binding?.kind === 'assign' && binding.value ? unparenthesize(binding.value) : undefined;
  const inner = value?.type === 'call' ? value.childForFieldName('function') : undefined;
  const qualified = inner ? facts.qualifiedName(inner) : undefined;
  return qualified === 'asyncio.get_running_loop' || qualified === 'asyncio.get_event_loop';
}

/** The local `async def` a call runs (a function of this file, or a method of `self`'s class). */
function localAsyncFunction(callee: Node, facts: PythonFacts): Node | undefined {
  if (callee.type === 'identifier') {
    const binding = facts.singleBinding(callee.text, callee);
    return binding?.kind === 'def' && isAsyncFunction(binding.node) ? binding.node : undefined;
  }
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text;
    const owner = object && method ? classOfValue(object, facts) : undefined;
    const member = owner && method ? memberOf(owner, method, facts) : undefined;
    return member?.type === 'function_definition' && isAsyncFunction(member) ? member : undefined;
  }
  return undefined;
}

/** What kind of independent work awaiting this call is, or undefined when that is not known. */
export function independentWork(call: Node, facts: PythonFacts, depth = 0): WorkKind | undefined {
  const node = unparenthesize(call);
  if (node.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  if (!callee) return undefined;
  const qualified = facts.qualifiedName(callee);
  if (qualified !== undefined && OFFLOADS.has(qualified)) return 'offload';
  if (isExecutorCall(callee, facts)) return 'offload';
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text;
    if (object && method && REQUEST_METHODS.has(method) && isHttpClient(object, facts)) return 'request';
  }
  if (depth >= MAX_DEPTH) return undefined;
  const fn = localAsyncFunction(callee, facts);
  if (!fn || facts.isGenerator(fn) || !touchesNothingShared(fn, facts, depth)) return undefined;
  return 'local';
}

/**
 * Whether an `async def` (or an async generator, for `async for`) does only
 * independent work: every await in its own code is such work, a follow-up
 * on what that work returned, or a sleep standing in for work (never a
 * sleep beside real work: that is pacing); and it writes nothing that
 * outlives the call (no `global`/`nonlocal`, no attribute or item of a
 * parameter or outer name written, no such object changed in place).
 */
function touchesNothingShared(fn: Node, facts: PythonFacts, depth: number): boolean {
  const locals = new Set<string>();
  forEachOwnNode(fn, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier') locals.add(left.text);
    } else if (node.type === 'as_pattern') {
      const alias = node.childForFieldName('alias')?.firstNamedChild;
      if (alias?.type === 'identifier') locals.add(alias.text);
    } else if (node.type === 'for_statement') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier') locals.add(left.text);
    }
  });
  const isLocal = (expression: Node | null | undefined): boolean => {
    let root = expression ? unparenthesize(expression) : undefined;
    while (root && (root.type === 'attribute' || root.type === 'subscript' || root.type === 'call')) {
      root = root.type === 'call' ? root.childForFieldName('function') ?? undefined : (root.childForFieldName(root.type === 'attribute' ? 'object' : 'value') ?? undefined);
      if (root) root = unparenthesize(root);
    }
    return root?.type === 'identifier' && locals.has(root.text);
  };

  let shared = false;
  let sleeps = 0;
  let work = 0;
  forEachOwnNode(fn, (node) => {
    if (shared) return false;
    switch (node.type) {
      case 'global_statement':
      case 'nonlocal_statement':
        shared = true;
        return false;
      case 'assignment':
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        if (left && left.type !== 'identifier' && !(left.type === 'pattern_list' || left.type === 'tuple_pattern') && !isLocal(left)) shared = true;
        return undefined;
      }
      case 'call': {
        const callee = node.childForFieldName('function');
        const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
        if (method && MUTATING.has(method) && !isLocal(callee!.childForFieldName('object'))) shared = true;
        return undefined;
      }
      case 'await': {
        const awaited = node.firstNamedChild ? unparenthesize(node.firstNamedChild) : undefined;
        const callee = awaited?.type === 'call' ? awaited.childForFieldName('function') : undefined;
        const qualified = callee ? facts.qualifiedName(callee) : undefined;
        if (qualified !== undefined && SLEEPS.has(qualified)) sleeps++;
        else if (awaited && independentWork(awaited, facts, depth + 1)) work++;
        else if (!awaited || !isLocal(awaited)) shared = true;
        return false;
      }
      case 'for_statement':
        if (hasAsyncKeyword(node)) {
          const right = node.childForFieldName('right');
          if (right && isLocal(right)) return undefined;
          const generator = right?.type === 'call' ? localAsyncGenerator(right, facts) : undefined;
          if (!generator || depth + 1 >= MAX_DEPTH || !touchesNothingShared(generator, facts, depth + 1)) shared = true;
          else work++;
        }
        return undefined;
      case 'with_statement':
        if (hasAsyncKeyword(node)) {
          const clause = node.namedChildren.find((child) => child?.type === 'with_clause');
          for (const item of clause?.namedChildren ?? []) {
            const value = item?.childForFieldName('value');
            const source = value?.type === 'as_pattern' ? value.firstNamedChild : value;
            if (!source) continue;
            if (independentWork(source, facts, depth + 1) || isLocal(source) || makesHttpClient(source, facts)) work++;
            else shared = true;
          }
        }
        return undefined;
      default:
        return undefined;
    }
  });
  // Sleeping beside real work paces it; sleeping alone stands in for the work (examples, tests).
  return !shared && (work > 0 ? sleeps === 0 : sleeps > 0);
}

const MUTATING: ReadonlySet<string> = new Set([
  'append', 'appendleft', 'extend', 'extendleft', 'insert', 'add', 'update', 'setdefault', 'pop', 'popleft', 'popitem',
  'remove', 'discard', 'clear', 'sort', 'reverse', 'put', 'put_nowait', 'set', 'set_result', 'set_exception', 'write', 'writelines',
  'send', 'sendall', 'publish', 'emit', 'execute', 'executemany', 'commit', 'save', 'delete', 'insert_one', 'insert_many', 'update_one',
]);

function makesHttpClient(source: Node, facts: PythonFacts): boolean {
  const node = unparenthesize(source);
  const callee = node.type === 'call' ? node.childForFieldName('function') : undefined;
  const qualified = callee ? facts.qualifiedName(callee) : undefined;
  return qualified !== undefined && HTTP_CLIENTS.has(qualified);
}

/** The local async generator a call makes (for `async for x in gen(item)`). */
function localAsyncGenerator(call: Node, facts: PythonFacts): Node | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier') return undefined;
  const binding = facts.singleBinding(callee.text, callee);
  return binding?.kind === 'def' && isAsyncFunction(binding.node) && facts.isGenerator(binding.node) ? binding.node : undefined;
}

/** What the `async def`s of one unit tell `independentWork` in another (see `workSummary`). */
export interface WorkSummary {
  /** The names of the `async def`s (functions, methods, nested ones). */
  readonly names: readonly string[];
  /** By name: what `independentWork` may read of it (equal texts, equal answers). */
  readonly skeletons: ReadonlyMap<string, string>;
  /** The words those skeletons mention: the calls whose answers they in turn depend on. */
  readonly mentions: ReadonlySet<string>;
}

const NO_WORK: WorkSummary = { names: [], skeletons: new Map(), mentions: new Set() };
const WORDS = /[\p{L}_][\p{L}\p{N}_]*/gu;
const AWAITS = /\bawait\b|\basync\s+(?:for|with)\b/;

/**
 * What `independentWork` may read of the `async def`s under `node` when a
 * caller in another unit awaits one of them, as text: each one's awaited
 * expressions, `async for` sources and `async with` items, its
 * `global` / `nonlocal` statements, the targets other than plain names it
 * writes, the receivers it changes in place, and how the plain names those
 * mention are bound (the callee and annotation of their value: where a
 * client or an executor came from, or that a name is local). Typing
 * anywhere else in a body leaves it the same. The editor re-checks the
 * loops that name a function whose skeleton changed, and indexes the
 * scopes of the functions a re-checked loop may read.
 */
export function workSummary(node: Node, text: string = node.text): WorkSummary {
  // Without an await (or `async for` / `async with`), no `async def` here is work: the callers stay silent whatever else it does.
  if (!AWAITS.test(text)) return NO_WORK;
  const skeletons = new Map<string, string>();
  const mentions = new Set<string>();
  const functions = node.type === 'function_definition' ? [node, ...node.descendantsOfType('function_definition')] : node.descendantsOfType('function_definition');
  for (const fn of functions) {
    if (!fn || !isAsyncFunction(fn)) continue;
    const effects: string[] = [];
    const bindings: [string, string][] = [];
    const bind = (target: Node | null | undefined, how: string) => {
      if (target?.type === 'identifier') bindings.push([target.text, how]);
      else if (target) effects.push(`${target.text}=${how}`);
    };
    forEachOwnNode(fn, (inner) => {
      switch (inner.type) {
        case 'await':
        case 'global_statement':
        case 'nonlocal_statement':
          effects.push(inner.text);
          return undefined;
        case 'for_statement':
          if (hasAsyncKeyword(inner)) effects.push(`async for ${inner.childForFieldName('left')?.text ?? ''} in ${inner.childForFieldName('right')?.text ?? ''}`);
          else bind(inner.childForFieldName('left'), 'for');
          return undefined;
        case 'with_statement':
          if (hasAsyncKeyword(inner)) effects.push(`async with ${inner.namedChildren.find((child) => child?.type === 'with_clause')?.text ?? ''}`);
          return undefined;
        case 'as_pattern':
          bind(inner.childForFieldName('alias')?.firstNamedChild ?? inner.childForFieldName('alias'), 'as');
          return undefined;
        case 'assignment':
        case 'augmented_assignment': {
          const right = inner.childForFieldName('right');
          const value = right ? unparenthesize(right) : undefined;
          const callee = value?.type === 'call' ? value.childForFieldName('function')?.text ?? '' : '';
          bind(inner.childForFieldName('left'), `${inner.childForFieldName('type')?.text ?? ''}=${callee}`);
          return undefined;
        }
        case 'call': {
          const callee = inner.childForFieldName('function');
          const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
          if (method && MUTATING.has(method)) effects.push(callee!.text);
          return undefined;
        }
        default:
          return undefined;
      }
    });
    const mentioned = new Set(effects.join(' ').match(WORDS) ?? []);
    for (const word of mentioned) mentions.add(word);
    const bound = bindings.filter(([name]) => mentioned.has(name)).map(([name, how]) => `${name}:${how}`);
    const name = fn.childForFieldName('name')?.text ?? '';
    const skeleton = [...effects, ...bound].join('\u0005');
    skeletons.set(name, skeletons.has(name) ? `${skeletons.get(name)}\u0006${skeleton}` : skeleton);
  }
  return skeletons.size === 0 ? NO_WORK : { names: [...skeletons.keys()], skeletons, mentions };
}


/** The words of what `node` awaits (`await`, `async for`, `async with`): the calls `independentWork` may follow into other units. */
export function awaitedWords(node: Node, text: string = node.text): Set<string> {
  const words = new Set<string>();
  if (!AWAITS.test(text)) return words;
  for (const site of node.descendantsOfType(['await', 'for_statement', 'with_statement'])) {
    if (!site) continue;
    let text: string | undefined;
    if (site.type === 'await') text = site.text;
    else if (hasAsyncKeyword(site)) text = site.type === 'for_statement' ? site.childForFieldName('right')?.text : site.namedChildren.find((child) => child?.type === 'with_clause')?.text;
    for (const word of text?.match(WORDS) ?? []) words.add(word);
  }
  return words;
}
