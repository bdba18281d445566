import { Query, type Node } from '../parser';
import { isStubBody } from '../syntax';
import { hasOwnYield } from './scopes';

/*
 * What the analysis of one part of a file may learn about the others. The
 * editor re-analyses only the top-level statements (and methods) a keystroke
 * changed, and reuses the findings of the rest while nothing they could have
 * read changed. Every fact that reads across those units declares here what
 * it reads, so the incremental layer can compare it without knowing any rule.
 */

const PROTOCOL_METHODS: ReadonlySet<string> = new Set(['__aiter__', '__anext__', '__iter__', '__next__']);

let aiterQuery: Query | undefined;

/** The `def __aiter__` definitions under `node`, at any depth. */
function aiterDefinitions(node: Node): Node[] {
  if (!node.text.includes('__aiter__')) return [];
  aiterQuery ??= new Query(node.tree.language, '(function_definition name: (identifier) @name (#eq? @name "__aiter__")) @definition');
  return aiterQuery.captures(node).filter((capture) => capture.name === 'definition').map((capture) => capture.node);
}

/**
 * The words written in every `__aiter__` method under `root` (code, strings
 * and comments alike): a class named there is probably the iterator one of
 * them returns. Over-approximating can only silence a finding.
 */
export function aiterReferencedNames(root: Node): Set<string> {
  const names = new Set<string>();
  for (const definition of aiterDefinitions(root)) {
    for (const word of definition.text.match(/[A-Za-z_]\w*/g) ?? []) names.add(word);
  }
  return names;
}

/**
 * Everything another unit may learn from one top-level statement, as a
 * string: equal strings mean nothing readable across units changed. Read by
 * scopes and bindings (headers, decorators, imports, assignments), by
 * `isGenerator`, by class shapes and members (method headers, attributes),
 * by method classification (whether a protocol method's body is a stub) and
 * by `aiterReferencedNames`. Comments and docstrings teach nothing else.
 */
export function unitInterface(statement: Node, source: string): string {
  const definition = definitionOf(statement);
  const offset = statement.startIndex;
  const header = (node: Node, fn: Node) => {
    const body = fn.childForFieldName('body');
    // Up to the colon: not the comments and blank lines before the body.
    return source.slice(node.startIndex - offset, body ? body.startIndex - offset : node.endIndex - offset).replace(/(?:\s|#[^\n]*)*$/, '');
  };
  const aiterWords = aiterDefinitions(statement).map((fn) => fn.text.match(/[A-Za-z_]\w*/g)?.join(' ') ?? '').join('\u0003');
  if (definition.type === 'function_definition') return `F${header(statement, definition)}\u0000${hasOwnYield(definition)}\u0000${aiterWords}`;
  if (definition.type === 'class_definition') {
    const parts = [`C${header(statement, definition)}`, aiterWords];
    for (const member of definition.childForFieldName('body')?.namedChildren ?? []) {
      if (!member) continue;
      const method = definitionOf(member);
      if (method.type === 'function_definition') {
        const name = method.childForFieldName('name')?.text ?? '';
        const body = PROTOCOL_METHODS.has(name) ? method.childForFieldName('body') : null;
        parts.push(`M${header(member, method)}\u0000${hasOwnYield(method)}\u0000${body ? isStubBody(body) : ''}`);
      } else if (!isCommentOrDocstring(member)) {
        parts.push(`A${source.slice(member.startIndex - offset, member.endIndex - offset)}`);
      }
    }
    return parts.join('\u0002');
  }
  return isCommentOrDocstring(statement) ? '' : `T${source}`;
}

/** Statements no fact depends on. */
function isCommentOrDocstring(statement: Node): boolean {
  if (statement.type === 'comment') return true;
  return statement.type === 'expression_statement' && statement.namedChildCount === 1 && statement.firstNamedChild?.type === 'string';
}

/** The function or class a (possibly decorated) statement defines, or the statement itself. */
export function definitionOf(statement: Node): Node {
  return statement.type === 'decorated_definition' ? (statement.childForFieldName('definition') ?? statement) : statement;
}
