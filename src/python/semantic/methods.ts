import type { Node } from '../parser';
import { classMembers, classOfMethod, isStubBody } from '../syntax';
import { isProtocolClass } from './classes';
import { DECLARATION_ONLY, hasDecoratorIn, METHOD_PRESERVING, onlyDecoratorsIn } from './decorators';
import type { PythonFacts } from './facts';

/*
 * What kind of method a definition is, for the rules on protocol methods:
 * one that runs as written, or one that only declares a signature (a stub,
 * an abstract method, a Protocol member, a placeholder).
 */

/** The method that must exist beside an iterator method for it to be a real iterator. */
const PARTNER_METHOD: Readonly<Record<string, string>> = { __aiter__: '__anext__', __iter__: '__next__' };

/** Whether every decorator of a method leaves it what its body makes it. */
export function hasOnlyNeutralDecorators(fn: Node, facts: PythonFacts): boolean {
  return onlyDecoratorsIn(fn, facts, METHOD_PRESERVING);
}

/**
 * A method that only declares a signature and never runs as written: a body
 * of `...` (with an optional docstring), as in `.pyi` stubs and overloads; a
 * `pass`/docstring body of an abstract method, a `Protocol` member, or of a
 * class that is not an iterator itself (no real `__anext__` / `__next__`: a
 * spec for mocks, a placeholder). A body not typed yet (tree-sitter gives an
 * empty block) counts too.
 */
export function isDeclarationOnly(fn: Node, facts: PythonFacts): boolean {
  const body = fn.childForFieldName('body');
  if (!body || !isStubBody(body)) return false;
  if (body.namedChildren.every((statement) => !statement || statement.type === 'comment')) return true;
  const hasEllipsis = body.namedChildren.some((statement) => statement?.type === 'expression_statement' && statement.firstNamedChild?.type === 'ellipsis');
  if (hasEllipsis) return true;
  if (hasDecoratorIn(fn, facts, DECLARATION_ONLY)) return true;
  const cls = classOfMethod(fn);
  if (!cls || isProtocolClass(cls, facts)) return true;
  const partner = PARTNER_METHOD[fn.childForFieldName('name')?.text ?? ''];
  if (partner === undefined) return false;
  // No real `__anext__` / `__next__` beside it: a mock spec or a placeholder, not an iterator.
  const partnerMethod = classMembers(cls).get(partner);
  const partnerBody = partnerMethod?.type === 'function_definition' ? partnerMethod.childForFieldName('body') : undefined;
  return !partnerMethod || (!!partnerBody && isStubBody(partnerBody));
}
