import type * as ts from 'typescript';
import {
  LoopFlowRecorder, NO_TAGS, copyState, meetStates, rootOf, unionTags, withTag,
  type FlowState, type LoopFlow, type Tags,
} from '../engine/sequential';
import { skipOuter } from './facts';
import type { TypeScript } from './rule';

/*
 * The dependency analysis of one JavaScript/TypeScript loop (AIT301, AIT302):
 * what each `await` depends on, what flows from one iteration to the next,
 * which exits depend on a result, what a `for (;;)`, `while` or `do` loop
 * steps through. The model and its bookkeeping are the engine's
 * (`src/engine/sequential.ts`); this module reads the TypeScript syntax tree
 * into it. Closures are conservative: what a function written in the body
 * reads is read now, and what it assigns counts as written by the body
 * (it may run in any iteration), never as a definite write.
 */

export type JsLoop = ts.ForStatement | ts.ForOfStatement | ts.ForInStatement | ts.WhileStatement | ts.DoStatement;

export interface JsLoopFlow extends LoopFlow<ts.Node> {
  readonly loop: JsLoop;
  readonly kind: 'for' | 'for…of' | 'for await' | 'for…in' | 'while' | 'do';
}

/** Methods that change the object they are called on. */
const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear', 'append',
]);
/** Of those, the ones that hand back what the container held. */
const TAKING_METHODS: ReadonlySet<string> = new Set(['pop', 'shift', 'splice']);
const NO_NAMES: ReadonlySet<string> = new Set();

export function isLoop(ts: TypeScript, node: ts.Node): node is JsLoop {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

function isFunctionScope(ts: TypeScript, node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isClassStaticBlockDeclaration(node);
}

/** `a`, `this.a.b`, `a.b[]`: the path an expression reads or writes, or undefined when it is not rooted at a name. */
function accessPath(ts: TypeScript, expression: ts.Expression): string | undefined {
  const node = skipOuter(ts, expression);
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) {
    const base = accessPath(ts, node.expression);
    return base === undefined ? undefined : `${base}.${node.name.text}`;
  }
  if (ts.isElementAccessExpression(node)) {
    const base = accessPath(ts, node.expression);
    return base === undefined ? undefined : `${base}[]`;
  }
  return undefined;
}

/** The names a binding (`x`, `{ a, b: [c] }`) declares. */
function bindingNames(ts: TypeScript, name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) if (ts.isBindingElement(element)) names.push(...bindingNames(ts, element.name));
  return names;
}

/** The paths an assignment target (`a`, `a.b`, `[a, b.c]`, `{ x, y: z }`) writes. */
function targetPaths(ts: TypeScript, target: ts.Expression): string[] {
  const node = skipOuter(ts, target);
  const path = accessPath(ts, node);
  if (path !== undefined) return [path];
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((element) => targetPaths(ts, ts.isSpreadElement(element) ? element.expression : element));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) => {
      if (ts.isShorthandPropertyAssignment(property)) return [property.name.text];
      if (ts.isPropertyAssignment(property)) return targetPaths(ts, property.initializer);
      if (ts.isSpreadAssignment(property)) return targetPaths(ts, property.expression);
      return [];
    });
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) return targetPaths(ts, node.left);
  return [];
}

function isAssignment(ts: TypeScript, node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

function isIncrement(ts: TypeScript, node: ts.Node): node is ts.PrefixUnaryExpression | ts.PostfixUnaryExpression {
  return (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken);
}

/** `x.push(…)` → `x`; `this.items.add(…)` → `this.items`; undefined for other calls. */
function mutatedReceiver(ts: TypeScript, call: ts.CallExpression): { receiver: string; method: string } | undefined {
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !MUTATING_METHODS.has(callee.name.text)) return undefined;
  const receiver = accessPath(ts, callee.expression);
  return receiver === undefined ? undefined : { receiver, method: callee.name.text };
}

