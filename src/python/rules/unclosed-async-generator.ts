import type { TextEdit } from '../../engine/types';
import { addImport } from '../edits';
import type { Node } from '../parser';
import { definePythonRule, rangeOf, type PythonRuleContext } from '../rule';
import { pendingCleanup, type PendingCleanup } from '../semantic/cleanup';
import { CALL_PRESERVING, onlyDecoratorsIn } from '../semantic/decorators';
import { resolveExport } from '../semantic/exports';
import { functionName, hasAsyncKeyword, indentationOf, inRepairedCode, isAsyncFunction, unparenthesize } from '../syntax';

type Context = PythonRuleContext<'leftEarly', 'aclosing'>;

const NESTED_CODE: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition']);
const LOOPS: ReadonlySet<string> = new Set(['for_statement', 'while_statement']);
const EXIT_WORDS: Readonly<Record<string, string>> = { break_statement: 'break', return_statement: 'return', raise_statement: 'raise' };
const KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'match', 'case', 'type', '_',
]);

/** An async generator whose cleanup is pending while it is suspended: its name and what it owes. */
interface Generator {
  readonly name: string;
  readonly cleanup: PendingCleanup;
}

function localGenerator(fn: Node, ctx: Context): Generator | undefined {
  if (!isAsyncFunction(fn) || !ctx.facts.isGenerator(fn) || !onlyDecoratorsIn(fn, ctx.facts, CALL_PRESERVING)) return undefined;
  const cleanup = pendingCleanup(fn);
  return cleanup ? { name: functionName(fn) ?? 'generator', cleanup } : undefined;
}

function importedGenerator(module: string, level: number, name: string, ctx: Context): Generator | undefined {
  const { resolver, path } = ctx.facts.imports;
  if (!resolver || path === undefined) return undefined;
  const target = resolveExport(resolver, path, module, level, name);
  if (target?.kind !== 'async-generator-function') return undefined;
  const cleanup = target.summary.pendingCleanup?.get(target.name);
  return cleanup ? { name, cleanup } : undefined;
}

/** The async generator with pending cleanup that `call` creates: a local or imported function, or a method of a local class. */
function generatorCalled(call: Node, ctx: Context): Generator | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier') {
    const binding = ctx.facts.singleBinding(callee.text, callee);
    if (binding?.kind === 'def') return localGenerator(binding.node, ctx);
    if (binding?.kind === 'import') return importedGenerator(binding.module, binding.level, binding.name, ctx);
    return undefined;
  }
  if (callee?.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const method = callee.childForFieldName('attribute')?.text;
  if (!object || !method) return undefined;
  const owner = ctx.facts.classOfValue(object);
  if (owner) {
    const member = ctx.facts.memberOf(owner, method);
    return member?.type === 'function_definition' ? localGenerator(member, ctx) : undefined;
  }
  if (object.type !== 'identifier') return undefined;
  const binding = ctx.facts.singleBinding(object.text, object);
  return binding?.kind === 'module' ? importedGenerator(binding.module, 0, method, ctx) : undefined;
}

/** Whether a `raise` may be caught before it leaves `body`: it sits in the `try` block of a `try` with handlers there. */
function mayBeCaughtWithin(statement: Node, body: Node): boolean {
  let child = statement;
  for (let parent = statement.parent; parent && parent.id !== body.id; child = parent, parent = parent.parent) {
    if (parent.type !== 'try_statement' || parent.childForFieldName('body')?.id !== child.id) continue;
    if (parent.namedChildren.some((clause) => clause?.type === 'except_clause' || clause?.type === 'except_group_clause')) return true;
  }
  return false;
}

/**
 * The first statement of the loop's body that leaves it early: a `break` of
 * this loop (not of a loop nested in it), a `return`, or an explicit
 * `raise` that no `try` inside the body may catch. Code of nested functions
 * and classes runs elsewhere; the `else` clause runs after the last item.
 */
function earlyExit(loop: Node): Node | undefined {
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  const stack: { node: Node; inNestedLoop: boolean }[] = [{ node: body, inNestedLoop: false }];
  let first: Node | undefined;
  while (stack.length > 0) {
    const { node, inNestedLoop } = stack.pop()!;
    if (NESTED_CODE.has(node.type)) continue;
    const isExit = (node.type === 'break_statement' && !inNestedLoop) || node.type === 'return_statement'
      || (node.type === 'raise_statement' && !mayBeCaughtWithin(node, body));
    if (isExit) {
      if (!first || node.startIndex < first.startIndex) first = node;
      continue;
    }
    for (const child of node.namedChildren) {
      if (!child) continue;
      // A `break` in a nested loop's body leaves that loop; one in its `else` clause leaves this one.
      const nested = inNestedLoop || (LOOPS.has(node.type) && child.type === 'block' && node.childForFieldName('body')?.id === child.id);
      stack.push({ node: child, inNestedLoop: nested });
    }
  }
  return first;
}

/** One level of indentation as this code writes it: the loop's body's, its block's, else four spaces (a tab in tab-indented code). */
function indentUnit(loop: Node, indent: string, source: string): string {
  const body = loop.childForFieldName('body');
  if (body && body.startPosition.row > loop.startPosition.row) {
    const inner = indentationOf(source, body);
    if (inner.length > indent.length && inner.startsWith(indent)) return inner.slice(indent.length);
  }
  const owner = loop.parent?.type === 'block' ? loop.parent.parent : undefined;
  if (owner) {
    const outer = indentationOf(source, owner);
    if (indent.length > outer.length && indent.startsWith(outer)) return indent.slice(outer.length);
  }
  return indent.includes('\t') ? '\t' : '    ';
}

