import type { Node } from '../parser';
import { definePythonRule, rangeOf } from '../rule';
import { classOfMethod, functionName, isAsyncFunction, unparenthesize } from '../syntax';

const STOP_SIGNALS = new Set(['StopIteration', 'StopAsyncIteration']);
/** Exception classes whose handler would also catch a raised stop signal. */
const CATCHING_CLASSES = new Set([...STOP_SIGNALS, 'Exception', 'BaseException']);

/** The name raised by `raise Name` or `raise Name(...)`. */
function raisedName(statement: Node): Node | undefined {
  const first = statement.firstNamedChild;
  if (!first || statement.childForFieldName('cause')?.id === first.id) return undefined;
  const raised = unparenthesize(first);
  const name = raised.type === 'call' ? raised.childForFieldName('function') : raised;
  return name?.type === 'identifier' ? name : undefined;
}

function handlerCatchesStop(clause: Node): boolean {
  const value = clause.childForFieldName('value');
  if (!value) return true;
  const caught = value.type === 'as_pattern' ? value.firstNamedChild : value;
  if (!caught) return true;
  const names = caught.type === 'identifier' ? [caught] : caught.descendantsOfType('identifier');
  return names.some((name) => !!name && CATCHING_CLASSES.has(name.text));
}

/** Whether a `try` between the statement and its function catches what it raises, so it never escapes. */
function caughtLocally(statement: Node, fn: Node): boolean {
  let child = statement;
  for (let parent = statement.parent; parent && parent.id !== fn.id; child = parent, parent = parent.parent) {
    if (parent.type !== 'try_statement' || parent.childForFieldName('body')?.id !== child.id) continue;
    const handlers = parent.namedChildren.filter((clause): clause is Node => clause?.type === 'except_clause' || clause?.type === 'except_group_clause');
    if (handlers.some(handlerCatchesStop)) return true;
  }
  return false;
}

export const stopIterationInAsyncIterator = definePythonRule({
  meta: {
    code: 'AIT204',
    name: 'stop-iteration-in-async-iterator',
    language: 'python',
    defaultSeverity: 'error',
    summary: 'The wrong stop signal is raised inside an async iterator or async generator.',
    messages: {
      inAsyncGenerator: '`raise {{signal}}` inside the async generator `{{function}}()` does not end it: '
        + 'Python turns it into `RuntimeError: async generator raised {{signal}}`.',
      inAnext: '`raise StopIteration` inside `async def __anext__` does not end `async for`: '
        + 'Python turns it into `RuntimeError: coroutine raised StopIteration`; an async iterator signals its end with `StopAsyncIteration`.',
    },
    fix: {
      availability: 'sometimes',
      safety: ['safe'],
      titles: { returnInstead: 'Use `return` to end the async generator', raiseStopAsyncIteration: 'Raise `StopAsyncIteration`' },
    },
  },
  create(ctx) {
    return {
      raise_statement(statement) {
        const name = raisedName(statement);
        if (!name || !STOP_SIGNALS.has(name.text)) return;
        const fn = ctx.facts.functionOf(statement);
        if (!fn || !isAsyncFunction(fn) || !ctx.facts.isBuiltin(name.text, name) || caughtLocally(statement, fn)) return;
        if (ctx.facts.isGenerator(fn)) {
          ctx.report({
            at: statement,
            messageId: 'inAsyncGenerator',
            data: { signal: name.text, function: functionName(fn) ?? '' },
            fixes: [ctx.fix('returnInstead', 'safe', [{ range: rangeOf(statement), newText: 'return' }])],
          });
        } else if (name.text === 'StopIteration' && functionName(fn) === '__anext__' && classOfMethod(fn)) {
          ctx.report({
            at: statement,
            messageId: 'inAnext',
            fixes: ctx.facts.isBuiltin('StopAsyncIteration', statement)
              ? [ctx.fix('raiseStopAsyncIteration', 'safe', [{ range: rangeOf(name), newText: 'StopAsyncIteration' }])]
              : [],
          });
        }
      },
    };
  },
});
