import { addModuleImport } from '../edits';
import type { Node } from '../parser';
import { definePythonRule, rangeOf, type PythonRuleContext } from '../rule';
import { CALL_PRESERVING, METHOD_PRESERVING, onlyDecoratorsIn } from '../semantic/decorators';
import { classOfMethod, functionName, hasAsyncKeyword, inRepairedCode, isAsyncFunction, unparenthesize } from '../syntax';

/** Functions that block the thread until their work is done, by qualified name. */
const BLOCKING_FUNCTIONS: ReadonlySet<string> = new Set([
  'time.sleep',
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].map((method) => `requests.${method}`),
  'urllib.request.urlopen',
  'subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output',
  'os.system',
  'input',
]);
/** The HTTP methods of a `requests.Session`. */
const SESSION_METHODS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
const SESSION_CLASSES: ReadonlySet<string> = new Set(['requests.Session', 'requests.session', 'requests.sessions.Session']);
/** Methods of a file object from the builtin `open` that read or write it. */
const FILE_METHODS: ReadonlySet<string> = new Set(['read', 'readline', 'readlines', 'write', 'writelines']);
const OPEN_FUNCTIONS: ReadonlySet<string> = new Set(['open', 'io.open']);
/** The last name of a callee worth resolving: a cheap filter before any semantic question. */
const CANDIDATE_NAMES: ReadonlySet<string> = new Set([
  ...[...BLOCKING_FUNCTIONS].map((name) => name.slice(name.lastIndexOf('.') + 1)), ...SESSION_METHODS, ...FILE_METHODS,
]);
const COMPREHENSIONS: ReadonlySet<string> = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
/** An import of another async framework: there `asyncio.sleep` may not be the right sleep (under trio it fails). */
const OTHER_FRAMEWORK = /^[ \t]*(?:import|from)[ \t]+(?:trio|anyio|curio)\b/m;

type Context = PythonRuleContext<'blockingCall' | 'fileLoop', 'asyncioSleep'>;

/**
 * Whether `node` runs once per item of an async iteration, in the code that
 * owns it: the own code of an async generator (one that is called and
 * iterated: no decorator that makes it something else, such as
 * `@asynccontextmanager`) or of `async def __anext__`, or the body of an
 * `async for` loop or the element of an async comprehension. Says which.
 */
function iterationContext(node: Node, ctx: Context): string | undefined {
  const scope = ctx.facts.scopeOf(node);
  if (inRepairedCode(node, scope)) return undefined;
  if (isAsyncFunction(scope)) {
    const name = functionName(scope) ?? '';
    if (ctx.facts.isGenerator(scope) && onlyDecoratorsIn(scope, ctx.facts, CALL_PRESERVING)) return `the async generator \`${name}()\``;
    if (name === '__anext__' && classOfMethod(scope) && onlyDecoratorsIn(scope, ctx.facts, METHOD_PRESERVING)) return '`async def __anext__`';
  }
  let child = node;
  for (let parent = node.parent; parent && parent.id !== scope.id; child = parent, parent = parent.parent) {
    if (parent.type === 'for_statement' && hasAsyncKeyword(parent) && parent.childForFieldName('body')?.id === child.id) return 'an `async for` loop';
    if (COMPREHENSIONS.has(parent.type) && child.type !== 'for_in_clause'
      && parent.namedChildren.some((clause) => clause?.type === 'for_in_clause' && hasAsyncKeyword(clause))) return 'an async comprehension';
  }
  return undefined;
}

/** Whether `expression` is a call of the builtin `open`. */
function isOpenCall(expression: Node | undefined, ctx: Context): boolean {
  if (expression?.type !== 'call') return false;
  const callee = expression.childForFieldName('function');
  const qualified = callee ? ctx.facts.qualifiedName(callee) : undefined;
  return qualified !== undefined && OPEN_FUNCTIONS.has(qualified);
}

/** Whether `expression` is visibly a `requests` session: `requests.Session()`, or a name bound once to one. */
function isRequestsSession(expression: Node, ctx: Context): boolean {
  const value = valueOf(expression, ctx);
  if (value?.type !== 'call') return false;
  const callee = value.childForFieldName('function');
  const qualified = callee ? ctx.facts.qualifiedName(callee) : undefined;
  return qualified !== undefined && SESSION_CLASSES.has(qualified);
}

/** What an expression holds: itself, or for a name bound once by `=` or a plain `with ... as name`, what it was bound to. */
function valueOf(expression: Node, ctx: Context): Node | undefined {
  const node = unparenthesize(expression);
  if (node.type !== 'identifier') return node;
  const binding = ctx.facts.singleBinding(node.text, node);
  if (binding?.kind === 'assign') return binding.value ? unparenthesize(binding.value) : undefined;
  if (binding?.kind === 'with' && !binding.isAsync) return unparenthesize(binding.value);
  return undefined;
}