/** Whether `identifier` is a name in a declaration or a member name, not a read of a variable. */
function isNameOnly(ts: TypeScript, identifier: ts.Node): boolean {
  const parent = identifier.parent as ts.Node & { name?: ts.Node };
  if (!parent) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return false;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === identifier;
  if (ts.isQualifiedName(parent) || ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return true;
  return parent.name === identifier || (ts.isPropertyAssignment(parent) && parent.name === identifier);
}

/** The names declared anywhere inside a function (its parameters, variables, inner functions): they shadow the loop's. */
function declaredWithin(ts: TypeScript, fn: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isBindingElement(node)) {
      if (ts.isIdentifier(node.name)) names.add(node.name.text);
    } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isFunctionExpression(node)) && node.name) names.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return names;
}

/** The root names a node writes by itself (not through its children). */
function writtenRoots(ts: TypeScript, node: ts.Node): string[] {
  if (isAssignment(ts, node)) return targetPaths(ts, node.left).map(rootOf);
  if (isIncrement(ts, node)) return targetPaths(ts, node.operand).map(rootOf);
  if (ts.isVariableDeclaration(node)) return bindingNames(ts, node.name);
  if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) return targetPaths(ts, node.initializer as ts.Expression).map(rootOf);
  if (ts.isDeleteExpression(node)) return targetPaths(ts, node.expression).map(rootOf);
  if (ts.isCallExpression(node)) {
    const mutated = mutatedReceiver(ts, node);
    return mutated ? [rootOf(mutated.receiver)] : [];
  }
  return [];
}

class LoopAnalysis extends LoopFlowRecorder<ts.Node> {
  /** Unlabelled `break`s inside these many nested loops or `switch`es are theirs. */
  private breakDepth = 0;
  /** Unlabelled `continue`s inside these many nested loops are theirs. */
  private continueDepth = 0;
  /** Labels declared inside the body: a `break label` to one of them stays in the body. */
  private readonly innerLabels = new Set<string>();

  constructor(
    private readonly ts: TypeScript,
    private readonly ownLabel: string | undefined,
    itemNames: ReadonlySet<string>,
    drivers: ReadonlySet<string>,
  ) {
    super(itemNames, drivers);
  }

  // ---- the first pass: every write -------------------------------------------

