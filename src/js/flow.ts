import type * as ts from 'typescript';
import { skipOuter } from './facts';
import type { TypeScript } from './rule';

/**
 * How a function body can end, read from its syntax: every path leaves the
 * function (`exits`: a `return`, a `throw`, an endless loop, a call that
 * never returns), some path reaches the closing brace (`falls`), or the
 * syntax cannot tell (`unknown`: labels, `break` out of a `switch`, a loop
 * that may return from inside). Rules report only on `falls`.
 */
export type Completion = 'exits' | 'falls' | 'unknown';

/** Whether an expression statement's call never returns (`process.exit()`, a helper that always throws). */
export type NeverReturns = (call: ts.CallExpression) => boolean;

export function blockCompletion(ts: TypeScript, statements: readonly ts.Statement[], neverReturns: NeverReturns): Completion {
  let unknown = false;
  for (const statement of statements) {
    const own = statementCompletion(ts, statement, neverReturns);
    if (own === 'exits') return 'exits';
    if (own === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'falls';
}

function statementCompletion(ts: TypeScript, statement: ts.Statement, neverReturns: NeverReturns): Completion {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return 'exits';
  if (ts.isBlock(statement)) return blockCompletion(ts, statement.statements, neverReturns);
  if (ts.isIfStatement(statement)) {
    const condition = skipOuter(ts, statement.expression);
    if (condition.kind === ts.SyntaxKind.TrueKeyword || condition.kind === ts.SyntaxKind.FalseKeyword) return 'unknown';
    const then = statementCompletion(ts, statement.thenStatement, neverReturns);
    const otherwise = statement.elseStatement ? statementCompletion(ts, statement.elseStatement, neverReturns) : 'falls';
    if (then === 'exits' && otherwise === 'exits') return 'exits';
    return then === 'falls' || otherwise === 'falls' ? 'falls' : 'unknown';
  }
  if (ts.isTryStatement(statement)) return tryCompletion(ts, statement, neverReturns);
  if (ts.isSwitchStatement(statement)) return switchCompletion(ts, statement, neverReturns);
  if (ts.isIterationStatement(statement, false)) return loopCompletion(ts, statement, neverReturns);
  if (ts.isExpressionStatement(statement)) {
    const expression = skipOuter(ts, statement.expression);
    const call = ts.isAwaitExpression(expression) ? skipOuter(ts, expression.expression) : expression;
    return ts.isCallExpression(call) && neverReturns(call) ? 'exits' : 'falls';
  }
  if (ts.isVariableStatement(statement) || ts.isEmptyStatement(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)
    || ts.isDebuggerStatement(statement) || ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) return 'falls';
  // Labels, `break`, `continue`, `with`, and anything else: a jump the list cannot follow.
  return 'unknown';
}

function tryCompletion(ts: TypeScript, statement: ts.TryStatement, neverReturns: NeverReturns): Completion {
  const body = blockCompletion(ts, statement.tryBlock.statements, neverReturns);
  // Without `catch`, an exception leaves the function.
  const handler = statement.catchClause ? blockCompletion(ts, statement.catchClause.block.statements, neverReturns) : 'exits';
  const cleanup = statement.finallyBlock ? blockCompletion(ts, statement.finallyBlock.statements, neverReturns) : 'falls';
  if (cleanup === 'exits' || (body === 'exits' && handler === 'exits')) return 'exits';
  return (body === 'falls' || handler === 'falls') && cleanup === 'falls' ? 'falls' : 'unknown';
}

/** A `switch` exits when it has a `default`, no `break`, and every group of cases ends by leaving the function; otherwise the syntax cannot tell. */
function switchCompletion(ts: TypeScript, statement: ts.SwitchStatement, neverReturns: NeverReturns): Completion {
  const clauses = statement.caseBlock.clauses;
  if (!clauses.some((clause) => ts.isDefaultClause(clause)) || containsJump(ts, statement.caseBlock, 'break')) return 'unknown';
  for (let index = 0; index < clauses.length; index++) {
    const statements = clauses[index]!.statements;
    // An empty case runs into the next one; the last one must leave.
    if (statements.length === 0 && index < clauses.length - 1) continue;
    if (blockCompletion(ts, statements, neverReturns) !== 'exits') return 'unknown';
  }
  return 'exits';
}

/**
 * `while (true)` / `for (;;)` without `break` never ends normally. Any other
 * loop may run zero times (or stop), so the code after it is reachable; when
 * the loop returns from inside, whether that happens on every run is beyond
 * the syntax.
 */
function loopCompletion(ts: TypeScript, loop: ts.IterationStatement, neverReturns: NeverReturns): Completion {
  const condition = ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : ts.isForStatement(loop) ? loop.condition : undefined;
  const endless = (ts.isWhileStatement(loop) || ts.isDoStatement(loop) || ts.isForStatement(loop))
    && (condition === undefined || skipOuter(ts, condition).kind === ts.SyntaxKind.TrueKeyword);
  if (endless) return containsJump(ts, loop.statement, 'break') ? 'unknown' : 'exits';
  if (ownReturns(ts, loop.statement).length > 0) return 'unknown';
  if (ts.isDoStatement(loop) && statementCompletion(ts, loop.statement, neverReturns) !== 'falls') return 'unknown';
  return 'falls';
}

/** Whether `root` holds a `break` (or `continue`) that leaves it: unlabelled ones outside inner loops and switches, and every labelled one. */
function containsJump(ts: TypeScript, root: ts.Node, kind: 'break' | 'continue'): boolean {
  const wanted = kind === 'break' ? ts.SyntaxKind.BreakStatement : ts.SyntaxKind.ContinueStatement;
  let found = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (found || isFunctionBoundary(ts, node)) return;
    if (node.kind === wanted) {
      if (!nested || (node as ts.BreakOrContinueStatement).label) found = true;
      return;
    }
    const inner = nested || ts.isIterationStatement(node, false) || (kind === 'break' && ts.isSwitchStatement(node));
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  ts.forEachChild(root, (child) => visit(child, false));
  return found;
}

/** Functions and classes nested in a body run their own `return`s and `await`s. */
function isFunctionBoundary(ts: TypeScript, node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isClassStaticBlockDeclaration(node);
}

/** The nodes of `body` that belong to its own function, not to functions or classes nested in it. */
export function ownNodes<T extends ts.Node>(ts: TypeScript, body: ts.Node, test: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  const stack: ts.Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (test(node)) found.push(node);
    ts.forEachChild(node, (child) => {
      if (!isFunctionBoundary(ts, child)) stack.push(child);
    });
  }
  return found.sort((a, b) => a.pos - b.pos);
}

/** The `return` statements of a function body, in order. */
export function ownReturns(ts: TypeScript, body: ts.Node): ts.ReturnStatement[] {
  return ownNodes(ts, body, ts.isReturnStatement);
}