/** Whether `expression` is a file object from the builtin `open` (the call itself, or a name bound once to it). */
function isOpenFile(expression: Node, ctx: Context): boolean {
  return isOpenCall(valueOf(expression, ctx), ctx);
}

/** What a call blocks on, for the message: "`time.sleep()`"; undefined when it is not a known blocking call. */
function blockingCall(call: Node, ctx: Context): { what: string; qualified: string | undefined } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const last = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.type === 'identifier' ? callee.text : undefined;
  if (!last || !CANDIDATE_NAMES.has(last)) return undefined;
  const qualified = ctx.facts.qualifiedName(callee);
  if (qualified !== undefined && BLOCKING_FUNCTIONS.has(qualified)) return { what: `\`${qualified}()\``, qualified };
  const receiver = callee.type === 'attribute' ? callee.childForFieldName('object') : undefined;
  if (!receiver) return undefined;
  const shown = receiver.text.length <= 40 && !receiver.text.includes('\n') ? receiver.text : '…';
  if (SESSION_METHODS.has(last) && isRequestsSession(receiver, ctx)) return { what: `\`${shown}.${last}()\` on a \`requests.Session\``, qualified: undefined };
  if (FILE_METHODS.has(last) && isOpenFile(receiver, ctx)) return { what: `\`${shown}.${last}()\` on a file from \`open()\``, qualified: undefined };
  return undefined;
}

/**
 * `time.sleep(x);` → `await asyncio.sleep(x)`, for a call that is a
 * statement of its own where `await` is legal, when `asyncio` names the
 * module (imported already, or free and imported by the fix) and the file
 * imports no other async framework (trio, anyio, curio).
 */
function asyncioSleepFix(call: Node, ctx: Context) {
  const callee = call.childForFieldName('function');
  if (!callee || call.parent?.type !== 'expression_statement' || OTHER_FRAMEWORK.test(ctx.source)) return undefined;
  if (!ctx.facts.isAsyncContext(call, ctx.settings.topLevelAwait ?? false)) return undefined;
  const asyncio = ctx.facts.resolve('asyncio', call);
  const imported = typeof asyncio === 'object' && asyncio.bindings.length === 1 && asyncio.bindings[0]!.kind === 'module' && asyncio.bindings[0]!.module === 'asyncio';
  const addition = imported ? undefined : asyncio === 'builtin' ? addModuleImport(ctx.facts.root, 'asyncio') : undefined;
  if (!imported && !addition) return undefined;
  return ctx.fix('asyncioSleep', 'safe', [{ range: rangeOf(callee), newText: 'await asyncio.sleep' }, ...(addition ? [addition] : [])]);
}

export const blockingCallInAsyncIteration = definePythonRule({
  meta: {
    code: 'AIT401',
    name: 'blocking-call-in-async-iteration',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'A blocking call inside async iteration freezes the event loop.',
    messages: {
      blockingCall: '{{what}} blocks inside {{context}}: until it returns, the whole event loop is frozen, '
        + 'not just this loop, and every other task waits.',
      fileLoop: 'A plain `for` over {{file}} reads it with blocking calls inside {{context}}: '
        + 'while it reads, the whole event loop is frozen, not just this loop, and every other task waits.',
    },
    fix: { availability: 'sometimes', safety: ['safe'], titles: { asyncioSleep: 'Use `await asyncio.sleep()`' } },
  },
  create(ctx) {
    return {
      call(call) {
        let outer = call.parent;
        while (outer?.type === 'parenthesized_expression') outer = outer.parent;
        if (outer?.type === 'await') return;
        const blocking = blockingCall(call, ctx);
        if (!blocking) return;
        const context = iterationContext(call, ctx);
        if (!context) return;
        const fix = blocking.qualified === 'time.sleep' ? asyncioSleepFix(call, ctx) : undefined;
        ctx.report({ at: call, messageId: 'blockingCall', data: { what: blocking.what, context }, fixes: fix ? [fix] : [] });
      },
      for_statement(loop) {
        const iterable = loop.childForFieldName('right');
        if (hasAsyncKeyword(loop) || !iterable || !isOpenFile(iterable, ctx)) return;
        const context = iterationContext(loop, ctx);
        if (!context) return;
        const name = unparenthesize(iterable);
        const file = name.type === 'identifier' ? `the file \`${name.text}\` from \`open()\`` : 'a file from `open()`';
        ctx.report({ at: iterable, messageId: 'fileLoop', data: { file, context } });
      },
    };
  },
});