  collectWrites(root: ts.Node): void {
    const { ts } = this;
    const visit = (node: ts.Node, shadowed: ReadonlySet<string>): void => {
      if (node !== root && isFunctionScope(ts, node)) {
        const inner = new Set([...shadowed, ...declaredWithin(ts, node)]);
        ts.forEachChild(node, (child) => visit(child, inner));
        return;
      }
      if (ts.isWithStatement(node)) this.opaque = true;
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'eval') this.opaque = true;
      if (ts.isVariableDeclaration(node)) {
        // `var x;` without a value keeps the last iteration's: no write. `let x;` starts a fresh one.
        const list = node.parent;
        const isVar = ts.isVariableDeclarationList(list) && (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) === 0;
        if ((node.initializer || !isVar) && !ts.isCatchClause(node.parent)) for (const name of bindingNames(ts, node.name)) if (!shadowed.has(name)) this.noteWrite(name, NO_TAGS);
      } else if (isAssignment(ts, node) || isIncrement(ts, node) || ts.isDeleteExpression(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) {
        const target = isAssignment(ts, node) ? node.left : isIncrement(ts, node) ? node.operand : ts.isDeleteExpression(node) ? node.expression : ts.isVariableDeclarationList(node.initializer) ? undefined : (node.initializer as ts.Expression);
        if (target) for (const path of targetPaths(ts, target)) if (!shadowed.has(rootOf(path))) this.noteWrite(path, NO_TAGS);
      } else if (ts.isCallExpression(node)) {
        const mutated = mutatedReceiver(ts, node);
        if (mutated && !shadowed.has(rootOf(mutated.receiver))) this.noteWrite(mutated.receiver, NO_TAGS);
      } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
        this.noteWrite(node.name.text, NO_TAGS);
      }
      ts.forEachChild(node, (child) => visit(child, shadowed));
    };
    visit(root, NO_NAMES);
  }

  // ---- the second pass: statements in order ---------------------------------------

  statement(node: ts.Statement, state: FlowState): FlowState {
    const { ts } = this;
    if (ts.isBlock(node)) {
      let current = state;
      for (const statement of node.statements) current = this.statement(statement, current);
      return current;
    }
    if (ts.isExpressionStatement(node)) {
      this.expression(node.expression, state);
      return state;
    }
    if (ts.isVariableStatement(node)) {
      this.declarations(node.declarationList, state);
      return state;
    }
    if (ts.isIfStatement(node)) {
      this.guards.push(this.expression(node.expression, state));
      const then = this.statement(node.thenStatement, copyState(state));
      const otherwise = node.elseStatement ? this.statement(node.elseStatement, copyState(state)) : state;
      this.guards.pop();
      return meetStates(then, otherwise);
    }
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
      const tags = node.expression ? this.expression(node.expression, state) : NO_TAGS;
      this.exit(node, ts.isReturnStatement(node) ? 'return' : 'raise', tags);
      return state;
    }
    if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) {
      this.jump(node);
      return state;
    }
    if (isLoop(ts, node)) return this.nestedLoop(node, state);
    if (ts.isSwitchStatement(node)) {
      this.guards.push(this.expression(node.expression, state));
      this.breakDepth++;
      for (const clause of node.caseBlock.clauses) {
        const inner = copyState(state);
        if (ts.isCaseClause(clause)) this.guards.push(this.expression(clause.expression, inner));
        for (const statement of clause.statements) this.statement(statement, inner);
        if (ts.isCaseClause(clause)) this.guards.pop();
      }
      this.breakDepth--;
      this.guards.pop();
      return state;
    }
    if (ts.isTryStatement(node)) return this.tryStatement(node, state);
    if (ts.isLabeledStatement(node)) {
      this.innerLabels.add(node.label.text);
      const result = this.statement(node.statement, state);
      this.innerLabels.delete(node.label.text);
      return result;
    }
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
      // Defined here, run elsewhere: its name is written, its code is not ours.
      this.write(node.name.text, NO_TAGS, state);
      return state;
    }
    if (ts.isEmptyStatement(node) || ts.isDebuggerStatement(node) || ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node)) return state;
    // Anything else (`with`, an enum, a namespace, a future statement kind): read it all, trust nothing.
    this.opaque = true;
    this.children(node, state);
    return state;
  }

  private declarations(list: ts.VariableDeclarationList, state: FlowState): void {
    const { ts } = this;
    // `await using` waits at the end of the block: not followed.
    if ((list.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.AwaitUsing) this.opaque = true;
    const isVar = (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) === 0;
    for (const declaration of list.declarations) {
      let tags = declaration.initializer ? this.expression(declaration.initializer, state) : NO_TAGS;
      if (!ts.isIdentifier(declaration.name)) tags = unionTags(tags, this.bindingDefaults(declaration.name, state));
      if (declaration.initializer || !isVar) for (const name of bindingNames(ts, declaration.name)) this.write(name, tags, state);
    }
  }

  /** The default values and computed keys of a destructuring pattern are read. */
  private bindingDefaults(pattern: ts.BindingPattern, state: FlowState): Tags {
    const { ts } = this;
    let tags = NO_TAGS;
    for (const element of pattern.elements) {
      if (!ts.isBindingElement(element)) continue;
      if (element.initializer) tags = unionTags(tags, this.expression(element.initializer, state));
      if (element.propertyName && ts.isComputedPropertyName(element.propertyName)) tags = unionTags(tags, this.expression(element.propertyName.expression, state));
      if (!ts.isIdentifier(element.name)) tags = unionTags(tags, this.bindingDefaults(element.name, state));
    }
    return tags;
  }

  private jump(node: ts.BreakStatement | ts.ContinueStatement): void {
    const { ts } = this;
    const kind = ts.isBreakStatement(node) ? 'break' : 'continue';
    const label = node.label?.text;
    if (label !== undefined) {
      if (this.innerLabels.has(label)) return;
      // To this loop's own label: its own `break` / `continue`; to an outer one: out of this loop.
      this.exit(node, label === this.ownLabel ? kind : 'break', NO_TAGS);
      return;
    }
    if ((kind === 'break' ? this.breakDepth : this.continueDepth) > 0) return;
    this.exit(node, kind, NO_TAGS);
  }

  private nestedLoop(node: JsLoop, state: FlowState): FlowState {
    const { ts } = this;
    const inner = copyState(state);
    let guard = NO_TAGS;
    if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      let tags = this.expression(node.expression, inner);
      if (ts.isForOfStatement(node) && node.awaitModifier) {
        this.awaits.push({ node, awaited: node.expression, tags, inTry: this.tryDepth > 0, kind: 'async loop' });
        tags = withTag(tags, 'await');
      }
      this.bindLoopTarget(node.initializer, tags, inner);
    } else if (ts.isForStatement(node)) {
      if (node.initializer) {
        if (ts.isVariableDeclarationList(node.initializer)) this.declarations(node.initializer, inner);
        else this.expression(node.initializer, inner);
      }
      if (node.condition) guard = this.expression(node.condition, inner);
    } else if (ts.isWhileStatement(node)) {
      guard = this.expression(node.expression, inner);
    }
    this.guards.push(guard);
    this.breakDepth++;
    this.continueDepth++;
    // Its body runs again and again: what it writes late and reads early is carried (the first pass knows every write).
    this.statement(node.statement, inner);
    if (ts.isForStatement(node) && node.incrementor) this.expression(node.incrementor, inner);
    if (ts.isDoStatement(node)) this.guards.push(this.expression(node.expression, inner));
    this.breakDepth--;
    this.continueDepth--;
    if (ts.isDoStatement(node)) this.guards.pop();
    this.guards.pop();
    return state;
  }

  private bindLoopTarget(initializer: ts.ForInitializer, tags: Tags, state: FlowState): void {
    const { ts } = this;
    if (ts.isVariableDeclarationList(initializer)) {
      for (const declaration of initializer.declarations) for (const name of bindingNames(ts, declaration.name)) this.write(name, tags, state);
    } else {
      for (const path of targetPaths(ts, initializer)) this.write(path, tags, state);
    }
  }

  private tryStatement(node: ts.TryStatement, state: FlowState): FlowState {
    const awaitsBefore = this.awaits.length;
    this.tryDepth++;
    const afterBody = this.statement(node.tryBlock, copyState(state));
    this.tryDepth--;
    const bodyAwaits = this.awaits.length > awaitsBefore;
    let result = afterBody;
    if (node.catchClause) {
      // A handler runs because something in the body failed: when that can be an await, what it does depends on it.
      this.guards.push(bodyAwaits ? new Set(['await'] as const) : NO_TAGS);
      const handler = copyState(state);
      const variable = node.catchClause.variableDeclaration;
      if (variable) for (const name of bindingNames(this.ts, variable.name)) this.write(name, bodyAwaits ? new Set(['await'] as const) : NO_TAGS, handler);
      result = meetStates(result, this.statement(node.catchClause.block, handler));
      this.guards.pop();
    }
    if (node.finallyBlock) result = this.statement(node.finallyBlock, meetStates(result, state));
    return meetStates(result, state);
  }

  // ---- expressions ----------------------------------------------------------------

  /** What an expression is computed from; records its awaits, reads, writes and yields. */
  expression(node: ts.Node, state: FlowState): Tags {
    const { ts } = this;
    if (ts.isTypeNode(node)) return NO_TAGS;
    if (ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword) return isNameOnly(ts, node) ? NO_TAGS : this.read(accessPath(ts, node as ts.Expression)!, state);
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const path = accessPath(ts, node);
      if (path === undefined) {
        const base = this.expression(node.expression, state);
        return ts.isElementAccessExpression(node) ? unionTags(base, this.expression(node.argumentExpression, state)) : base;
      }
      let tags = this.read(path, state);
      // `a[key]`, `a[i].b`: the keys are read too.
      for (let current: ts.Expression = node; ; ) {
        current = skipOuter(ts, current);
        if (ts.isElementAccessExpression(current)) {
          tags = unionTags(tags, this.expression(current.argumentExpression, state));
          current = current.expression;
        } else if (ts.isPropertyAccessExpression(current)) current = current.expression;
        else break;
      }
      return tags;
    }
    if (ts.isAwaitExpression(node)) {
      this.awaitDepth++;
      const tags = this.expression(node.expression, state);
      this.awaitDepth--;
      this.awaits.push({ node, awaited: node.expression, tags, inTry: this.tryDepth > 0, kind: 'await' });
      return withTag(tags, 'await');
    }
    if (ts.isCallExpression(node)) return this.call(node, state);
    if (isAssignment(ts, node)) return this.assignment(node, state);
    if (isIncrement(ts, node)) {
      const tags = this.expression(node.operand, state);
      for (const path of targetPaths(ts, node.operand)) this.write(path, tags, state);
      return tags;
    }
    if (ts.isBinaryExpression(node)) {
      const left = this.expression(node.left, state);
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) {
        // The right side may not run: what it writes is not definite.
        const right = copyState(state);
        const tags = this.expression(node.right, right);
        this.adopt(state, meetStates(right, state));
        return unionTags(left, tags);
      }
      return unionTags(left, this.expression(node.right, state));
    }
    if (ts.isConditionalExpression(node)) {
      const condition = this.expression(node.condition, state);
      const whenTrue = copyState(state);
      const whenFalse = copyState(state);
      const tags = unionTags(condition, this.expression(node.whenTrue, whenTrue), this.expression(node.whenFalse, whenFalse));
      this.adopt(state, meetStates(whenTrue, whenFalse));
      return tags;
    }
    if (ts.isYieldExpression(node)) {
      this.yields.push(node);
      return node.expression ? this.expression(node.expression, state) : NO_TAGS;
    }
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return this.closure(node, state);
    if (ts.isShorthandPropertyAssignment(node)) return this.read(node.name.text, state);
    return this.children(node, state);
  }

  /** Replaces what `state` knows with `other` (after a branch: what both sides wrote). */
  private adopt(state: FlowState, other: FlowState): void {
    state.env.clear();
    for (const [path, tags] of other.env) state.env.set(path, tags);
  }

  private children(node: ts.Node, state: FlowState): Tags {
    let tags = NO_TAGS;
    this.ts.forEachChild(node, (child) => {
      tags = unionTags(tags, this.expression(child, state));
    });
    return tags;
  }

  private call(node: ts.CallExpression, state: FlowState): Tags {
    const { ts } = this;
    const mutated = mutatedReceiver(ts, node);
    if (mutated) {
      // `results.push(x)` writes `results` (with what x is made of), and reads it no more than any write does.
      const callee = skipOuter(ts, node.expression) as ts.PropertyAccessExpression;
      let keys = NO_TAGS;
      for (let current = skipOuter(ts, callee.expression); ts.isElementAccessExpression(current) || ts.isPropertyAccessExpression(current); current = skipOuter(ts, current.expression)) {
        if (ts.isElementAccessExpression(current)) keys = unionTags(keys, this.expression(current.argumentExpression, state));
      }
      const argumentTags = unionTags(NO_TAGS, ...node.arguments.map((argument) => this.expression(argument, state)));
      const contents = unionTags(state.env.get(mutated.receiver) ?? NO_TAGS, this.itemNames.has(rootOf(mutated.receiver)) ? new Set(['item'] as const) : NO_TAGS);
      this.mutated.add(mutated.receiver);
      this.write(mutated.receiver, unionTags(contents, argumentTags), state);
      return TAKING_METHODS.has(mutated.method) ? unionTags(contents, keys) : keys;
    }
    return this.children(node, state);
  }

  private assignment(node: ts.BinaryExpression, state: FlowState): Tags {
    const { ts } = this;
    let tags = this.expression(node.right, state);
    // `x += y`, `x ??= y` read `x` first.
    if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) tags = unionTags(tags, this.expression(node.left, state));
    this.targetReads(node.left, state);
    for (const path of targetPaths(ts, node.left)) this.write(path, tags, state);
    return tags;
  }

  /** The keys of an assignment target (`d[key] = …` reads `key`), and its defaults. */
  private targetReads(target: ts.Expression, state: FlowState): void {
    const { ts } = this;
    const node = skipOuter(ts, target);
    if (ts.isElementAccessExpression(node)) {
      this.expression(node.argumentExpression, state);
      this.targetReads(node.expression, state);
    } else if (ts.isPropertyAccessExpression(node)) this.targetReads(node.expression, state);
    else if (ts.isArrayLiteralExpression(node)) for (const element of node.elements) this.targetReads(ts.isSpreadElement(element) ? element.expression : element, state);
    else if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property)) this.targetReads(property.initializer, state);
        else if (ts.isShorthandPropertyAssignment(property) && property.objectAssignmentInitializer) this.expression(property.objectAssignmentInitializer, state);
      }
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      this.expression(node.right, state);
      this.targetReads(node.left, state);
    }
  }

  /**
   * A function or class written in the body runs later, maybe in another
   * iteration: the outer names it reads are read now, and its awaits are its
   * own. Its writes were noted by the first pass and are never definite.
   */
  private closure(node: ts.Node, state: FlowState): Tags {
    const { ts } = this;
    const shadowed = declaredWithin(ts, node);
    let tags = NO_TAGS;
    const visit = (child: ts.Node): void => {
      if (ts.isTypeNode(child)) return;
      if ((ts.isIdentifier(child) || child.kind === ts.SyntaxKind.ThisKeyword) && !isNameOnly(ts, child)) {
        const name = ts.isIdentifier(child) ? child.text : 'this';
        // `this` inside a `function` or a class is its own.
        if (!shadowed.has(name) && (name !== 'this' || ts.isArrowFunction(node))) tags = unionTags(tags, this.read(name, state));
        return;
      }
      if (ts.isShorthandPropertyAssignment(child) && !shadowed.has(child.name.text)) tags = unionTags(tags, this.read(child.name.text, state));
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(node, visit);
    return tags;
  }
}

