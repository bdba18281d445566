import type { Node } from '../parser';
import { isStubBody, tokensAt, wordPattern } from '../syntax';
import { pendingCleanup } from './cleanup';
import { nextItemReturnerText } from './next-item';
import { hasOwnYield } from './owner';
import { byNodeText } from './text-cache';

/*
 * What the analysis of one part of a file may learn about the others. The
 * editor re-analyses only the top-level statements (and methods) a keystroke
 * changed, and reuses the findings of the rest while nothing they could have
 * read changed. Every fact that reads across those units declares here what
 * it reads, so the incremental layer can compare it without knowing any rule.
 */

const PROTOCOL_METHODS: ReadonlySet<string> = new Set(['__aiter__', '__anext__', '__iter__', '__next__']);

/** The `def __aiter__` definitions under `node`, at any depth. */
function aiterDefinitions(node: Node): Node[] {
  return tokensAt(node, /\bdef\s+__aiter__\b/g).flatMap((keyword) => {
    const definition = keyword.type === 'def' ? keyword.parent : null;
    return definition?.type === 'function_definition' && definition.childForFieldName('name')?.text === '__aiter__' ? [definition] : [];
  });
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
 * by method classification (whether a protocol method's body is a stub), by
 * `pendingCleanup` (AIT402) and by `aiterReferencedNames`. What
 * `independentWork` reads of other units' `async def`s is declared apart
 * (`workSummary`): only the loops that await them need it. Comments and
 * docstrings teach nothing else.
 */
export function unitInterface(statement: Node, source: string): string {
  const definition = definitionOf(statement);
  // Also read elsewhere: the classes visibly iterated with `async for` (AIT205) and, of a plain function, whether it returns `anext(...)` (AIT104).
  const readByCallers = `${asyncIteratedClassNames(statement).join(' ')}\u0004${definition.type === 'function_definition' ? nextItemReturnerText(definition, hasOwnYield) : ''}`;
  const aiterWords = `${aiterDefinitions(statement).map((fn) => fn.text.match(/[A-Za-z_]\w*/g)?.join(' ') ?? '').join('\u0003')}\u0004${readByCallers}`;
  if (definition.type === 'function_definition') {
    return `F${headerOf(statement, definition, source)}\u0000${hasOwnYield(definition)}\u0000${pendingCleanup(definition) ?? ''}\u0000${aiterWords}`;
  }
  if (definition.type === 'class_definition') {
    const parts = [`C${headerOf(statement, definition, source)}`, aiterWords];
    for (const member of definition.childForFieldName('body')?.namedChildren ?? []) {
      const part = member ? memberPart(member) : '';
      if (part) parts.push(part);
    }
    return parts.join('\u0002');
  }
  return isCommentOrDocstring(statement) ? '' : `T${source}`;
}

/** A (possibly decorated) definition up to the colon, from `text`, the text of `node`: not the comments and blank lines before the body. */
function headerOf(node: Node, fn: Node, text: string): string {
  const body = fn.childForFieldName('body');
  return text.slice(0, (body ? body.startIndex : node.endIndex) - node.startIndex).replace(/(?:\s|#[^\n]*)*$/, '');
}

/**
 * What a class member tells the rest of the file: a method's header, whether
 * it yields, the cleanup it owes, whether a protocol method is a stub; an
 * attribute's text. It depends on the member's text alone, so a keystroke in
 * one method of a large class does not walk all the others again.
 */
const memberPart = byNodeText((member: Node): string => {
  const method = definitionOf(member);
  if (method.type !== 'function_definition') return isCommentOrDocstring(member) ? '' : `A${member.text}`;
  const name = method.childForFieldName('name')?.text ?? '';
  const body = PROTOCOL_METHODS.has(name) ? method.childForFieldName('body') : null;
  return `M${headerOf(member, method, member.text)}\u0000${hasOwnYield(method)}\u0000${pendingCleanup(method) ?? ''}\u0000${body ? isStubBody(body) : ''}`;
});

const ASYNC_ITERATION_AT = /\basync\s+for\b|\baiter\s*\(/g;
const CLASS_NAME = /^_*[A-Z]/;

/**
 * The names of the classes a statement visibly iterates with `async for`
 * (a loop or an async comprehension) or passes to `aiter()`: the CapWords callee of
 * `async for x in Countdown(3)`, or of `Countdown(...)` when the loop's name
 * is assigned only there, in the same function. Syntax only, so that it can
 * be compared across edits; the facts check that a name is a top-level class
 * (`PythonFacts.asyncIteratedClassNames`, read by AIT205).
 */
export function asyncIteratedClassNames(statement: Node): string[] {
  const names = new Set<string>();
  // From the text: walking every call of a large statement costs more than finding these few words.
  for (const token of tokensAt(statement, ASYNC_ITERATION_AT)) {
    const site = token.parent;
    if (!site) continue;
    let iterable: Node | null | undefined;
    if (token.type === 'identifier' && site.type === 'call' && site.childForFieldName('function')?.id === token.id) {
      iterable = site.childForFieldName('arguments')?.firstNamedChild;
    } else if (token.type === 'async' && (site.type === 'for_statement' || site.type === 'for_in_clause') && site.firstChild?.id === token.id) {
      iterable = site.childForFieldName('right');
    }
    while (iterable?.type === 'parenthesized_expression') iterable = iterable.firstNamedChild;
    if (!iterable) continue;
    const name = iterable.type === 'identifier' ? constructorOfName(iterable, statement) : constructorOf(iterable);
    // Only CapWords names, as classes are written: typing `async for x in fetch(...)` must not make
    // every unit be analysed again. A class named otherwise only loses the evidence (AIT205 stays a hint).
    if (name && CLASS_NAME.test(name) && !isReboundAround(name, site, statement)) names.add(name);
  }
  return [...names].sort();
}

/** `Name` for a call `Name(...)`. */
function constructorOf(node: Node | null): string | undefined {
  const callee = node?.type === 'call' ? node.childForFieldName('function') : undefined;
  return callee?.type === 'identifier' ? callee.text : undefined;
}

/** The innermost function or lambda around `node` inside `statement`. */
function enclosingFunction(node: Node, statement: Node): Node | undefined {
  for (let current = node.parent; current && current.startIndex >= statement.startIndex; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return current;
    if (current.id === statement.id) break;
  }
  return undefined;
}

/** For `async for x in source`: `Name` when the function around it binds `source` once, by `source = Name(...)`. */
function constructorOfName(name: Node, statement: Node): string | undefined {
  const fn = enclosingFunction(name, statement);
  if (!fn) return undefined;
  const stores = identifierStores(fn, name.text);
  const assignment = stores.length === 1 ? stores[0]!.parent : undefined;
  if (assignment?.type !== 'assignment' || enclosingFunction(assignment, statement)?.id !== fn.id) return undefined;
  return constructorOf(assignment.childForFieldName('right'));
}

/** Whether a function around `site` (inside `statement`) binds `name` anywhere: a local of that name shadows the class. */
function isReboundAround(name: string, site: Node, statement: Node): boolean {
  for (let fn = enclosingFunction(site, statement); fn; fn = enclosingFunction(fn, statement)) {
    if (identifierStores(fn, name).length > 0) return true;
  }
  return false;
}

/** Every place under `node` that binds (or may bind) the identifier `name`; over-approximated. */
function identifierStores(node: Node, name: string): Node[] {
  // From the text: a name's few occurrences, not every identifier of a large function.
  return tokensAt(node, wordPattern(name)).filter((token) => token.type === 'identifier' && token.text === name && isStore(token));
}

const STORE_FIELDS: Readonly<Record<string, string>> = {
  assignment: 'left', augmented_assignment: 'left', named_expression: 'name', for_statement: 'left', for_in_clause: 'left',
  function_definition: 'name', class_definition: 'name',
};

function isStore(identifier: Node): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (/pattern|parameter|import|dotted_name|global|nonlocal|delete/.test(parent.type)) return true;
  if (parent.type === 'expression_list' && parent.parent?.type === 'delete_statement') return true;
  const field = STORE_FIELDS[parent.type];
  return field !== undefined && parent.childForFieldName(field)?.id === identifier.id;
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
