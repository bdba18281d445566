import type { Node } from './parser';
import type { PythonFacts } from './semantic/facts';
import { forEachOwnNode, unparenthesize } from './syntax';

/*
 * How a function's code ends, answered conservatively for rules that flag a
 * method which can return `None`: "can complete normally" is only said when
 * a path certainly runs off the end. Anything unclear (`match`, which may be
 * exhaustive; `while True:` without `break`; a syntax error) counts as
 * "cannot", so no finding follows from it.
 */

/** Calls after which the next statement never runs. */
const NO_RETURN_CALLS = new Set([
  'sys.exit', 'exit', 'quit', 'os._exit', 'os.abort', 'typing.assert_never', 'typing_extensions.assert_never',
]);

const LOOP_KINDS = new Set(['for_statement', 'while_statement']);
const NESTED_CODE_KINDS = new Set(['function_definition', 'class_definition', 'lambda']);

/**
 * Whether control can run off the end of `block`: falling through its last
 * statement rather than leaving by `return`, `raise`, `break` or `continue`.
 */
export function canCompleteNormally(block: Node, facts: PythonFacts): boolean {
  for (const statement of block.namedChildren) {
    if (!statement || statement.type === 'comment') continue;
    if (!statementCompletes(statement, facts)) return false;
  }
  return true;
}

function statementCompletes(statement: Node, facts: PythonFacts): boolean {
  const completes = (block: Node | null | undefined) => !!block && canCompleteNormally(block, facts);
  switch (statement.type) {
    case 'return_statement':
    case 'raise_statement':
    case 'break_statement':
    case 'continue_statement':
      return false;
    case 'assert_statement':
      return !isFalseLiteral(statement.firstNamedChild);
    case 'expression_statement':
      return !isNoReturnCall(statement.firstNamedChild, facts);
    case 'if_statement': {
      const consequence = statement.childForFieldName('consequence');
      if (isTrueLiteral(statement.childForFieldName('condition'))) return completes(consequence);
      const alternatives = statement.childrenForFieldName('alternative');
      const elseClause = alternatives.find((clause) => clause?.type === 'else_clause');
      if (!elseClause) return true;
      return completes(consequence)
        || alternatives.some((clause) => completes(clause?.type === 'else_clause' ? clause.childForFieldName('body') : clause?.childForFieldName('consequence')));
    }
    case 'for_statement':
    case 'while_statement': {
      const body = statement.childForFieldName('body');
      if (!body) return false;
      if (statement.type === 'while_statement' && isTrueLiteral(statement.childForFieldName('condition'))) return breaksOut(body);
      const elseClause = statement.childForFieldName('alternative');
      return !elseClause || breaksOut(body) || completes(elseClause.childForFieldName('body'));
    }
    case 'with_statement':
      // A context manager may swallow an exception, which only adds ways out.
      return completes(statement.childForFieldName('body'));
    case 'try_statement':
      return tryCompletes(statement, facts);
    case 'match_statement':
    case 'ERROR':
      return false;
    default:
      return true;
  }
}

/** `try` completes when `finally` does, and either the body (then `else`) or some handler does. */
function tryCompletes(statement: Node, facts: PythonFacts): boolean {
  const completes = (block: Node | null | undefined) => !!block && canCompleteNormally(block, facts);
  const clauses = statement.namedChildren.filter((clause): clause is Node => !!clause);
  const finallyClause = clauses.find((clause) => clause.type === 'finally_clause');
  if (finallyClause && !completes(blockOf(finallyClause))) return false;
  const elseClause = clauses.find((clause) => clause.type === 'else_clause');
  const bodyCompletes = completes(statement.childForFieldName('body')) && (!elseClause || completes(elseClause.childForFieldName('body')));
  return bodyCompletes || clauses.some((clause) => (clause.type === 'except_clause' || clause.type === 'except_group_clause') && completes(blockOf(clause)));
}

function blockOf(clause: Node): Node | undefined {
  return clause.namedChildren.find((child) => child?.type === 'block') ?? undefined;
}

/** Whether a loop body holds a `break` that leaves this loop (not a nested one). */
function breaksOut(body: Node): boolean {
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'break_statement') return true;
    if (NESTED_CODE_KINDS.has(node.type)) continue;
    if (node !== body && LOOP_KINDS.has(node.type)) {
      // A nested loop's own `break`s leave it; its `else` clause runs in ours.
      const elseClause = node.childForFieldName('alternative');
      if (elseClause) stack.push(elseClause);
      continue;
    }
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return false;
}

function isTrueLiteral(node: Node | null | undefined): boolean {
  if (!node) return false;
  const value = unparenthesize(node);
  return value.type === 'true' || (value.type === 'integer' && /^[1-9]\d*$/.test(value.text));
}

function isFalseLiteral(node: Node | null | undefined): boolean {
  if (!node) return false;
  const value = unparenthesize(node);
  return value.type === 'false' || value.type === 'none' || (value.type === 'integer' && /^0+$/.test(value.text));
}

function isNoReturnCall(expression: Node | null, facts: PythonFacts): boolean {
  if (expression?.type === 'binary_operator') return isDivisionByZero(expression);
  if (expression?.type !== 'call') return false;
  const callee = expression.childForFieldName('function');
  const qualified = callee ? facts.qualifiedName(callee) : undefined;
  return qualified !== undefined && NO_RETURN_CALLS.has(qualified);
}

/** `1/0` and its kin always raise `ZeroDivisionError` (test suites use them to make a method raise). */
function isDivisionByZero(expression: Node): boolean {
  const operator = expression.childForFieldName('operator')?.text;
  const right = expression.childForFieldName('right');
  return (operator === '/' || operator === '//' || operator === '%') && right?.type === 'integer' && /^0+$/.test(right.text);
}

/** The `return` statements of a function's own code (not of nested functions). */
export function ownReturnStatements(fn: Node): Node[] {
  const found: Node[] = [];
  forEachOwnNode(fn, (node) => {
    if (node.type === 'return_statement') found.push(node);
  });
  return found;
}

/** The value a `return` gives back, or undefined for a bare `return`. */
export function returnedValue(statement: Node): Node | undefined {
  const value = statement.firstNamedChild;
  return value && value.type !== 'comment' ? value : undefined;
}

/** A bare `return` or `return None`: the caller gets `None`. */
export function returnsNone(statement: Node): boolean {
  const value = returnedValue(statement);
  return !value || unparenthesize(value).type === 'none';
}