/** A loop condition of names, literals, member reads, comparisons and arithmetic: nothing it calls or awaits. */
function isPlainCondition(ts: TypeScript, node: ts.Node): boolean {
  if (ts.isIdentifier(node) || ts.isLiteralExpression(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword || node.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(node)) return isPlainCondition(ts, node.expression);
  if (ts.isElementAccessExpression(node)) return isPlainCondition(ts, node.expression) && isPlainCondition(ts, node.argumentExpression);
  if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) return isPlainCondition(ts, node.expression);
  if (ts.isPrefixUnaryExpression(node)) return node.operator !== ts.SyntaxKind.PlusPlusToken && node.operator !== ts.SyntaxKind.MinusMinusToken && isPlainCondition(ts, node.operand);
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    const assigns = operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment;
    return !assigns && operator !== ts.SyntaxKind.CommaToken && isPlainCondition(ts, node.left) && isPlainCondition(ts, node.right);
  }
  return false;
}

/** The variable names a condition reads (`i` and `urls` of `i < urls.length`). */
function conditionNames(ts: TypeScript, condition: ts.Expression): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isNameOnly(ts, node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return names;
}

/** The access paths an expression reads (for conditions), without recording anything. */
function readPaths(ts: TypeScript, node: ts.Node, into: string[]): void {
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    if (ts.isIdentifier(node) && isNameOnly(ts, node)) return;
    const path = accessPath(ts, node);
    if (path !== undefined) {
      into.push(path);
      if (ts.isElementAccessExpression(node)) readPaths(ts, node.argumentExpression, into);
      return;
    }
  }
  ts.forEachChild(node, (child) => readPaths(ts, child, into));
}