/** `plate` → `plates`, `entry` → `entries`; undefined when the plural is not obvious. */
function plural(word: string): string | undefined {
  if (!/^[a-z][a-z0-9_]*$/.test(word) || word.length < 2 || /(s|x|z|ch|sh|_|\d)$/.test(word)) return undefined;
  return /[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`;
}

/** A name for the closed generator that nothing in `scope` uses: the plural of the loop's target, else `agen`, `agen_2`… */
function freshName(loop: Node, scope: Node): string {
  const used = new Set(scope.descendantsOfType('identifier').map((identifier) => identifier?.text));
  const target = loop.childForFieldName('left');
  const candidates = [target?.type === 'identifier' ? plural(target.text) : undefined, 'agen'];
  for (const candidate of candidates) if (candidate && !used.has(candidate) && !KEYWORDS.has(candidate)) return candidate;
  for (let n = 2; ; n++) if (!used.has(`agen_${n}`)) return `agen_${n}`;
}

/** How this file can name `contextlib.aclosing` at `at`, and the import that makes it so. */
function aclosingName(at: Node, ctx: Context): { closer: string; edit?: TextEdit } | undefined {
  const aclosing = ctx.facts.resolve('aclosing', at);
  if (typeof aclosing === 'object') {
    const imported = aclosing.bindings.every((binding) => binding.kind === 'import' && binding.name === 'aclosing');
    return imported ? { closer: 'aclosing' } : undefined;
  }
  const contextlib = ctx.facts.singleBinding('contextlib', at);
  if (contextlib?.kind === 'module' && contextlib.module === 'contextlib') return { closer: 'contextlib.aclosing' };
  if (aclosing !== 'builtin') return undefined;
  const edit = addImport(ctx.facts.root, 'contextlib', 'aclosing');
  return edit ? { closer: 'aclosing', edit } : undefined;
}

/**
 * Wraps the loop in `async with aclosing(<call>) as <name>:`, iterating
 * `<name>`: the loop (its `else` too) moves one level in. Lines that start
 * inside a string keep their text; blank lines stay blank.
 */
function aclosingFix(loop: Node, iterable: Node, call: Node, generator: Generator, ctx: Context) {
  const { source } = ctx;
  // `contextlib.aclosing` exists from Python 3.10; without a known minimum (`requires-python`), the fix is offered (the docs say 3.10+).
  const minimum = ctx.settings.minimumVersion;
  if (minimum && (minimum[0] < 3 || (minimum[0] === 3 && minimum[1] < 10))) return undefined;
  const lineStart = source.lastIndexOf('\n', loop.startIndex - 1) + 1;
  const indent = source.slice(lineStart, loop.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const closing = aclosingName(loop, ctx);
  if (!closing) return undefined;
  const unit = indentUnit(loop, indent, source);
  const name = freshName(loop, ctx.facts.scopeOf(loop));
  const strings = loop.descendantsOfType('string').filter((string): string is Node => !!string && string.endPosition.row > string.startPosition.row);
  const edits: TextEdit[] = [
    { range: { start: loop.startIndex, end: loop.startIndex }, newText: `async with ${closing.closer}(${call.text}) as ${name}:\n${indent}${unit}` },
    { range: rangeOf(iterable), newText: name },
  ];
  for (let at = source.indexOf('\n', loop.startIndex); at !== -1 && at + 1 < loop.endIndex; at = source.indexOf('\n', at + 1)) {
    const start = at + 1;
    const end = source.indexOf('\n', start);
    if (/^[ \t]*\r?$/.test(source.slice(start, end === -1 ? source.length : end))) continue;
    if (start > iterable.startIndex && start < iterable.endIndex) continue;
    if (strings.some((string) => string.startIndex < start && start < string.endIndex)) continue;
    const offset = source.startsWith(indent, start) ? start + indent.length : start;
    edits.push({ range: { start: offset, end: offset }, newText: unit });
  }
  if (closing.edit) edits.push(closing.edit);
  return ctx.fix('aclosing', 'unsafe', edits, { closer: closing.closer, name: generator.name });
}

export const unclosedAsyncGenerator = definePythonRule({
  meta: {
    code: 'AIT402',
    name: 'unclosed-async-generator',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'Leaving `async for` early defers the async generator\'s cleanup to garbage collection.',
    messages: {
      leftEarly: 'This `async for` is left early (by a `{{exit}}` in its body) without closing the async generator `{{name}}()`: '
        + 'its `{{cleanup}}` cleanup runs not when the loop exits but later, in another task, once the generator is garbage-collected.',
    },
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: { aclosing: 'Close `{{name}}()` when the loop is left: `async with {{closer}}(...)`' } },
  },
  create(ctx) {
    return {
      for_statement(loop) {
        const iterable = loop.childForFieldName('right');
        if (!hasAsyncKeyword(loop) || !iterable || inRepairedCode(loop, ctx.facts.scopeOf(loop))) return;
        const call = unparenthesize(iterable);
        if (call.type !== 'call') return;
        const generator = generatorCalled(call, ctx);
        if (!generator) return;
        const exit = earlyExit(loop);
        if (!exit) return;
        const fix = aclosingFix(loop, iterable, call, generator, ctx);
        ctx.report({
          at: { start: loop.startIndex, end: iterable.endIndex },
          messageId: 'leftEarly',
          data: { exit: EXIT_WORDS[exit.type]!, name: generator.name, cleanup: generator.cleanup },
          fixes: fix ? [fix] : [],
        });
      },
    };
  },
});
