import type * as ts from 'typescript';
import type { Fix } from '../../engine/types';
import { runsInPlace } from '../callbacks';
import { hasModifier, isAsyncGeneratorFunction, skipOuter, wellKnownSymbolName, type FunctionLike } from '../facts';
import { containerOf, iteratorIndex, memberKey, type IteratorContainer } from '../iterators';
import { defineJsRule } from '../rule';
import { loopHead, rangeOf } from '../syntax';

const messages = {
  blockingCall: '{{what}} blocks inside {{context}}: until it returns, the whole event loop is frozen, '
    + 'not just this loop, and every other task waits.',
  busyWait: 'This loop spins on {{clock}} inside {{context}} without awaiting: until the time is up, the whole event loop is frozen, '
    + 'not just this loop, and every other task waits.',
};

const fixTitles = {
  fsPromises: 'Use `await {{replacement}}()`',
};

/** Node modules whose `…Sync` exports do their work on the calling thread (`fs.readFileSync`, `child_process.execSync`, `zlib.gzipSync`, `crypto.scryptSync`). */
const SYNC_MODULES: ReadonlySet<string> = new Set(['fs', 'child_process', 'zlib', 'crypto']);
/** One of SYNC_MODULES as a module specifier, as any import or `require` of it writes it. */
const MODULE_STRING = /['"`](?:node:)?(?:fs|child_process|zlib|crypto)['"`]/;

/**
 * `fs` functions whose `fs.promises` counterpart takes the same arguments and
 * resolves to what the synchronous one returns. Not here: `existsSync` (no
 * counterpart), the descriptor functions (`openSync`, `readSync`, `fstatSync`…:
 * the promise API works on file handles, not numbers), `statSync` and
 * `lstatSync` with options (`throwIfNoEntry` has no counterpart).
 */
const FS_PROMISE_EQUIVALENTS: Readonly<Record<string, string>> = {
  accessSync: 'access', appendFileSync: 'appendFile', chmodSync: 'chmod', chownSync: 'chown', copyFileSync: 'copyFile', cpSync: 'cp',
  lchownSync: 'lchown', linkSync: 'link', lstatSync: 'lstat', lutimesSync: 'lutimes', mkdirSync: 'mkdir', mkdtempSync: 'mkdtemp',
  readdirSync: 'readdir', readFileSync: 'readFile', readlinkSync: 'readlink', realpathSync: 'realpath', renameSync: 'rename',
  rmdirSync: 'rmdir', rmSync: 'rm', statSync: 'stat', symlinkSync: 'symlink', truncateSync: 'truncate', unlinkSync: 'unlink',
  utimesSync: 'utimes', writeFileSync: 'writeFile',
};
const ONE_ARGUMENT_ONLY: ReadonlySet<string> = new Set(['statSync', 'lstatSync']);

const COMPARISONS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);

interface BlockingCall {
  readonly what: string;
  readonly module: string;
  readonly name: string;
}