function isConstantNumber(ts: TypeScript, node: ts.Expression): boolean {
  const inner = skipOuter(ts, node);
  return ts.isNumericLiteral(inner) || (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(inner.operand));
}

/** The name an expression steps by a constant (`i++`, `--i`, `i += 2`), if that is all it does. */
function constantStep(ts: TypeScript, expression: ts.Expression): string | undefined {
  const node = skipOuter(ts, expression);
  if (isIncrement(ts, node) && ts.isIdentifier(node.operand)) return node.operand.text;
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken || node.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) && ts.isIdentifier(node.left) && isConstantNumber(ts, node.right)) return node.left.text;
  return undefined;
}

/** The worklist a statement takes one element from (`const x = xs.pop()`, `xs.shift();`), if that is all it does. */
function ownPop(ts: TypeScript, statement: ts.Statement): string | undefined {
  let call: ts.Expression | undefined;
  if (ts.isExpressionStatement(statement)) call = statement.expression;
  else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
    const declaration = statement.declarationList.declarations[0]!;
    if (ts.isIdentifier(declaration.name)) call = declaration.initializer;
  }
  const node = call ? skipOuter(ts, call) : undefined;
  if (!node || !ts.isCallExpression(node) || node.arguments.length > 0) return undefined;
  const callee = skipOuter(ts, node.expression);
  if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'pop' && callee.name.text !== 'shift')) return undefined;
  const receiver = skipOuter(ts, callee.expression);
  return ts.isIdentifier(receiver) ? receiver.text : undefined;
}

