import type { TextEdit } from '../../engine/types';
import { canCompleteNormally, hasOnlyNeutralDecorators, isDeclarationOnly, ownReturnStatements, returnsNone } from '../flow';
import type { Node } from '../parser';
import { rangeOf, type PythonRule, type PythonRuleContext } from '../rule';
import { classOfMethod, functionName, hasAsyncKeyword, indentationOf, lineBreakOf } from '../syntax';

interface IteratorMethod {
  /** The method a usable iterator also needs, so that returning `self` is right. */
  readonly partner: string;
  /** What CPython raises when the method returns `None`. */
  readonly failure: string;
}

const ITERATOR_METHODS: ReadonlyMap<string, IteratorMethod> = new Map([
  ['__aiter__', {
    partner: '__anext__',
    failure: '`async for` fails with `TypeError: \'async for\' received an object from __aiter__ that does not implement __anext__: NoneType`',
  }],
  ['__iter__', {
    partner: '__next__',
    failure: '`for` fails with `TypeError: iter() returned non-iterator of type \'NoneType\'`',
  }],
]);

/** Offset of the end of the line on which `offset` lies (before its line break). */
function lineEndAt(source: string, offset: number): number {
  const match = /[\r\n]/.exec(source.slice(offset));
  return match ? offset + match.index : source.length;
}

/** Adds `return self` after the last statement of `body`, on its own line unless the body shares the `def` line. */
function appendReturnSelf(body: Node, fn: Node, ctx: PythonRuleContext): TextEdit | undefined {
  const statements = body.namedChildren.filter((statement): statement is Node => !!statement && statement.type !== 'comment');
  const last = statements[statements.length - 1];
  if (!last) return undefined;
  const header = fn.childForFieldName('parameters') ?? fn;
  if (body.startPosition.row === header.endPosition.row) {
    return { range: { start: last.endIndex, end: last.endIndex }, newText: '; return self' };
  }
  const at = lineEndAt(ctx.source, last.endIndex);
  return { range: { start: at, end: at }, newText: `${lineBreakOf(ctx.source)}${indentationOf(ctx.source, last)}return self` };
}

function describeExit(fallsThrough: boolean, returnsNoneCount: number): string {
  if (fallsThrough && returnsNoneCount > 0) return 'can end without a `return` and has a `return` without a value';
  if (fallsThrough) return 'can end without a `return`';
  return returnsNoneCount > 1 ? 'has `return` statements without a value' : 'has a `return` without a value';
}

export const iteratorMethodMissingReturn: PythonRule = {
  code: 'AIT201',
  create(ctx) {
    return {
      function_definition(fn) {
        const name = functionName(fn);
        const method = name === undefined ? undefined : ITERATOR_METHODS.get(name);
        const nameNode = fn.childForFieldName('name');
        const body = fn.childForFieldName('body');
        if (!method || !nameNode || !body || hasAsyncKeyword(fn)) return;
        const cls = classOfMethod(fn);
        if (!cls || !hasOnlyNeutralDecorators(fn) || ctx.facts.isGenerator(fn) || isDeclarationOnly(fn, ctx.facts)) return;

        const noneReturns = ownReturnStatements(fn).filter(returnsNone);
        const fallsThrough = canCompleteNormally(body, ctx.facts);
        if (!fallsThrough && noneReturns.length === 0) return;

        const edits: TextEdit[] = noneReturns.map((statement) => ({ range: rangeOf(statement), newText: 'return self' }));
        if (fallsThrough) {
          const append = appendReturnSelf(body, fn, ctx);
          if (append) edits.push(append);
        }
        const isIterator = ctx.facts.memberOf(cls, method.partner, 0) !== undefined;
        ctx.report({
          at: nameNode,
          message: `\`${name}\` ${describeExit(fallsThrough, noneReturns.length)}, so it returns \`None\`: ${method.failure}.`,
          fixes: edits.length > 0 ? [{ title: 'Return `self`', safety: isIterator ? 'safe' : 'unsafe', edits }] : [],
        });
      },
    };
  },
};
