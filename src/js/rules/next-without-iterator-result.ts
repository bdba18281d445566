import type * as ts from 'typescript';
import type { Fix } from '../../engine/types';
import { appendStatementEdit } from '../edits';
import { hasModifier, skipOuter } from '../facts';
import { ownReturns } from '../flow';
import { containerOf, isPlainMethod, iteratorIndex, memberKey, methodCompletion, type IteratorRole } from '../iterators';
import { defineJsRule, type JsRuleContext } from '../rule';
import { quote, rangeOf } from '../syntax';

const messages = {
  notAnObject: '`next()` returns {{what}}, which is not an object: {{loop}} fails with `TypeError: Iterator result … is not an object`.',
  nothing: '`next()` returns {{what}} here instead of `{ value, done }`: {{loop}} fails with `TypeError: Iterator result {{value}} is not an object`.',
  fallsOff: '`next()` can end without a `return`, so it returns `undefined` instead of `{ value, done }`: {{loop}} fails with `TypeError: Iterator result undefined is not an object`.',
  noResultFields: '`next()` returns {{what}}, an object with neither `value` nor `done`: {{loop}} reads it as an item `undefined` and goes on, as if it were not done.',
};

const fixTitles = {
  returnDone: 'Return `{ value: undefined, done: true }`',
};

type Context = JsRuleContext<keyof typeof messages, keyof typeof fixTitles>;

const DONE = 'return { value: undefined, done: true };';

/** Binary operators whose result is always a primitive (not assignments, not `&&` / `||` / `??` / `,`). */
function isPrimitiveOperator(ts: Context['ts'], kind: ts.SyntaxKind): boolean {
  const S = ts.SyntaxKind;
  return [
    S.PlusToken, S.MinusToken, S.AsteriskToken, S.SlashToken, S.PercentToken, S.AsteriskAsteriskToken,
    S.LessThanLessThanToken, S.GreaterThanGreaterThanToken, S.GreaterThanGreaterThanGreaterThanToken,
    S.AmpersandToken, S.BarToken, S.CaretToken,
    S.EqualsEqualsToken, S.ExclamationEqualsToken, S.EqualsEqualsEqualsToken, S.ExclamationEqualsEqualsToken,
    S.LessThanToken, S.GreaterThanToken, S.LessThanEqualsToken, S.GreaterThanEqualsToken,
    S.InKeyword, S.InstanceOfKeyword,
  ].includes(kind);
}

/** An expression that evaluates to a primitive whatever its operands: a literal, arithmetic, a comparison, `typeof`, `!x`. */
function isPrimitive(ts: Context['ts'], expression: ts.Expression): boolean {
  const node = skipOuter(ts, expression);
  if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node) || ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return true;
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (ts.isTypeOfExpression(node) || ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) return true;
  if (ts.isBinaryExpression(node)) return isPrimitiveOperator(ts, node.operatorToken.kind);
  if (ts.isConditionalExpression(node)) return isPrimitive(ts, node.whenTrue) && isPrimitive(ts, node.whenFalse);
  return false;
}

/** `return;`, `return undefined;`, `return void …;`, `return null;`: the value that ends up in the TypeError. */
function nothingReturned(ts: Context['ts'], statement: ts.ReturnStatement): 'undefined' | 'null' | undefined {
  if (!statement.expression) return 'undefined';
  const value = skipOuter(ts, statement.expression);
  if (value.kind === ts.SyntaxKind.NullKeyword) return 'null';
  return ts.isVoidExpression(value) || (ts.isIdentifier(value) && value.text === 'undefined') ? 'undefined' : undefined;
}

/** An object literal that spells out neither `value` nor `done` (and spreads nothing in). */
function lacksResultFields(ts: Context['ts'], expression: ts.Expression): boolean {
  const node = skipOuter(ts, expression);
  if (!ts.isObjectLiteralExpression(node)) return false;
  return node.properties.every((property) => {
    if (ts.isSpreadAssignment(property) || !property.name) return false;
    const key = memberKey(ts, property.name);
    return key !== undefined && key !== 'value' && key !== 'done';
  });
}