function countWrites(ts: TypeScript, roots: readonly ts.Node[], names: ReadonlySet<string>): { writes: Map<string, number>; fromClosures: Set<string> } {
  const writes = new Map<string, number>();
  const fromClosures = new Set<string>();
  const visit = (node: ts.Node, nested: boolean): void => {
    for (const name of writtenRoots(ts, node)) {
      if (!names.has(name)) continue;
      if (nested) fromClosures.add(name);
      writes.set(name, (writes.get(name) ?? 0) + 1);
    }
    ts.forEachChild(node, (child) => visit(child, nested || isFunctionScope(ts, child)));
  };
  for (const root of roots) visit(root, false);
  return { writes, fromClosures };
}

/**
 * Whether only the loop's own step touches a worklist inside the loop, and
 * nothing else can reach it: the function declares it itself before the
 * loop, and no function or class inside that function names it.
 */
function isPrivateWorklist(ts: TypeScript, loop: JsLoop, name: string): boolean {
  let scope: ts.Node | undefined = loop.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return false;
  let declared = false;
  let inLoop = 0;
  let escapes = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (ts.isIdentifier(node) && node.text === name && !isNameOnly(ts, node)) {
      if (nested) escapes = true;
      if (node.pos >= loop.statement.pos && node.end <= loop.statement.end) inLoop++;
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer && node.end <= loop.pos) declared = true;
    ts.forEachChild(node, (child) => visit(child, nested || (child !== scope && isFunctionScope(ts, child))));
  };
  visit(scope, false);
  return declared && !escapes && inLoop === 1;
}

