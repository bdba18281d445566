import type { Node } from '../parser';
import { unparenthesize } from '../syntax';
import type { PythonFacts } from './facts';

/*
 * Decorators, resolved through the file's imports: `@abstractmethod` after
 * `from abc import abstractmethod` and `@abc.abstractmethod` after
 * `import abc` are both `abc.abstractmethod`; a local function that happens
 * to be called `abstractmethod` is not.
 */

export interface Decorator {
  readonly node: Node;
  /** The qualified name of what is applied (the callee of `@dataclass(frozen=True)`), or undefined when it cannot be told. */
  readonly qualified: string | undefined;
  /** A bare name bound nowhere in the file (a snippet that leaves out its imports): taken as the well-known decorator of that name. */
  readonly unbound: boolean;
}

/** Decorators that leave what calling a function gives as its body makes it. */
export const CALL_PRESERVING: ReadonlySet<string> = new Set([
  'staticmethod', 'classmethod', 'abc.abstractmethod', 'typing.override', 'typing_extensions.override',
]);

/** Decorators that leave a method what its body makes it (for rules on protocol methods). */
export const METHOD_PRESERVING: ReadonlySet<string> = new Set([
  'abc.abstractmethod', 'typing.override', 'typing_extensions.override', 'typing.final', 'typing_extensions.final',
]);

/** Decorators whose function is a signature only, never run as written. */
export const DECLARATION_ONLY: ReadonlySet<string> = new Set(['abc.abstractmethod', 'typing.overload', 'typing_extensions.overload']);

/** Class decorators that add no methods (so the class's shape is what its body says). */
export const CLASS_SHAPE_PRESERVING: ReadonlySet<string> = new Set([
  'dataclasses.dataclass', 'typing.final', 'typing_extensions.final', 'functools.total_ordering',
]);

/** The decorators of a function or class definition, outermost first. */
function decoratorsOf(definition: Node, facts: PythonFacts): Decorator[] {
  const parent = definition.parent;
  if (parent?.type !== 'decorated_definition') return [];
  const decorators: Decorator[] = [];
  for (const child of parent.namedChildren) {
    if (child?.type !== 'decorator') continue;
    let expression = child.firstNamedChild ? unparenthesize(child.firstNamedChild) : undefined;
    if (expression?.type === 'call') expression = expression.childForFieldName('function') ?? undefined;
    const qualified = expression ? facts.qualifiedName(expression) : undefined;
    const unbound = expression?.type === 'identifier' && facts.resolve(expression.text, expression) === 'builtin';
    decorators.push({ node: child, qualified, unbound });
  }
  return decorators;
}

/** Whether a decorator is one of `names` (qualified names; an unbound bare name matches by its last part). */
function isDecoratorIn(decorator: Decorator, names: ReadonlySet<string>): boolean {
  const { qualified } = decorator;
  if (qualified === undefined) return false;
  if (names.has(qualified)) return true;
  return decorator.unbound && [...names].some((name) => name.endsWith(`.${qualified}`));
}

/** Whether every decorator of a definition is one of `names` (true when it has none). */
export function onlyDecoratorsIn(definition: Node, facts: PythonFacts, names: ReadonlySet<string>): boolean {
  return decoratorsOf(definition, facts).every((decorator) => isDecoratorIn(decorator, names));
}

/** Whether some decorator of a definition is one of `names`. */
export function hasDecoratorIn(definition: Node, facts: PythonFacts, names: ReadonlySet<string>): boolean {
  return decoratorsOf(definition, facts).some((decorator) => isDecoratorIn(decorator, names));
}
