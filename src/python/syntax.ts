import type { Node } from './parser';

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

/** Whether a block holds no real code: only a docstring, `pass`, `...` or comments. */
export function isStubBody(body: Node): boolean {
  return body.namedChildren.every((statement) => {
    if (!statement) return true;
    if (statement.type === 'pass_statement' || statement.type === 'comment') return true;
    if (statement.type !== 'expression_statement') return false;
    const expression = statement.firstNamedChild;
    return expression?.type === 'string' || expression?.type === 'ellipsis';
  });
}

/** Source text on one line and at most 60 characters, for messages. */
export function shortText(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/**
 * Whether the code around `node` is something the parser had to repair (an
 * ERROR or MISSING node while typing): the own code of `scope` when it is a
 * function, else the top-level statement `node` is in. What a rule reads
 * there is not reliable, not even which function it is in.
 */
export function inRepairedCode(node: Node, scope: Node): boolean {
  if (scope.type !== 'module') return scope.hasError;
  let statement = node;
  while (statement.parent && statement.parent.type !== 'module') statement = statement.parent;
  return statement.hasError;
}

/**
 * The nodes of `node` where `pattern` (a global regex) matches its text, found
 * from the text and not by walking the tree: the smallest node at each match's
 * first character (a keyword or name token, or the string or comment it is in).
 * Cheaper than a walk when the words are rare.
 */
export function tokensAt(node: Node, pattern: RegExp): Node[] {
  const found: Node[] = [];
  for (const match of node.text.matchAll(pattern)) {
    const at = node.startIndex + match.index;
    const token = node.descendantForIndex(at, at);
    if (token?.startIndex === at) found.push(token);
  }
  return found;
}

/** A global pattern for `word` as a whole Python name (Unicode names included). */
export function wordPattern(...words: readonly string[]): RegExp {
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}\\p{M}\\p{Pc}])(?:${escaped})(?![\\p{L}\\p{N}\\p{M}\\p{Pc}])`, 'gu');
}