/**
 * The names a `for (;;)`, `while` or `do` loop steps through, the way a
 * `for…of` target would: its condition reads them (`i < urls.length`,
 * `queue.length > 0`), and each is written exactly once per round, by a
 * constant step (`i++`, `i += 2`, in the `for` head's update or as a
 * statement of the body) or by taking one element (`const url =
 * pending.pop()`, `pending.shift()`) of a worklist the function made and
 * nothing else reaches. Any other write (a worklist the work feeds, an
 * index that jumps, a step under a condition, a write in a closure) and
 * the name is no driver: the loop then has no item, and the rules stay
 * silent. A condition that calls or awaits anything drives nothing either.
 */
function loopDrivers(ts: TypeScript, loop: ts.ForStatement | ts.WhileStatement | ts.DoStatement): ReadonlySet<string> {
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (!condition || !isPlainCondition(ts, condition)) return NO_NAMES;
  const candidates = conditionNames(ts, condition);
  if (candidates.size === 0) return NO_NAMES;
  const steps = new Map<string, number>();
  const pops = new Set<string>();
  const step = (name: string | undefined) => {
    if (name !== undefined && candidates.has(name)) steps.set(name, (steps.get(name) ?? 0) + 1);
  };
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  for (const statement of statements) {
    if (ts.isExpressionStatement(statement)) step(constantStep(ts, statement.expression));
    const popped = ownPop(ts, statement);
    if (popped !== undefined && candidates.has(popped)) {
      step(popped);
      pops.add(popped);
    }
  }
  if (ts.isForStatement(loop) && loop.incrementor) {
    const parts: ts.Expression[] = [];
    const split = (expression: ts.Expression) => {
      const node = skipOuter(ts, expression);
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken) {
        split(node.left);
        split(node.right);
      } else parts.push(node);
    };
    split(loop.incrementor);
    for (const part of parts) step(constantStep(ts, part));
  }
  const roots: ts.Node[] = [loop.statement, ...(ts.isForStatement(loop) && loop.incrementor ? [loop.incrementor] : [])];
  const { writes, fromClosures } = countWrites(ts, roots, candidates);
  const drivers = new Set<string>();
  for (const [name, count] of steps) {
    if (count !== 1 || writes.get(name) !== 1 || fromClosures.has(name)) continue;
    if (pops.has(name) && !isPrivateWorklist(ts, loop, name)) continue;
    drivers.add(name);
  }
  return drivers;
}

