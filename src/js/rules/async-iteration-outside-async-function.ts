import type * as ts from 'typescript';
import { makeAsyncEdit } from '../edits';
import type { FunctionLike } from '../facts';
import { defineJsRule, type JsRuleContext } from '../rule';
import { loopHead } from '../syntax';

const messages = {
  inFunction: '`for await` in {{place}}: only an `async` function can wait, so JavaScript rejects the file with a SyntaxError.',
  atTopLevel: '`for await` at the top level of {{place}}: only an ES module can wait at its top level, and this file is not one.',
};

const fixTitles = {
  makeAsync: 'Make {{name}} async',
};

type Context = JsRuleContext<keyof typeof messages, keyof typeof fixTitles>;

/** Where a `for await` runs: the innermost function, a class static block, a namespace body, or the file's top level. */
type Owner =
  | { readonly kind: 'function'; readonly fn: FunctionLike }
  | { readonly kind: 'staticBlock' | 'namespace' | 'topLevel' };

function ownerOf(ts: Context['ts'], loop: ts.ForOfStatement): Owner {
  for (let current = loop.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current) || ts.isConstructorDeclaration(current) || ts.isGetAccessorDeclaration(current) || ts.isSetAccessorDeclaration(current)) {
      return { kind: 'function', fn: current };
    }
    if (ts.isClassStaticBlockDeclaration(current)) return { kind: 'staticBlock' };
    if (ts.isModuleDeclaration(current)) return { kind: 'namespace' };
  }
  return { kind: 'topLevel' };
}

/** The name a function goes by: its own, the variable or property it is assigned to, or undefined. */
function functionName(ts: Context['ts'], fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === fn && (ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name))) return parent.name.text;
  return undefined;
}

/** How the message names the place, and how the fix names the function. */
function describeFunction(ts: Context['ts'], fn: FunctionLike): { place: string; name: string } {
  if (ts.isConstructorDeclaration(fn)) return { place: 'a constructor, which cannot be `async`', name: 'the constructor' };
  if (ts.isGetAccessorDeclaration(fn)) return { place: 'a getter, which cannot be `async`', name: 'the getter' };
  if (ts.isSetAccessorDeclaration(fn)) return { place: 'a setter, which cannot be `async`', name: 'the setter' };
  const name = functionName(ts, fn);
  const kind = ts.isMethodDeclaration(fn) ? 'method' : ts.isArrowFunction(fn) ? 'arrow function' : 'function';
  if (name) return { place: `the ${kind} \`${name}\`, which is not \`async\``, name: `\`${name}\`` };
  return { place: `${kind === 'arrow function' ? 'an' : 'a'} ${kind} that is not \`async\``, name: `the ${kind}` };
}

/**
 * A function passed straight to a call (`items.forEach((x) => …)`): what the
 * callee does with the promise an `async` version returns cannot be seen, and
 * `forEach` and most others drop it, so no fix is offered.
 */
function isCallback(ts: Context['ts'], fn: FunctionLike): boolean {
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && (parent.arguments?.includes(node as ts.Expression) ?? false);
}

export const asyncIterationOutsideAsyncFunction = defineJsRule({
  meta: {
    code: 'AIT105',
    name: 'async-iteration-outside-async-function',
    language: 'javascript',
    defaultSeverity: 'error',
    summary: 'Async iteration outside an `async` function is a syntax error.',
    messages,
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: fixTitles },
  },
  // TS1103: "'for await' loops are only allowed within async functions and at the top levels of modules."
  // TS1431: "... only allowed at the top level of a file when that file is a module, but this file has no imports or exports."
  // TS1309: "The current file is a CommonJS module and cannot use 'await' at the top level."
  // TS18038: "'for await' loops cannot be used inside a class static block."
  compilerCodes: [1103, 1431, 1309, 18038],
  create(ctx) {
    const { ts, sourceFile, facts } = ctx;
    return {
      ForOfStatement(node) {
        const loop = node as ts.ForOfStatement;
        if (!loop.awaitModifier) return;
        const at = loopHead(ts, loop, sourceFile);
        const owner = ownerOf(ts, loop);
        switch (owner.kind) {
          case 'function': {
            if (facts.isAsync(owner.fn)) return;
            const { place, name } = describeFunction(ts, owner.fn);
            const edit = isCallback(ts, owner.fn) ? undefined : makeAsyncEdit(ts, owner.fn, sourceFile);
            ctx.report({ at, messageId: 'inFunction', data: { place }, fixes: edit ? [ctx.fix('makeAsync', 'unsafe', [edit], { name })] : [] });
            return;
          }
          case 'staticBlock':
            ctx.report({ at, messageId: 'inFunction', data: { place: 'a class static block, which cannot be `async`' } });
            return;
          case 'namespace':
            ctx.report({ at, messageId: 'inFunction', data: { place: 'a namespace body, which cannot be `async`' } });
            return;
          case 'topLevel': {
            const format = facts.moduleFormat();
            if (format === 'commonjs') ctx.report({ at, messageId: 'atTopLevel', data: { place: 'a CommonJS file' } });
            else if (format === 'script') ctx.report({ at, messageId: 'atTopLevel', data: { place: 'a file that is not a module (it has no `import` or `export`)' } });
            return;
          }
        }
      },
    };
  },
});
