import type { Node } from '../parser';
import { unparenthesize } from '../syntax';
import type { PythonFacts } from './facts';
import { combine, UNKNOWN, type Iterability } from './iterability';
import { MAX_DEPTH } from './classes';

/*
 * Annotations: what `AsyncIterator[int]`, `list[str] | None`,
 * `Optional["Stream"]` or a known library class say about a value.
 */

const TYPING_MODULES: ReadonlySet<string> = new Set(['typing', 'typing_extensions', 'collections.abc']);
export const ASYNC_TYPES: ReadonlySet<string> = new Set(['AsyncIterator', 'AsyncIterable', 'AsyncGenerator']);
export const SYNC_TYPES: ReadonlySet<string> = new Set([
  'Iterator', 'Iterable', 'Generator', 'Sequence', 'MutableSequence', 'Mapping', 'MutableMapping',
  'List', 'Dict', 'Tuple', 'Set', 'FrozenSet', 'Collection', 'Reversible', 'KeysView', 'ValuesView',
  'ItemsView', 'Deque', 'AbstractSet', 'MutableSet', 'DefaultDict', 'OrderedDict', 'Counter',
]);
const SYNC_BUILTIN_TYPES: ReadonlySet<string> = new Set(['list', 'dict', 'tuple', 'set', 'frozenset', 'str', 'bytes', 'bytearray', 'range']);

/** `typing.AsyncIterator` → `AsyncIterator`; undefined for names outside the typing modules. */
export function typingType(qualified: string): string | undefined {
  const dot = qualified.lastIndexOf('.');
  if (dot < 0) return undefined;
  return TYPING_MODULES.has(qualified.slice(0, dot)) ? qualified.slice(dot + 1) : undefined;
}

/** What an annotation says a value is. */
export function annotationIterability(annotation: Node, facts: PythonFacts, depth = 0): Iterability {
  if (depth > MAX_DEPTH) return UNKNOWN;
  let node = annotation.type === 'type' ? annotation.firstNamedChild : annotation;
  if (!node) return UNKNOWN;
  node = unparenthesize(node);
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '|') {
    const parts = [node.childForFieldName('left'), node.childForFieldName('right')]
      .filter((part): part is Node => !!part && part.type !== 'none')
      .map((part) => annotationIterability(part, facts, depth + 1));
    return combine(parts);
  }
  if (node.type === 'generic_type' || node.type === 'subscript') {
    const head = node.type === 'subscript' ? node.childForFieldName('value') : node.firstNamedChild;
    if (!head) return UNKNOWN;
    const qualified = facts.qualifiedName(head);
    const typingName = qualified ? typingType(qualified) : undefined;
    if (typingName === 'Optional' || typingName === 'Union') {
      const args = node.type === 'subscript' ? node.namedChildren.slice(1) : node.namedChildren.slice(1).flatMap((child) => child?.namedChildren ?? []);
      return combine(args.filter((arg): arg is Node => !!arg && arg.text !== 'None').map((arg) => annotationIterability(arg, facts, depth + 1)));
    }
    return typeNameIterability(head, facts, depth);
  }
  if (node.type === 'identifier' || node.type === 'attribute') return typeNameIterability(node, facts, depth);
  if (node.type === 'string') return stringAnnotationIterability(node, facts, depth);
  return UNKNOWN;
}

/** `"AsyncIterator[int]"` (a forward reference): judged by its dotted head, resolved where the string stands. */
function stringAnnotationIterability(node: Node, facts: PythonFacts, depth: number): Iterability {
  const content = /^(['"])(.*)\1$/s.exec(node.text)?.[2];
  const head = content && /^\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(?:\[.*\])?\s*(?:\|\s*None\s*)?$/s.exec(content)?.[1];
  if (!head) return UNKNOWN;
  const parts = head.split('.');
  const qualified = facts.qualifiedNameOf(parts, node);
  const typed = qualified ? qualifiedTypeIterability(qualified, facts) : undefined;
  if (typed) return typed;
  if (parts.length === 1) {
    const binding = facts.singleBinding(parts[0]!, node);
    if (binding?.kind === 'class') return facts.instanceOf(binding.node, depth);
  }
  return UNKNOWN;
}

/** What a type given by its qualified name says, for the typing names, builtins and known APIs. */
function qualifiedTypeIterability(qualified: string, facts: PythonFacts): Iterability | undefined {
  const typingName = typingType(qualified);
  if (typingName && ASYNC_TYPES.has(typingName)) return { kind: 'async', what: `annotated \`${typingName}\`` };
  if (typingName && SYNC_TYPES.has(typingName)) return { kind: 'sync', what: `annotated \`${typingName}\`` };
  if (SYNC_BUILTIN_TYPES.has(qualified)) return { kind: 'sync', what: `annotated \`${qualified}\`` };
  if (facts.known.qualified.has(qualified)) return { kind: 'async', what: `annotated \`${qualified}\`` };
  return undefined;
}

function typeNameIterability(head: Node, facts: PythonFacts, depth: number): Iterability {
  const qualified = facts.qualifiedName(head);
  const typed = qualified ? qualifiedTypeIterability(qualified, facts) : undefined;
  if (typed) return typed;
  if (head.type === 'identifier') {
    const binding = facts.singleBinding(head.text, head);
    if (binding?.kind === 'class') return facts.instanceOf(binding.node, depth);
  }
  return UNKNOWN;
}