export const nextWithoutIteratorResult = defineJsRule({
  meta: {
    code: 'AIT206',
    name: 'next-without-iterator-result',
    language: 'javascript',
    defaultSeverity: 'error',
    summary: 'An iterator\'s `next()` can return something other than `{ value, done }`.',
    messages,
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: fixTitles },
  },
  // TS2490 / TS2547: "The type returned by the 'next()' method of an (async) iterator must have a
  // 'value' property", which the compiler reports where the object is iterated, not here.
  compilerCodes: [2490, 2547],
  create(ctx) {
    const { ts, sourceFile, facts } = ctx;

    /** What the types say a returned value is, after `await` when the loop awaits each result. */
    const typedKind = (expression: ts.Expression, role: IteratorRole): 'primitive' | 'noFields' | undefined => {
      const checker = ctx.checker;
      if (!checker) return undefined;
      let type: ts.Type;
      try {
        type = checker.getTypeAtLocation(expression);
        if (role.async) type = checker.getAwaitedType(type) ?? type;
      } catch {
        return undefined;
      }
      const members = type.isUnion() ? type.types : [type];
      const kinds = new Set(members.map((member) => memberKind(member)));
      return kinds.size === 1 ? [...kinds][0] : undefined;
    };

    const memberKind = (type: ts.Type): 'primitive' | 'noFields' | undefined => {
      const F = ts.TypeFlags;
      const checker = ctx.checker!;
      if (type.flags & (F.StringLike | F.NumberLike | F.BigIntLike | F.BooleanLike | F.ESSymbolLike | F.Null | F.Undefined | F.Void | F.EnumLike)) return 'primitive';
      if (!(type.flags & F.Object) || checker.getIndexInfosOfType(type).length > 0) return undefined;
      const names = checker.getPropertiesOfType(type).map((property) => String(property.escapedName));
      // `{}` says nothing; a thenable is awaited by `for await` and unknown to `for…of`.
      if (names.length === 0 || names.includes('value') || names.includes('done') || names.includes('then')) return undefined;
      return 'noFields';
    };

    return {
      MethodDeclaration(node) {
        const method = node as ts.MethodDeclaration;
        const container = containerOf(ts, method);
        if (!container || memberKey(ts, method.name) !== 'next' || !isPlainMethod(ts, method)) return;
        if (hasModifier(ts, method, ts.SyntaxKind.StaticKeyword) || (ts.canHaveDecorators(method) && (ts.getDecorators(method)?.length ?? 0) > 0)) return;
        const role = iteratorIndex(facts).roleOf(container);
        // `async next()` in a synchronous iterator is another mistake; an empty body is a stub.
        if (!role || (!role.async && hasModifier(ts, method, ts.SyntaxKind.AsyncKeyword)) || method.body.statements.length === 0) return;
        const loop = role.async ? '`for await`' : '`for…of`';

        for (const statement of ownReturns(ts, method.body)) {
          const nothing = nothingReturned(ts, statement);
          if (nothing) {
            ctx.report({
              at: statement,
              messageId: 'nothing',
              data: { what: statement.expression ? quote(statement.expression, sourceFile) : 'nothing', value: nothing, loop },
              fixes: [ctx.fix('returnDone', 'unsafe', [{ range: rangeOf(statement, sourceFile), newText: DONE }])],
            });
            continue;
          }
          const value = statement.expression!;
          const kind = isPrimitive(ts, value) ? 'primitive' : lacksResultFields(ts, value) ? 'noFields' : typedKind(value, role);
          if (kind) ctx.report({ at: statement, messageId: kind === 'primitive' ? 'notAnObject' : 'noResultFields', data: { what: quote(value, sourceFile), loop } });
        }

        if (methodCompletion(ts, facts, method.body) !== 'falls') return;
        const append = appendStatementEdit(ts, method.body, DONE, sourceFile);
        const fixes: Fix[] = append ? [ctx.fix('returnDone', 'unsafe', [append])] : [];
        ctx.report({ at: method.name, messageId: 'fallsOff', data: { loop }, fixes });
      },
    };
  },
});
