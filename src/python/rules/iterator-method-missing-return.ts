import type { TextEdit } from '../../engine/types';
import { appendToBody } from '../edits';
import { canCompleteNormally, ownReturnStatements, returnsNone } from '../flow';
import { definePythonRule, rangeOf } from '../rule';
import { hasOnlyNeutralDecorators, isDeclarationOnly } from '../semantic/methods';
import { classOfMethod, functionName, hasAsyncKeyword } from '../syntax';

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

function describeExit(fallsThrough: boolean, returnsNoneCount: number): string {
  if (fallsThrough && returnsNoneCount > 0) return 'can end without a `return` and has a `return` without a value';
  if (fallsThrough) return 'can end without a `return`';
  return returnsNoneCount > 1 ? 'has `return` statements without a value' : 'has a `return` without a value';
}

export const iteratorMethodMissingReturn = definePythonRule({
  meta: {
    code: 'AIT201',
    name: 'iterator-method-missing-return',
    language: 'python',
    defaultSeverity: 'error',
    summary: '`__aiter__` / `__iter__` can end without returning an iterator.',
    messages: { returnsNone: '`{{method}}` {{exit}}, so it returns `None`: {{failure}}.' },
    fix: { availability: 'always', safety: ['safe', 'unsafe'], titles: { returnSelf: 'Return `self`' } },
  },
  create(ctx) {
    return {
      function_definition(fn) {
        const name = functionName(fn);
        const method = name === undefined ? undefined : ITERATOR_METHODS.get(name);
        const nameNode = fn.childForFieldName('name');
        const body = fn.childForFieldName('body');
        if (!method || !nameNode || !body || hasAsyncKeyword(fn)) return;
        const cls = classOfMethod(fn);
        if (!cls || !hasOnlyNeutralDecorators(fn, ctx.facts) || ctx.facts.isGenerator(fn) || isDeclarationOnly(fn, ctx.facts)) return;

        const noneReturns = ownReturnStatements(fn).filter(returnsNone);
        const fallsThrough = canCompleteNormally(body, ctx.facts);
        if (!fallsThrough && noneReturns.length === 0) return;

        const edits: TextEdit[] = noneReturns.map((statement) => ({ range: rangeOf(statement), newText: 'return self' }));
        if (fallsThrough) {
          const append = appendToBody(fn, 'return self', ctx.source);
          if (append) edits.push(append);
        }
        const isIterator = ctx.facts.memberOf(cls, method.partner) !== undefined;
        ctx.report({
          at: nameNode,
          messageId: 'returnsNone',
          data: { method: name!, exit: describeExit(fallsThrough, noneReturns.length), failure: method.failure },
          fixes: edits.length > 0 ? [ctx.fix('returnSelf', isIterator ? 'safe' : 'unsafe', edits)] : [],
        });
      },
    };
  },
});
