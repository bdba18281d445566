import type { TextEdit } from '../engine/types';
import type { Node } from './parser';
import type { PythonFacts } from './semantic/facts';
import { asyncKeyword, indentationOf } from './syntax';

/*
 * The edits Python fixes are made of, shared by every rule. Inserted line
 * breaks are `\n`; the engine adapts them to the file (`withTextLineBreaks`).
 */

/** `for x in it:` → `async for x in it:` (a statement or a comprehension clause). */
export function insertAsync(before: Node): TextEdit {
  return { range: { start: before.startIndex, end: before.startIndex }, newText: 'async ' };
}

/** `anext(it)` → `await anext(it)`. */
export function insertAwait(before: Node): TextEdit {
  return { range: { start: before.startIndex, end: before.startIndex }, newText: 'await ' };
}

/** Makes a function `async def` (the `def` keyword starts the definition, after its decorators). */
export function makeFunctionAsync(fn: Node): TextEdit {
  return insertAsync(fn);
}

/** Deletes the `async` keyword of a node and the blanks after it; undefined when it has none. */
export function removeAsync(node: Node, source: string): TextEdit | undefined {
  const keyword = asyncKeyword(node);
  if (!keyword) return undefined;
  let end = keyword.endIndex;
  while (end < source.length && (source[end] === ' ' || source[end] === '\t')) end++;
  return { range: { start: keyword.startIndex, end }, newText: '' };
}

/** Offset of the end of the line on which `offset` lies (before its line break). */
function lineEndAt(source: string, offset: number): number {
  const match = /[\r\n]/.exec(source.slice(offset));
  return match ? offset + match.index : source.length;
}

/**
 * Adds `statement` after the last statement of a function's body: on a line
 * of its own, indented like that statement, or after `; ` when the body
 * shares the `def` line. Undefined for a body without statements.
 */
export function appendToBody(fn: Node, statement: string, source: string): TextEdit | undefined {
  const body = fn.childForFieldName('body');
  const statements = body?.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment') ?? [];
  const last = statements[statements.length - 1];
  if (!body || !last) return undefined;
  const header = fn.childForFieldName('parameters') ?? fn;
  if (body.startPosition.row === header.endPosition.row) {
    return { range: { start: last.endIndex, end: last.endIndex }, newText: `; ${statement}` };
  }
  const at = lineEndAt(source, last.endIndex);
  return { range: { start: at, end: at }, newText: `\n${indentationOf(source, last)}${statement}` };
}

/**
 * Inserts a method just before `sibling` (a method of the same class, or its
 * decorators), indented like it, with a blank line after it. `lines` are the
 * method's lines without indentation: the `def` line, then its body.
 */
export function insertMethodBefore(sibling: Node, lines: readonly string[], source: string): TextEdit {
  const definition = sibling.parent?.type === 'decorated_definition' ? sibling.parent : sibling;
  const indent = indentationOf(source, definition);
  const firstStatement = sibling.childForFieldName('body')?.firstNamedChild;
  const bodyIndent = firstStatement && firstStatement.startPosition.row > sibling.startPosition.row
    ? indentationOf(source, firstStatement)
    : `${indent}${indent.includes('\t') ? '\t' : '    '}`;
  const [head, ...body] = lines;
  const text = [head, ...body.map((line) => `${bodyIndent}${line}`)].join('\n');
  return { range: { start: definition.startIndex, end: definition.startIndex }, newText: `${text}\n\n${indent}` };
}

/**
 * `from module import name` at module level: after the module's docstring,
 * `__future__` imports and top-level imports, else before its first
 * statement (after a shebang or coding comment). Undefined when that exact
 * import is there already, or when imports sit under `if`/`try` at the top
 * (where a new one would go is then a guess). Whether `name` is free is the
 * caller's question (the facts know).
 */
export function addImport(root: Node, module: string, name: string): TextEdit | undefined {
  return insertImport(root, `from ${module} import ${name}`, (statement) => statement.type === 'import_from_statement'
    && statement.childForFieldName('module_name')?.text === module
    && statement.childrenForFieldName('name').some((child) => child?.text === name));
}

/**
 * `import module` at module level, placed like `addImport`. Undefined when
 * the module is imported that way already, or when imports sit under
 * `if`/`try` at the top. Whether the name is free is the caller's question.
 */
export function addModuleImport(root: Node, module: string): TextEdit | undefined {
  return insertImport(root, `import ${module}`, (statement) => statement.type === 'import_statement'
    && statement.namedChildren.some((child) => child?.type === 'dotted_name' && child.text === module));
}

/** Inserts an import line where `addImport` says; undefined when `isThere` finds it among the top statements. */
function insertImport(root: Node, line: string, isThere: (statement: Node) => boolean): TextEdit | undefined {
  let insertAfter: Node | undefined;
  let firstCode: Node | undefined;
  for (const statement of root.namedChildren) {
    if (!statement || statement.type === 'comment') continue;
    if (isThere(statement)) return undefined;
    const isDocstring = !insertAfter && statement.type === 'expression_statement' && statement.firstNamedChild?.type === 'string';
    if (isDocstring || statement.type === 'import_statement' || statement.type === 'import_from_statement' || statement.type === 'future_import_statement') {
      insertAfter = statement;
      continue;
    }
    if ((statement.type === 'if_statement' || statement.type === 'try_statement')
      && statement.descendantsOfType(['import_statement', 'import_from_statement']).length > 0) return undefined;
    firstCode = statement;
    break;
  }
  if (insertAfter) return { range: { start: insertAfter.endIndex, end: insertAfter.endIndex }, newText: `\n${line}` };
  if (firstCode) {
    // PEP 8: two blank lines before a top-level function or class.
    const isDefinition = ['function_definition', 'class_definition', 'decorated_definition'].includes(firstCode.type);
    return { range: { start: firstCode.startIndex, end: firstCode.startIndex }, newText: isDefinition ? `${line}\n\n\n` : `${line}\n` };
  }
  return { range: { start: root.endIndex, end: root.endIndex }, newText: root.endIndex > 0 ? `\n${line}\n` : `${line}\n` };
}

/**
 * How a fix names a module at `at`: the name the file already binds it to
 * (`import asyncio`), or the module's own name with `import <module>` added
 * when nothing binds that name. Undefined when the name means something else
 * there (a local variable, an alias of another module).
 */
export function moduleReference(at: Node, facts: PythonFacts, module: string): { readonly name: string; readonly edits: readonly TextEdit[] } | undefined {
  const resolution = facts.resolve(module, at);
  if (resolution === 'builtin') {
    const edit = addModuleImport(facts.root, module);
    return edit ? { name: module, edits: [edit] } : undefined;
  }
  if (typeof resolution === 'string' || resolution.bindings.length !== 1) return undefined;
  const binding = resolution.bindings[0]!;
  return binding.kind === 'module' && binding.module === module ? { name: module, edits: [] } : undefined;
}
