import type * as ts from 'typescript';
import { hasModifier, skipOuter, type JsFacts } from '../facts';
import { containerShape, iteratorIndex, type IteratorContainer } from '../iterators';
import { defineJsRule, type TypeScript } from '../rule';

const messages = {
  noReturnMethod: 'This async iterator holds {{resource}} but has no `return()` method: leaving `for await` early (`break`, `return`, a `throw`) cannot release it.',
};

/** Listener registrations, and the calls that undo them. */
const ADD_LISTENER = new Set(['on', 'addListener', 'addEventListener', 'prependListener']);
const ADD_ONCE_LISTENER = new Set(['once', 'prependOnceListener']);
const REMOVE_LISTENER = new Set(['off', 'removeListener', 'removeEventListener', 'removeAllListeners']);

/** Node APIs that open something that stays open until it is closed, by `module#export`. */
const HANDLES: ReadonlyMap<string, string> = new Map([
  ['fs#open', 'an open file (`fs.open()`)'],
  ['fs#promises.open', 'an open file (`fs.promises.open()`)'],
  ['fs/promises#open', 'an open file (`open()`)'],
  ['fs#createReadStream', 'an open file (`createReadStream()`)'],
  ['fs#createWriteStream', 'an open file (`createWriteStream()`)'],
  ['fs#watch', 'a file watcher (`fs.watch()`)'],
  ['net#connect', 'a connection (`net.connect()`)'],
  ['net#createConnection', 'a connection (`net.createConnection()`)'],
  ['tls#connect', 'a connection (`tls.connect()`)'],
  ['child_process#spawn', 'a child process (`spawn()`)'],
  ['child_process#fork', 'a child process (`fork()`)'],
  ['readline#createInterface', 'a readline interface (`readline.createInterface()`)'],
]);

/** Constructors whose instances are open connections. */
const CONNECTIONS = new Set(['WebSocket', 'EventSource']);

interface Resource {
  readonly description: string;
  /** An event listener, which a `next()` call may add and remove by itself. */
  readonly listener?: boolean;
}

/** What a call takes hold of, if anything: a timer, a listener, a handle, a stream lock. */
function resourceOf(ts: TypeScript, facts: JsFacts, call: ts.CallExpression | ts.NewExpression): Resource | undefined {
  const callee = skipOuter(ts, call.expression);
  if (ts.isNewExpression(call)) {
    return ts.isIdentifier(callee) && CONNECTIONS.has(callee.text) ? { description: `a connection (\`new ${callee.text}()\`)` } : undefined;
  }
  const reference = facts.moduleReference(callee);
  if (reference) {
    const handle = HANDLES.get(`${reference.module}#${reference.path.join('.')}`);
    if (handle) return { description: handle };
    if (reference.module === 'timers' && reference.path.join('.') === 'setInterval') return { description: 'a timer (`setInterval()`)' };
  }
  if (ts.isIdentifier(callee) && !reference && !facts.singleDeclaration(callee)) {
    if (callee.text === 'setInterval') return { description: 'a timer (`setInterval()`)' };
    // A stored timeout is one to clear; `setTimeout(resolve, ms)` inside a promise runs out by itself.
    if (callee.text === 'setTimeout' && isStored(ts, call)) return { description: 'a timer (`setTimeout()`)' };
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  if (ADD_LISTENER.has(name) || ADD_ONCE_LISTENER.has(name)) return { description: `an event listener (\`.${name}()\`)`, listener: true };
  if (name === 'getReader' && call.arguments.length <= 1) return { description: 'a stream lock (`.getReader()`)' };
  if (name === 'connect') return { description: 'a connection (`.connect()`)' };
  return undefined;
}

/** `this.timer = setTimeout(…)`, `const timer = setTimeout(…)`. */
function isStored(ts: TypeScript, call: ts.CallExpression | ts.NewExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node)
    || (ts.isVariableDeclaration(parent) && parent.initializer === node)
    || (ts.isPropertyDeclaration(parent) && parent.initializer === node);
}

/** Whether `root` removes a listener itself (`.off()`, `removeEventListener()`…). */
function removesListener(ts: TypeScript, root: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(ts, node.expression);
      if (ts.isPropertyAccessExpression(callee) && REMOVE_LISTENER.has(callee.name.text)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

export const iteratorWithoutReturnMethod = defineJsRule({
  meta: {
    code: 'AIT207',
    name: 'iterator-without-return-method',
    language: 'javascript',
    defaultSeverity: 'hint',
    summary: 'A hand-written async iterator holding a resource has no `return()`.',
    messages,
    fix: { availability: 'never', safety: [], titles: {} },
  },
  create(ctx) {
    const { ts, facts } = ctx;

    /** The first resource the iterator takes, in source order; listeners added and removed within one `next()` call are let go. */
    const firstResource = (roots: readonly ts.Node[], nextBody: ts.Node): Resource | undefined => {
      const nextReleases = removesListener(ts, nextBody);
      for (const root of roots) {
        let found: Resource | undefined;
        const visit = (node: ts.Node): void => {
          if (found) return;
          if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
            const resource = resourceOf(ts, facts, node);
            const inNext = node.pos >= nextBody.pos && node.end <= nextBody.end;
            const callee = skipOuter(ts, node.expression);
            const once = ts.isPropertyAccessExpression(callee) && ADD_ONCE_LISTENER.has(callee.name.text);
            // A one-shot listener in `next()` fires before the loop body runs; one undone in `next()` too.
            if (resource && !(inNext && resource.listener && (once || nextReleases))) {
              found = resource;
              return;
            }
          }
          ts.forEachChild(node, visit);
        };
        visit(root);
        if (found) return found;
      }
      return undefined;
    };

    const check = (container: IteratorContainer) => {
      const { members, open } = containerShape(ts, container);
      const candidates = members.get('next') ?? [];
      if (open || members.has('return') || candidates.length !== 1) return;
      const role = iteratorIndex(facts).roleOf(container);
      if (!role?.async) return;
      const next = candidates[0]!;
      const body = nextBody(ts, next);
      if (!body) return;
      const roots: ts.Node[] = role.factory?.body ? [role.factory.body] : [...instanceMembers(ts, container)];
      const resource = firstResource(roots, body);
      if (resource && next.name) ctx.report({ at: next.name, messageId: 'noReturnMethod', data: { resource: resource.description } });
    };

    return {
      ClassDeclaration: (node) => check(node as ts.ClassDeclaration),
      ClassExpression: (node) => check(node as ts.ClassExpression),
      ObjectLiteralExpression: (node) => check(node as ts.ObjectLiteralExpression),
    };
  },
});

/** The body of a `next` member: a method's, or a function's or arrow function's it is set to. */
function nextBody(ts: TypeScript, member: ts.ClassElement | ts.ObjectLiteralElementLike): ts.Node | undefined {
  if (ts.isMethodDeclaration(member)) return member.asteriskToken ? undefined : member.body;
  const value = ts.isPropertyAssignment(member) ? member.initializer : ts.isPropertyDeclaration(member) ? member.initializer : undefined;
  const fn = value && skipOuter(ts, value);
  return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !fn.asteriskToken ? fn.body : undefined;
}

/** The parts of a class or literal that run for its instances: everything but static members. */
function instanceMembers(ts: TypeScript, container: IteratorContainer): readonly ts.Node[] {
  if (ts.isObjectLiteralExpression(container)) return container.properties;
  return container.members.filter((member) => !hasModifier(ts, member, ts.SyntaxKind.StaticKeyword) && !ts.isClassStaticBlockDeclaration(member));
}
