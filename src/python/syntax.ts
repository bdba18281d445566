import type { Node } from './parser';

/** Nodes that open a new scope for names. */
export const SCOPE_KINDS = new Set(['module', 'function_definition', 'lambda', 'class_definition']);
const NESTED_CODE_KINDS = new Set(['function_definition', 'lambda', 'class_definition']);

/** `async def`, `async for`, `async with`, or an `async for` clause. */
export function hasAsyncKeyword(node: Node): boolean {
  return node.firstChild?.type === 'async';
}

/** The `async` keyword token of a node that has one. */
export function asyncKeyword(node: Node): Node | undefined {
  const first = node.firstChild;
  return first?.type === 'async' ? first : undefined;
}

/** The function, lambda, class body or module whose code `node` is part of. */
export function enclosingScope(node: Node): Node {
  let current = node.parent;
  while (current && !SCOPE_KINDS.has(current.type)) current = current.parent;
  return current ?? node;
}

/** The function or lambda `node` runs in, crossing no class body; undefined at module or class level. */
export function enclosingFunction(node: Node): Node | undefined {
  const scope = enclosingScope(node);
  return scope.type === 'function_definition' || scope.type === 'lambda' ? scope : undefined;
}

export function isAsyncFunction(node: Node | undefined): boolean {
  return node?.type === 'function_definition' && hasAsyncKeyword(node);
}

/** The class whose body directly defines `fn`, if `fn` is a method. */
export function classOfMethod(fn: Node): Node | undefined {
  let parent = fn.parent;
  if (parent?.type === 'decorated_definition') parent = parent.parent;
  if (parent?.type !== 'block') return undefined;
  const owner = parent.parent;
  return owner?.type === 'class_definition' ? owner : undefined;
}

export function functionName(fn: Node): string | undefined {
  return fn.childForFieldName('name')?.text;
}

/**
 * Visits the nodes of a function's (or module's) own code. Nested functions,
 * lambdas and classes are visited themselves (their names bind here) but not
 * entered, since their code runs elsewhere. Return `false` from `visit` to
 * skip a node's children.
 */
export function forEachOwnNode(scope: Node, visit: (node: Node) => boolean | void): void {
  const body = scope.type === 'module' ? scope : scope.childForFieldName('body');
  if (!body) return;
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== body && (visit(node) === false || NESTED_CODE_KINDS.has(node.type))) continue;
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child) stack.push(child);
    }
  }
}

/** Whether a function contains `yield` in its own code (so calling it makes a generator). */
export function isGenerator(fn: Node): boolean {
  if (fn.type !== 'function_definition') return false;
  let found = false;
  forEachOwnNode(fn, (node) => {
    if (found) return false;
    if (node.type === 'yield') found = true;
    // A generator expression's own `yield`s cannot exist; its body is an expression.
    return !found;
  });
  return found;
}

/** Whether a function's own code contains `await`, `async for` or `async with`. */
export function usesAwait(fn: Node): boolean {
  let found = false;
  forEachOwnNode(fn, (node) => {
    if (found) return false;
    if (node.type === 'await') found = true;
    else if ((node.type === 'for_statement' || node.type === 'with_statement' || node.type === 'for_in_clause') && hasAsyncKeyword(node)) found = true;
    return !found;
  });
  return found;
}

/** Methods and attributes assigned in a class body, by name. */
export function classMembers(cls: Node): Map<string, Node> {
  const members = new Map<string, Node>();
  const body = cls.childForFieldName('body');
  if (!body) return members;
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    let definition: Node | null = statement;
    if (definition.type === 'decorated_definition') definition = definition.childForFieldName('definition');
    if (!definition) continue;
    if (definition.type === 'function_definition' || definition.type === 'class_definition') {
      const name = definition.childForFieldName('name')?.text;
      if (name) members.set(name, definition);
    } else if (definition.type === 'expression_statement') {
      const assignment = definition.firstNamedChild;
      const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
      if (target?.type === 'identifier') members.set(target.text, assignment!);
    }
  }
  return members;
}

export function decoratorNames(fn: Node): string[] {
  const parent = fn.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren
    .filter((child): child is Node => child?.type === 'decorator')
    .map((decorator) => decorator.text.replace(/^@\s*/, '').replace(/\(.*$/s, '').trim());
}

/** Strips parentheses around an expression. */
export function unparenthesize(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildCount === 1) current = current.namedChild(0)!;
  return current;
}

/** The indentation (leading whitespace) of the line a node starts on. */
export function indentationOf(source: string, node: Node): string {
  const lineStart = source.lastIndexOf('\n', node.startIndex - 1) + 1;
  const match = /^[ \t]*/.exec(source.slice(lineStart, node.startIndex));
  return match ? match[0] : '';
}

/** The line break style used by the source. */
export function lineBreakOf(source: string): string {
  const index = source.indexOf('\n');
  return index > 0 && source[index - 1] === '\r' ? '\r\n' : '\n';
}

/** The statements of a block that are real code (not a docstring, `pass` or `...`). */
export function isStubBody(body: Node): boolean {
  return body.namedChildren.every((statement) => {
    if (!statement) return true;
    if (statement.type === 'pass_statement' || statement.type === 'comment') return true;
    if (statement.type !== 'expression_statement') return false;
    const expression = statement.firstNamedChild;
    return expression?.type === 'string' || expression?.type === 'ellipsis';
  });
}

/**
 * Whether `await` and `async for` are allowed where `node` is: inside an
 * `async def` (comprehensions included), or at module level when top-level
 * await is on (notebooks, `python -m asyncio`).
 */
export function isAsyncContext(node: Node, topLevelAwait: boolean): boolean {
  const scope = enclosingScope(node);
  if (scope.type === 'module') return topLevelAwait;
  return isAsyncFunction(scope);
}

/**
 * Names that appear in any `__aiter__` method of the file: a class named
 * there is probably the iterator some `__aiter__` returns. Read off the text
 * (each `def __aiter__` up to the next line indented no deeper), which can
 * only over-approximate, and so only silence a finding.
 */
export function namesUsedInAiterMethods(source: string): Set<string> {
  const names = new Set<string>();
  const lines = source.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const match = /^([ \t]*)(?:async[ \t]+)?def[ \t]+__aiter__\b/.exec(lines[line]!);
    if (!match) continue;
    const indent = match[1]!.length;
    let end = line + 1;
    while (end < lines.length && (lines[end]!.trim() === '' || lines[end]!.length - lines[end]!.trimStart().length > indent)) end++;
    for (const name of lines.slice(line, end).join('\n').match(/[A-Za-z_]\w*/g) ?? []) names.add(name);
  }
  return names;
}
