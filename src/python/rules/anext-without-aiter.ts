import type { Fix } from '../../engine/types';
import { isProtocolClass } from '../flow';
import type { Node } from '../parser';
import type { PythonRule, PythonRuleContext } from '../rule';
import { classMembers, decoratorNames, indentationOf, lineBreakOf, namesUsedInAiterMethods } from '../syntax';

/** Class decorators known not to add methods such as `__aiter__`. */
const NEUTRAL_CLASS_DECORATORS = new Set([
  'dataclass', 'dataclasses.dataclass', 'final', 'typing.final', 'typing_extensions.final', 'total_ordering', 'functools.total_ordering',
]);

/** Whether `__aiter__` is named anywhere in the class body (a conditional definition, an assignment in a branch). */
function mentionsAiter(cls: Node, source: string): boolean {
  // The text test is cheap; the identifier test leaves out docstrings and comments that name it.
  if (!source.slice(cls.startIndex, cls.endIndex).includes('__aiter__')) return false;
  const body = cls.childForFieldName('body');
  return !!body && body.descendantsOfType('identifier').some((identifier) => identifier?.text === '__aiter__');
}

/** Inserts `def __aiter__(self): return self` just before `__anext__` (or its decorators), indented like it. */
function addAiterFix(anext: Node, ctx: PythonRuleContext): Fix {
  const definition = anext.parent?.type === 'decorated_definition' ? anext.parent : anext;
  const indent = indentationOf(ctx.source, definition);
  const firstStatement = anext.childForFieldName('body')?.firstNamedChild;
  const bodyIndent = firstStatement && firstStatement.startPosition.row > anext.startPosition.row
    ? indentationOf(ctx.source, firstStatement)
    : `${indent}${indent.includes('\t') ? '\t' : '    '}`;
  const lineBreak = lineBreakOf(ctx.source);
  return {
    title: 'Add `__aiter__` returning `self`',
    safety: 'safe',
    edits: [{
      range: { start: definition.startIndex, end: definition.startIndex },
      newText: `def __aiter__(self):${lineBreak}${bodyIndent}return self${lineBreak}${lineBreak}${indent}`,
    }],
  };
}

export const anextWithoutAiter: PythonRule = {
  code: 'AIT205',
  create(ctx) {
    let aiterHelpers: Set<string> | undefined;
    return {
      class_definition(cls) {
        const nameNode = cls.childForFieldName('name');
        const anext = classMembers(cls).get('__anext__');
        if (!nameNode || anext?.type !== 'function_definition' || mentionsAiter(cls, ctx.source)) return;
        // `async for` only needs `__anext__` on what another class's `__aiter__` returns.
        aiterHelpers ??= namesUsedInAiterMethods(ctx.source);
        if (aiterHelpers.has(nameNode.text)) return;
        if (!decoratorNames(cls).every((name) => NEUTRAL_CLASS_DECORATORS.has(name)) || isProtocolClass(cls, ctx.facts)) return;
        // An unknown base class may well define `__aiter__`.
        const shape = ctx.facts.classShape(cls, 0);
        if (!shape || shape.hasAiter) return;
        const name = nameNode.text;
        ctx.report({
          at: nameNode,
          message: `\`${name}\` defines \`__anext__\` but no \`__aiter__\`: \`async for\` fails with `
            + `\`TypeError: 'async for' requires an object with __aiter__ method, got ${name}\`.`,
          fixes: [addAiterFix(anext, ctx)],
        });
      },
    };
  },
};