/**
 * The names a loop's body (and a `for` head's update) writes that outlive
 * one iteration: every root written, closures included, except the names
 * the body declares afresh.
 */
export function outerWrites(ts: TypeScript, loop: JsLoop): Set<string> {
  const written = new Set<string>();
  const declared = new Set<string>();
  const visit = (node: ts.Node, nested: boolean): void => {
    if (!nested && ts.isVariableDeclaration(node)) for (const name of bindingNames(ts, node.name)) declared.add(name);
    else for (const name of writtenRoots(ts, node)) written.add(name);
    ts.forEachChild(node, (child) => visit(child, nested || isFunctionScope(ts, child)));
  };
  visit(loop.statement, false);
  if (ts.isForStatement(loop) && loop.incrementor) visit(loop.incrementor, false);
  for (const name of declared) written.delete(name);
  return written;
}

/** The names a function's code reads that it does not declare itself (`this` too, for a method or an arrow function). */
export function freeReads(ts: TypeScript, fn: ts.Node): Set<string> {
  const own = declaredWithin(ts, fn);
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node)) return;
    if (ts.isIdentifier(node) && !isNameOnly(ts, node) && !own.has(node.text)) names.add(node.text);
    else if (ts.isShorthandPropertyAssignment(node) && !own.has(node.name.text)) names.add(node.name.text);
    else if (node.kind === ts.SyntaxKind.ThisKeyword) names.add('this');
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return names;
}

/** Analyses one loop: its item, its awaits, its exits, what it carries from one iteration to the next. */
export function analyzeLoop(ts: TypeScript, loop: JsLoop): JsLoopFlow {
  const items = new Set<string>();
  let drivers: ReadonlySet<string> = NO_NAMES;
  let kind: JsLoopFlow['kind'];
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
    kind = ts.isForInStatement(loop) ? 'for…in' : loop.awaitModifier ? 'for await' : 'for…of';
    if (ts.isVariableDeclarationList(loop.initializer)) for (const declaration of loop.initializer.declarations) for (const name of bindingNames(ts, declaration.name)) items.add(name);
    else for (const path of targetPaths(ts, loop.initializer)) items.add(rootOf(path));
  } else {
    kind = ts.isForStatement(loop) ? 'for' : ts.isWhileStatement(loop) ? 'while' : 'do';
    drivers = loopDrivers(ts, loop);
    for (const name of drivers) items.add(name);
  }
  const ownLabel = ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined;
  const analysis = new LoopAnalysis(ts, ownLabel, items, drivers);
  analysis.collectWrites(loop.statement);
  if (ts.isForStatement(loop) && loop.incrementor) analysis.collectWrites(loop.incrementor);
  // Two passes: the first found every write of the body; the second knows, at each read, whether the path is written later.
  const state = analysis.statement(loop.statement, { env: new Map() });
  if (ts.isForStatement(loop) && loop.incrementor) analysis.expression(loop.incrementor, state);
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  if (condition) {
    const reads: string[] = [];
    readPaths(ts, condition, reads);
    analysis.condition(reads);
  }
  return {
    loop,
    kind,
    items,
    awaits: analysis.awaits,
    exits: analysis.exits,
    carried: analysis.carried(),
    conditionReadsAwaited: analysis.conditionReadsAwaited,
    opaque: analysis.opaque,
    mutated: analysis.mutated,
    yields: analysis.yields,
  };
}

/** The innermost loop a node runs in once per round (its body, a `for` head's condition or update), crossing no function. */
export function innermostLoop(ts: TypeScript, node: ts.Node): JsLoop | undefined {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (isFunctionScope(ts, current)) return undefined;
    if (!isLoop(ts, current)) continue;
    if (current.statement === child) return current;
    if ((ts.isForStatement(current) && (current.condition === child || current.incrementor === child)) || ((ts.isWhileStatement(current) || ts.isDoStatement(current)) && current.expression === child)) return current;
  }
  return undefined;
}

/** A loop's condition (`while`, `do`, `for (;;)`), for messages. */
export function loopCondition(ts: TypeScript, loop: JsLoop): ts.Expression | undefined {
  if (ts.isForStatement(loop)) return loop.condition;
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return loop.expression;
  return undefined;
}
