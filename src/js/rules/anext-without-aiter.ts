import type * as ts from 'typescript';
import { insertMemberBeforeEdits } from '../edits';
import { skipOuter } from '../facts';
import { ASYNC_ITERATOR_KEY, ITERATOR_KEY, containerName, containerShape, iteratorIndex, type IteratorContainer } from '../iterators';
import { defineJsRule } from '../rule';
import { quote } from '../syntax';

const messages = {
  notAsyncIterable: '{{what}} has a `next()` method but no `[Symbol.asyncIterator]()`: `for await` fails with `TypeError: … is not async iterable`.',
  yieldStar: '`yield*` cannot delegate to {{what}}: it has a `next()` method but no `[Symbol.asyncIterator]()` (`TypeError: … is not async iterable`).',
};

const fixTitles = {
  addAsyncIterator: 'Add `[Symbol.asyncIterator]()` returning `this`',
};

/** How deep a chain of `const a = b` is followed. */
const MAX_DEPTH = 8;

/** What the types say about an iterated value: the class or object literal that lacks the symbol, that it is fine, or nothing. */
type TypedVerdict = { readonly missing: IteratorContainer | undefined } | 'fine' | 'unknown';

export const anextWithoutAiter = defineJsRule({
  meta: {
    code: 'AIT205',
    name: 'anext-without-aiter',
    language: 'javascript',
    defaultSeverity: 'error',
    summary: 'An object with `next()` but no `[Symbol.asyncIterator]()` is iterated with `for await`.',
    messages,
    fix: { availability: 'sometimes', safety: ['safe'], titles: fixTitles },
  },
  // TS2504: "Type … must have a '[Symbol.asyncIterator]()' method that returns an async iterator."
  compilerCodes: [2504],
  create(ctx) {
    const { ts, sourceFile, facts } = ctx;

    /** An object that has `next()` and neither iteration symbol, with every member visible. */
    const lacksSymbol = (container: IteratorContainer): boolean => {
      const { members, open } = containerShape(ts, container);
      if (open || !members.has('next') || members.has(ASYNC_ITERATOR_KEY) || members.has(ITERATOR_KEY)) return false;
      // `this[Symbol.asyncIterator] = …` in a constructor, a symbol held in a variable.
      const text = container.getText(sourceFile);
      if (text.includes('Symbol.asyncIterator') || text.includes('Symbol.iterator')) return false;
      const name = containerName(ts, container);
      return !name || !iteratorIndex(facts).isPatched(name.text);
    };

    const typedVerdict = (expression: ts.Expression): TypedVerdict => {
      const checker = ctx.checker;
      if (!checker) return 'unknown';
      let type: ts.Type;
      try {
        type = checker.getTypeAtLocation(expression);
      } catch {
        return 'unknown';
      }
      if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never) || type.isUnion() || type.isIntersection()) return 'unknown';
      const names = checker.getApparentType(type).getProperties().map((property) => String(property.escapedName));
      if (names.some((name) => name.startsWith('__@asyncIterator@') || name.startsWith('__@iterator@'))) return 'fine';
      if (!names.includes('next')) return 'unknown';
      // An interface (`AsyncIterator<T>`) describes only part of the object; a class or a literal is all of it.
      const declarations = type.getSymbol()?.getDeclarations() ?? [];
      const declaration = declarations.length === 1 ? declarations[0]! : undefined;
      if (!declaration || !(ts.isClassLike(declaration) || ts.isObjectLiteralExpression(declaration)) || declaration.getSourceFile().isDeclarationFile) return 'unknown';
      if (declaration.getSourceFile() !== sourceFile) return { missing: undefined };
      return lacksSymbol(declaration) ? { missing: declaration } : 'fine';
    };

    /** The local class or object literal an expression evaluates to: `new Pager()`, `{ next() {…} }`, a `const` bound to one. */
    const syntacticContainer = (expression: ts.Expression, depth: number): IteratorContainer | undefined => {
      const node = skipOuter(ts, expression);
      if (depth > MAX_DEPTH) return undefined;
      if (ts.isObjectLiteralExpression(node)) return node;
      if (ts.isNewExpression(node)) {
        const target = facts.resolveValue(node.expression, 0);
        return target && ts.isClassLike(target) ? target : undefined;
      }
      if (!ts.isIdentifier(node)) return undefined;
      const declaration = facts.singleDeclaration(node);
      if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.type || !declaration.initializer) return undefined;
      const list = declaration.parent;
      if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
      return syntacticContainer(declaration.initializer, depth + 1);
    };

    const check = (expression: ts.Expression, messageId: keyof typeof messages) => {
      const typed = typedVerdict(expression);
      if (typed === 'fine') return;
      let container: IteratorContainer | undefined;
      if (typed === 'unknown') {
        container = syntacticContainer(expression, 0);
        if (!container || !lacksSymbol(container)) return;
      } else {
        container = typed.missing;
      }
      const next = container && containerShape(ts, container).members.get('next')?.[0];
      const fixes = next
        ? [ctx.fix('addAsyncIterator', 'safe', insertMemberBeforeEdits(ts, next, '[Symbol.asyncIterator]() { return this; }', sourceFile))]
        : [];
      ctx.report({ at: expression, messageId, data: { what: quote(expression, sourceFile) }, fixes });
    };

    return {
      ForOfStatement(node) {
        const loop = node as ts.ForOfStatement;
        if (loop.awaitModifier) check(loop.expression, 'notAsyncIterable');
      },
      YieldExpression(node) {
        const expression = node as ts.YieldExpression;
        if (!expression.asteriskToken || !expression.expression) return;
        const fn = facts.enclosingFunction(expression);
        if (fn && facts.isAsync(fn)) check(expression.expression, 'yieldStar');
      },
    };
  },
});