export const blockingCallInAsyncIteration = defineJsRule({
  meta: {
    code: 'AIT401',
    name: 'blocking-call-in-async-iteration',
    language: 'javascript',
    defaultSeverity: 'warning',
    summary: 'A blocking call inside async iteration freezes the event loop.',
    messages,
    fix: { availability: 'sometimes', safety: ['unsafe'], titles: fixTitles },
  },
  create(ctx) {
    const { ts, sourceFile, facts } = ctx;

    const isFunctionLike = (node: ts.Node): node is FunctionLike => ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)
      || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);

    /** The container whose `next` a function is (`next() {…}`, `next: async () => …`), if it is one. */
    const nextOf = (fn: FunctionLike): IteratorContainer | undefined => {
      if (ts.isMethodDeclaration(fn)) {
        if (fn.asteriskToken || !fn.body || memberKey(ts, fn.name) !== 'next' || hasModifier(ts, fn, ts.SyntaxKind.StaticKeyword)) return undefined;
        return containerOf(ts, fn);
      }
      if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return undefined;
      if (fn.asteriskToken) return undefined;
      let node: ts.Node = fn;
      while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
      const property = node.parent;
      if (!property || !ts.isPropertyAssignment(property) || memberKey(ts, property.name) !== 'next') return undefined;
      return ts.isObjectLiteralExpression(property.parent) ? property.parent : undefined;
    };

    /**
     * Whether a `for await` walks a synchronous iterable: by its type, or by
     * its syntax (an array literal, a rest parameter, a parameter declared as
     * an array or defaulting to one). Its items are all there already: the
     * loop is a plain loop that happens to await them, like a `for…of` with
     * an `await` in an async function, which this rule leaves alone.
     */
    const isArrayValue = (expression: ts.Expression): boolean => {
      if (facts.iterability(expression) === 'sync') return true;
      const node = skipOuter(ts, expression);
      if (!ts.isIdentifier(node)) return false;
      const declaration = facts.singleDeclaration(node);
      if (!declaration || !ts.isParameter(declaration)) return false;
      if (declaration.dotDotDotToken) return true;
      const type = declaration.type;
      if (type) return ts.isArrayTypeNode(type) || (ts.isTypeOperatorNode(type) && ts.isArrayTypeNode(type.type));
      return declaration.initializer !== undefined && ts.isArrayLiteralExpression(skipOuter(ts, declaration.initializer));
    };

    /** What a function is, when its own code runs once per item of an async iteration. */
    const functionContext = (fn: FunctionLike): string | undefined => {
      if (isAsyncGeneratorFunction(ts, fn)) {
        const symbol = wellKnownSymbolName(ts, fn.name);
        const name = symbol ? `[Symbol.${symbol}]` : fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name)) ? fn.name.text : undefined;
        return name ? `the async generator \`${name}()\`` : 'an async generator';
      }
      const container = nextOf(fn);
      if (container && iteratorIndex(facts).roleOf(container)?.async) return 'the `next()` of an async iterator';
      return undefined;
    };

    /**
     * Whether `node` runs once per item of an async iteration: in the body of
     * a `for await` loop, or in the own code of an async generator or of an
     * async iterator's `next()`, counting functions that run where they are
     * written (see `runsInPlace`) but no other nested function. Says which.
     */
    const iterationContext = (node: ts.Node): string | undefined => {
      let child = node;
      for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
        if (ts.isForOfStatement(parent) && parent.awaitModifier && parent.statement === child && !isArrayValue(parent.expression)) return 'a `for await` loop';
        if (isFunctionLike(parent)) {
          const own = functionContext(parent);
          if (own) return own;
          if (!runsInPlace(facts, parent)) return undefined;
        } else if (ts.isClassStaticBlockDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isSourceFile(parent)) return undefined;
      }
      return undefined;
    };

    let mentions: boolean | undefined;
    /** Whether the file names one of the modules in a string (`'node:fs'`, `"zlib"`): an import or `require` of one needs that. */
    const namesSyncModule = (): boolean => (mentions ??= MODULE_STRING.test(sourceFile.text));

    const blockingCall = (call: ts.CallExpression): BlockingCall | undefined => {
      const callee = skipOuter(ts, call.expression);
      const last = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (last === 'wait' && ts.isPropertyAccessExpression(callee)) {
        const owner = skipOuter(ts, callee.expression);
        if (ts.isIdentifier(owner) && owner.text === 'Atomics' && facts.isUndeclared(owner)) return { what: '`Atomics.wait()`', module: '', name: 'wait' };
        return undefined;
      }
      // A named import may be renamed (`import { statSync as stat } from 'fs'`): only a member's name says enough to skip resolving.
      if (!ts.isIdentifier(callee) && !last?.endsWith('Sync')) return undefined;
      // Most files import none of these modules: then no call resolves to one, and none needs resolving (most of the rule's cost).
      if (!namesSyncModule()) return undefined;
      const reference = facts.moduleReference(callee);
      if (!reference || reference.path.length !== 1 || !SYNC_MODULES.has(reference.module)) return undefined;
      const name = reference.path[0]!;
      if (!name.endsWith('Sync')) return undefined;
      return { what: `\`${reference.module}.${name}()\``, module: reference.module, name };
    };

    /**
     * `fs.readFileSync(p)` → `await fs.promises.readFile(p)`, when the call is
     * a statement of its own or a variable's whole initializer where `await`
     * is legal, the receiver is the `fs` module itself, and the promise API
     * has a counterpart taking the same arguments.
     */
    const fsPromisesFix = (call: ts.CallExpression, blocking: BlockingCall): Fix | undefined => {
      const replacement = FS_PROMISE_EQUIVALENTS[blocking.name];
      if (blocking.module !== 'fs' || !replacement || call.questionDotToken || call.typeArguments) return undefined;
      if (ONE_ARGUMENT_ONLY.has(blocking.name) && call.arguments.length !== 1) return undefined;
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || !ts.isIdentifier(callee.expression)) return undefined;
      const receiver = facts.moduleReference(callee.expression);
      if (receiver?.module !== 'fs' || receiver.path.length !== 0) return undefined;
      const parent = call.parent;
      const whole = (ts.isExpressionStatement(parent) && parent.expression === call) || (ts.isVariableDeclaration(parent) && parent.initializer === call);
      if (!whole || !facts.canAwait(call) || !takesPath(call.arguments[0])) return undefined;
      const start = call.getStart(sourceFile);
      return ctx.fix('fsPromises', 'unsafe', [
        { range: { start, end: start }, newText: 'await ' },
        { range: rangeOf(callee.name, sourceFile), newText: `promises.${replacement}` },
      ], { replacement: `${callee.expression.text}.promises.${replacement}` });
    };

    /** A first argument the promise API reads as the sync one does: not a file descriptor (a number). */
    const takesPath = (argument: ts.Expression | undefined): boolean => {
      if (!argument || ts.isSpreadElement(argument)) return false;
      const node = skipOuter(ts, argument);
      if (ts.isNumericLiteral(node) || ts.isPrefixUnaryExpression(node)) return false;
      if (!ctx.checker) return true;
      try {
        return !(ctx.checker.getTypeAtLocation(argument).flags & ts.TypeFlags.NumberLike);
      } catch {
        return false;
      }
    };

    /** `Date.now()`, `performance.now()`, `process.hrtime.bigint()`, `new Date().getTime()`: the clock a busy-wait reads. */
    const clockRead = (expression: ts.Expression): string | undefined => {
      const node = skipOuter(ts, expression);
      if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.MinusToken || node.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
        return clockRead(node.left) ?? clockRead(node.right);
      }
      if (!ts.isCallExpression(node) || node.arguments.length > 0) return undefined;
      const callee = skipOuter(ts, node.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const owner = skipOuter(ts, callee.expression);
      if (ts.isNewExpression(owner) && ts.isIdentifier(owner.expression) && owner.expression.text === 'Date' && facts.isUndeclared(owner.expression)
        && (owner.arguments?.length ?? 0) === 0 && (callee.name.text === 'getTime' || callee.name.text === 'valueOf')) return `\`new Date().${callee.name.text}()\``;
      if (ts.isIdentifier(owner) && callee.name.text === 'now') {
        if ((owner.text === 'Date' || owner.text === 'performance') && facts.isUndeclared(owner)) return `\`${owner.text}.now()\``;
        const reference = facts.moduleReference(callee);
        if (reference?.module === 'perf_hooks' && reference.path.join('.') === 'performance.now') return '`performance.now()`';
      }
      const reference = facts.moduleReference(callee);
      if (reference?.module === '' && reference.path.join('.') === 'process.hrtime.bigint') return '`process.hrtime.bigint()`';
      return undefined;
    };

    /** Whether a loop's own code (nested functions aside) awaits or yields. */
    const waitsInside = (loop: ts.Node): boolean => {
      let found = false;
      const visit = (node: ts.Node): void => {
        if (found || isFunctionLike(node) || ts.isClassLike(node)) return;
        if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) found = true;
        else ts.forEachChild(node, visit);
      };
      ts.forEachChild(loop, visit);
      return found;
    };

    const checkBusyWait = (loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement): void => {
      const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
      const comparison = condition && skipOuter(ts, condition);
      if (!comparison || !ts.isBinaryExpression(comparison) || !COMPARISONS.has(comparison.operatorToken.getText(sourceFile))) return;
      const clock = clockRead(comparison.left) ?? clockRead(comparison.right);
      if (!clock || waitsInside(loop)) return;
      const context = iterationContext(loop);
      if (!context) return;
      ctx.report({ at: busyWaitHead(loop), messageId: 'busyWait', data: { clock, context } });
    };

    /** A busy-wait loop's head: `while (…)`, `for (…)`, or the `while (…)` that ends a `do`. */
    const busyWaitHead = (loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement) => {
      if (!ts.isDoStatement(loop)) return loopHead(ts, loop, sourceFile);
      const children = loop.getChildren(sourceFile);
      const keyword = children.find((child) => child.kind === ts.SyntaxKind.WhileKeyword);
      const close = children.find((child) => child.kind === ts.SyntaxKind.CloseParenToken);
      return { start: keyword ? keyword.getStart(sourceFile) : loop.expression.getStart(sourceFile), end: close ? close.getEnd() : loop.expression.getEnd() };
    };

    return {
      CallExpression(node) {
        const call = node as ts.CallExpression;
        const blocking = blockingCall(call);
        if (!blocking) return;
        const context = iterationContext(call);
        if (!context) return;
        const fix = fsPromisesFix(call, blocking);
        ctx.report({ at: call.expression, messageId: 'blockingCall', data: { what: blocking.what, context }, fixes: fix ? [fix] : [] });
      },
      WhileStatement(node) {
        checkBusyWait(node as ts.WhileStatement);
      },
      DoStatement(node) {
        checkBusyWait(node as ts.DoStatement);
      },
      ForStatement(node) {
        checkBusyWait(node as ts.ForStatement);
      },
    };
  },
});
