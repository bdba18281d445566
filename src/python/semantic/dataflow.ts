import type { Node } from '../parser';
import { hasAsyncKeyword, unparenthesize } from '../syntax';
import {
  LoopFlowRecorder, NO_TAGS, copyState, meetStates, unionTags, withTag,
  type AwaitSite as EngineAwaitSite, type Exit as EngineExit, type FlowState, type LoopFlow as EngineLoopFlow, type Tag, type Tags,
} from '../../engine/sequential';

/*
 * The dependency analysis of one Python loop (AIT301-303), in tree-sitter's
 * syntax: what each await depends on, what flows from one iteration to the
 * next, which exits depend on a result, what a `while` loop steps through.
 * The model (tags, await sites, exits, carried paths) and its bookkeeping are
 * the language-neutral ones of `src/engine/sequential.ts`; see there.
 */

export type { Tag } from '../../engine/sequential';

/** One `await` (or the head of an `async with`, or a nested `async for`) in a loop's own body. */
export type AwaitSite = EngineAwaitSite<Node>;

/** Control flow leaving the loop or skipping to the next iteration. */
export type Exit = EngineExit<Node>;

export interface LoopFlow extends EngineLoopFlow<Node> {
  readonly kind: 'for' | 'async for' | 'while';
}

/** Methods that change the object they are called on. */
const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'append', 'appendleft', 'extend', 'extendleft', 'insert', 'add', 'update', 'setdefault', 'pop', 'popleft', 'popitem',
  'remove', 'discard', 'clear', 'sort', 'reverse', 'put_nowait', 'set_result', 'set_exception', 'write', 'writelines',
]);

const NESTED_SCOPES: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'lambda']);
const LOOPS: ReadonlySet<string> = new Set(['for_statement', 'while_statement']);

const NO_NAMES: ReadonlySet<string> = new Set();

/** `a`, `a.b.c`, `a.b[]`: the path an expression reads or writes, or undefined when it is not rooted at a name. */
function accessPath(expression: Node): string | undefined {
  const node = unparenthesize(expression);
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'attribute': {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      const base = object ? accessPath(object) : undefined;
      return base && attribute ? `${base}.${attribute.text}` : undefined;
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      const base = value ? accessPath(value) : undefined;
      return base ? `${base}[]` : undefined;
    }
    default:
      return undefined;
  }
}

class LoopAnalysis extends LoopFlowRecorder<Node> {
  constructor(
    private readonly loop: Node,
    itemNames: ReadonlySet<string>,
    drivers: ReadonlySet<string> = NO_NAMES,
  ) {
    super(itemNames, drivers);
  }

  run(body: Node): void {
    // Two passes: the first finds every write of the body; the second knows, at each read, whether the path is written later.
    this.collectWrites(body);
    this.block(body, { env: new Map() });
  }

  /** A `while` condition: what it reads, checked against what the body's awaits produce. */
  whileCondition(condition: Node): void {
    const reads: string[] = [];
    this.readPaths(condition, reads);
    this.condition(reads);
  }

  // ---- the first pass: every write ------------------------------------------

  private collectWrites(body: Node): void {
    const stack: Node[] = [body];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (NESTED_SCOPES.has(node.type) && node.id !== body.id) {
        // Their own code runs elsewhere; only a `nonlocal`/`global` in it writes ours.
        if (node.descendantsOfType(['nonlocal_statement', 'global_statement']).length > 0) this.opaque = true;
        continue;
      }
      switch (node.type) {
        case 'global_statement':
        case 'nonlocal_statement':
          this.opaque = true;
          break;
        case 'assignment':
        case 'augmented_assignment': {
          const left = node.childForFieldName('left');
          if (left) for (const path of this.targetPaths(left)) this.noteWrite(path, NO_TAGS);
          break;
        }
        case 'named_expression': {
          const name = node.childForFieldName('name');
          if (name) this.noteWrite(name.text, NO_TAGS);
          break;
        }
        case 'for_statement': {
          const left = node.childForFieldName('left');
          if (left && node.id !== this.loop.id) for (const path of this.targetPaths(left)) this.noteWrite(path, NO_TAGS);
          break;
        }
        case 'delete_statement':
          for (const target of node.namedChildren) if (target) for (const path of this.targetPaths(target)) this.noteWrite(path, NO_TAGS);
          break;
        case 'call': {
          const receiver = mutatedReceiver(node);
          if (receiver) this.noteWrite(receiver, NO_TAGS);
          break;
        }
        case 'as_pattern': {
          const alias = node.childForFieldName('alias');
          if (alias) for (const path of this.targetPaths(alias)) this.noteWrite(path, NO_TAGS);
          break;
        }
        default:
          break;
      }
      for (const child of node.namedChildren) if (child) stack.push(child);
    }
  }
  /** The paths a target pattern writes (`a, b.c, d[k]` → a, b.c, d[]). */
  private targetPaths(target: Node): string[] {
    const node = unparenthesize(target);
    if (node.type === 'identifier' || node.type === 'attribute' || node.type === 'subscript') {
      const path = accessPath(node);
      return path ? [path] : [];
    }
    if (node.type === 'list_splat_pattern' || node.type === 'list_splat') return node.firstNamedChild ? this.targetPaths(node.firstNamedChild) : [];
    return node.namedChildren.flatMap((child) => (child ? this.targetPaths(child) : []));
  }

  // ---- the second pass: statements in order ----------------------------------

  private block(block: Node, state: FlowState): FlowState {
    let current = state;
    for (const statement of block.namedChildren) {
      if (statement) current = this.statement(statement, current);
    }
    return current;
  }

  private statement(node: Node, state: FlowState): FlowState {
    switch (node.type) {
      case 'expression_statement': {
        for (const child of node.namedChildren) if (child) this.expressionStatement(child, state);
        return state;
      }
      case 'return_statement':
      case 'raise_statement': {
        const tags = node.namedChildren.reduce((acc, child) => (child ? unionTags(acc, this.expression(child, state)) : acc), NO_TAGS);
        this.exit(node, node.type === 'return_statement' ? 'return' : 'raise', tags);
        return state;
      }
      case 'break_statement':
      case 'continue_statement':
        this.exit(node, node.type === 'break_statement' ? 'break' : 'continue', NO_TAGS);
        return state;
      case 'if_statement':
        return this.ifStatement(node, state);
      case 'for_statement':
      case 'while_statement':
        return this.nestedLoop(node, state);
      case 'try_statement':
        return this.tryStatement(node, state);
      case 'with_statement':
        return this.withStatement(node, state);
      case 'match_statement': {
        const subject = node.childForFieldName('subject');
        const guard = subject ? this.expression(subject, state) : NO_TAGS;
        this.guards.push(guard);
        for (const block of node.descendantsOfType('block')) {
          if (block && block.parent?.type === 'case_clause') this.block(block, copyState(state));
        }
        this.guards.pop();
        return state;
      }
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition':
        // Defined here, run elsewhere: its name is written, its code is not ours.
        return this.define(node, state);
      case 'delete_statement':
      case 'pass_statement':
      case 'comment':
      case 'import_statement':
      case 'import_from_statement':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'assert_statement':
        for (const child of node.namedChildren) if (child && node.type === 'assert_statement') this.expression(child, state);
        return state;
      default:
        // Anything else (an ERROR node, a future statement kind): read it all, trust nothing.
        this.opaque ||= node.type === 'ERROR' || node.type === 'exec_statement';
        this.expression(node, state);
        return state;
    }
  }

  private define(node: Node, state: FlowState): FlowState {
    const definition = node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
    const name = definition?.childForFieldName('name')?.text;
    if (node.type === 'decorated_definition') for (const decorator of node.namedChildren) if (decorator?.type === 'decorator') this.expression(decorator, state);
    if (name) state.env.set(name, NO_TAGS);
    return state;
  }

  private expressionStatement(node: Node, state: FlowState): void {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      this.assignment(node, state);
      return;
    }
    this.expression(node, state);
  }

  private assignment(node: Node, state: FlowState): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    const targets: Node[] = left ? [left] : [];
    // `a = b = value`: tree-sitter nests the second assignment as the right side.
    while (right?.type === 'assignment') {
      const next = right.childForFieldName('left');
      if (next) targets.push(next);
      right = right.childForFieldName('right');
    }
    let tags = right ? this.expression(right, state) : NO_TAGS;
    if (node.type === 'augmented_assignment' && left) tags = unionTags(tags, this.expression(left, state));
    for (const target of targets) {
      // Subscripts and attributes of a target are read to find where to write (`d[key] = …` reads `key`).
      this.targetReads(target, state);
      for (const path of this.targetPaths(target)) this.write(path, tags, state);
    }
  }

  private targetReads(target: Node, state: FlowState): void {
    const node = unparenthesize(target);
    if (node.type === 'subscript') {
      for (const index of node.childrenForFieldName('subscript')) if (index) this.expression(index, state);
    } else if (node.type !== 'identifier' && node.type !== 'attribute') {
      for (const child of node.namedChildren) if (child) this.targetReads(child, state);
    }
  }

  private ifStatement(node: Node, state: FlowState): FlowState {
    const condition = node.childForFieldName('condition');
    const guard = condition ? this.expression(condition, state) : NO_TAGS;
    this.guards.push(guard);
    const consequence = node.childForFieldName('consequence');
    let result = consequence ? this.block(consequence, copyState(state)) : copyState(state);
    let hasElse = false;
    const guardsAdded: Tags[] = [];
    for (const clause of node.childrenForFieldName('alternative')) {
      if (!clause) continue;
      if (clause.type === 'elif_clause') {
        const elifCondition = clause.childForFieldName('condition');
        const elifGuard = elifCondition ? this.expression(elifCondition, state) : NO_TAGS;
        this.guards.push(elifGuard);
        guardsAdded.push(elifGuard);
        const body = clause.childForFieldName('consequence');
        result = meetStates(result, body ? this.block(body, copyState(state)) : copyState(state));
      } else {
        hasElse = true;
        const body = clause.childForFieldName('body');
        result = meetStates(result, body ? this.block(body, copyState(state)) : copyState(state));
      }
    }
    for (let i = 0; i < guardsAdded.length; i++) this.guards.pop();
    this.guards.pop();
    return hasElse ? result : meetStates(result, state);
  }

  private nestedLoop(node: Node, state: FlowState): FlowState {
    const inner = copyState(state);
    if (node.type === 'for_statement') {
      const right = node.childForFieldName('right');
      let tags = right ? this.expression(right, inner) : NO_TAGS;
      if (hasAsyncKeyword(node)) {
        tags = withTag(tags, 'await');
        if (right) this.awaits.push({ node, awaited: right, tags: this.expression(right, inner), inTry: this.tryDepth > 0, kind: 'await' });
      }
      const left = node.childForFieldName('left');
      if (left) for (const path of this.targetPaths(left)) this.write(path, tags, inner);
    } else {
      const condition = node.childForFieldName('condition');
      if (condition) this.guards.push(this.expression(condition, inner));
    }
    // An inner loop's `break`/`continue` are its own: they do not leave this loop. A value it writes
    // late and reads early in its next round is carried: the reads see the writes of the first pass.
    const exitsBefore = this.exits.length;
    const body = node.childForFieldName('body');
    if (body) this.block(body, inner);
    if (node.type === 'while_statement') this.guards.pop();
    const innerExits = this.exits.splice(exitsBefore);
    this.exits.push(...innerExits.filter((exit) => exit.kind === 'return' || exit.kind === 'raise'));
    const alternative = node.childForFieldName('alternative');
    if (alternative) this.block(alternative.childForFieldName('body') ?? alternative, copyState(state));
    return state;
  }

  private tryStatement(node: Node, state: FlowState): FlowState {
    const body = node.childForFieldName('body');
    const awaitsBefore = this.awaits.length;
    this.tryDepth++;
    const afterBody = body ? this.block(body, copyState(state)) : state;
    this.tryDepth--;
    const bodyAwaits = this.awaits.length > awaitsBefore;
    let result = afterBody;
    for (const clause of node.namedChildren) {
      if (!clause) continue;
      if (clause.type === 'except_clause' || clause.type === 'except_group_clause') {
        // A handler runs because something in the body failed: when that can be an await, what it does depends on it.
        this.guards.push(bodyAwaits ? new Set<Tag>(['await']) : NO_TAGS);
        const handler = clause.namedChildren.find((child) => child?.type === 'block');
        for (const child of clause.namedChildren) if (child && child.type !== 'block') this.expression(child, state);
        if (handler) result = meetStates(result, this.block(handler, copyState(state)));
        this.guards.pop();
      } else if (clause.type === 'else_clause') {
        const elseBody = clause.childForFieldName('body');
        if (elseBody) result = this.block(elseBody, result);
      } else if (clause.type === 'finally_clause') {
        const finallyBody = clause.namedChildren.find((child) => child?.type === 'block');
        if (finallyBody) result = this.block(finallyBody, meetStates(result, state));
      }
    }
    return meetStates(result, state);
  }

  private withStatement(node: Node, state: FlowState): FlowState {
    const isAsync = hasAsyncKeyword(node);
    const clause = node.namedChildren.find((child) => child?.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      if (item?.type !== 'with_item') continue;
      const value = item.childForFieldName('value');
      if (!value) continue;
      const source = value.type === 'as_pattern' ? value.firstNamedChild : value;
      let tags = source ? this.expression(source, state) : NO_TAGS;
      if (isAsync && source) {
        this.awaits.push({ node: item, awaited: source, tags, inTry: this.tryDepth > 0, kind: 'async with' });
        tags = withTag(tags, 'await');
      }
      const alias = value.type === 'as_pattern' ? value.childForFieldName('alias') : undefined;
      const target = alias?.firstNamedChild ?? alias;
      if (target) for (const path of this.targetPaths(target)) this.write(path, tags, state);
    }
    const body = node.childForFieldName('body');
    return body ? this.block(body, state) : state;
  }

  // ---- expressions ------------------------------------------------------------

  /** What an expression is computed from; records its awaits, reads and in-place mutations. */
  private expression(node: Node, state: FlowState): Tags {
    switch (node.type) {
      case 'identifier':
      case 'attribute':
      case 'subscript': {
        const path = accessPath(node);
        if (path !== undefined) {
          let tags = this.read(path, state);
          // `d[key]`: the key is read too.
          if (node.type === 'subscript') for (const index of node.childrenForFieldName('subscript')) if (index) tags = unionTags(tags, this.expression(index, state));
          return tags;
        }
        break;
      }
      case 'await': {
        const awaited = node.firstNamedChild;
        this.awaitDepth++;
        const tags = awaited ? this.expression(awaited, state) : NO_TAGS;
        this.awaitDepth--;
        if (awaited) this.awaits.push({ node, awaited, tags, inTry: this.tryDepth > 0, kind: 'await' });
        return withTag(tags, 'await');
      }
      case 'call': {
        const callee = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        let tags = NO_TAGS;
        const receiver = mutatedReceiver(node);
        if (receiver && callee?.type === 'attribute') {
          // `results.append(x)` writes `results` (with what x is made of), and reads it no more than any write does.
          const object = callee.childForFieldName('object');
          if (object?.type === 'subscript') for (const index of object.childrenForFieldName('subscript')) if (index) tags = unionTags(tags, this.expression(index, state));
          const argumentTags = args ? this.expression(args, state) : NO_TAGS;
          const root = /^[^.[]+/.exec(receiver)?.[0] ?? receiver;
          // What `pop()` and its kin hand back comes from the container.
          const contents = unionTags(state.env.get(receiver) ?? NO_TAGS, this.itemNames.has(root) ? new Set<Tag>(['item']) : NO_TAGS);
          this.mutated.add(receiver);
          this.write(receiver, unionTags(contents, argumentTags), state);
          return contents;
        }
        if (callee) tags = unionTags(tags, this.expression(callee, state));
        if (args) tags = unionTags(tags, this.expression(args, state));
        if (callee?.type === 'identifier' && (callee.text === 'exec' || callee.text === 'locals' || callee.text === 'globals' || callee.text === 'vars')) this.opaque = true;
        return tags;
      }
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        const tags = value ? this.expression(value, state) : NO_TAGS;
        if (name) this.write(name.text, tags, state);
        return tags;
      }
      case 'yield':
        this.yields.push(node);
        break;
      case 'lambda':
        // Runs later, maybe in another iteration: whatever it reads is read now and may be read again.
        return this.children(node, state);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(node, state);
      default:
        break;
    }
    return this.children(node, state);
  }

  private children(node: Node, state: FlowState): Tags {
    let tags = NO_TAGS;
    for (const child of node.namedChildren) if (child) tags = unionTags(tags, this.expression(child, state));
    return tags;
  }

  /** A comprehension's own targets shadow the loop's names inside it. */
  private comprehension(node: Node, state: FlowState): Tags {
    const inner = copyState(state);
    let tags = NO_TAGS;
    for (const child of node.namedChildren) {
      if (child?.type !== 'for_in_clause') continue;
      const right = child.childForFieldName('right');
      let clauseTags = right ? this.expression(right, inner) : NO_TAGS;
      if (hasAsyncKeyword(child)) clauseTags = withTag(clauseTags, 'await');
      const left = child.childForFieldName('left');
      if (left) for (const path of this.targetPaths(left)) inner.env.set(path, clauseTags);
      tags = unionTags(tags, clauseTags);
    }
    for (const child of node.namedChildren) {
      if (child && child.type !== 'for_in_clause') tags = unionTags(tags, this.expression(child, inner));
    }
    return tags;
  }

  /** Paths read by an expression (for conditions), without recording anything. */
  readPaths(node: Node, into: string[]): void {
    const path = node.type === 'identifier' || node.type === 'attribute' || node.type === 'subscript' ? accessPath(node) : undefined;
    if (path !== undefined) {
      into.push(path);
      return;
    }
    for (const child of node.namedChildren) if (child) this.readPaths(child, into);
  }
}

/** `x.append(…)` → `x`; `self.items.add(…)` → `self.items`; undefined for other calls. */
function mutatedReceiver(call: Node): string | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') return undefined;
  const method = callee.childForFieldName('attribute')?.text;
  const object = callee.childForFieldName('object');
  if (!method || !object || !MUTATING_METHODS.has(method)) return undefined;
  return accessPath(object);
}

/** The names a `for` target binds (`x`, `i, (a, b)`). */
function targetNames(target: Node): string[] {
  const node = unparenthesize(target);
  if (node.type === 'identifier') return [node.text];
  if (node.type === 'attribute' || node.type === 'subscript') return [];
  return node.namedChildren.flatMap((child) => (child ? targetNames(child) : []));
}

/**
 * Analyses one `for` / `async for` / `while` loop. The loop's own variables
 * are its target; for a `while` loop, the paths its condition reads that the
 * body changes without awaiting (`i`, `stack` in `while i < n` / `while
 * stack:`).
 */
export function analyzeLoop(loop: Node): LoopFlow {
  const kind = loop.type === 'while_statement' ? 'while' : hasAsyncKeyword(loop) ? 'async for' : 'for';
  const itemNames = new Set<string>();
  let drivers = NO_NAMES;
  if (loop.type === 'for_statement') {
    const left = loop.childForFieldName('left');
    if (left) for (const name of targetNames(left)) itemNames.add(name);
  } else {
    drivers = whileDrivers(loop);
    for (const name of drivers) itemNames.add(name);
  }
  const analysis = new LoopAnalysis(loop, itemNames, drivers);
  const body = loop.childForFieldName('body');
  if (body) analysis.run(body);
  if (loop.type === 'while_statement') {
    const condition = loop.childForFieldName('condition');
    if (condition) analysis.whileCondition(condition);
  }
  const alternative = loop.childForFieldName('alternative');
  return {
    loop,
    kind,
    items: itemNames,
    awaits: analysis.awaits,
    exits: analysis.exits,
    carried: analysis.carried(),
    conditionReadsAwaited: analysis.conditionReadsAwaited,
    opaque: analysis.opaque || !!alternative,
    mutated: analysis.mutated,
    yields: analysis.yields,
  };
}

/**
 * The names a `while` loop steps through, the way a `for` target would: its
 * condition reads them (`while i < len(xs)`, `while queue:`), and the body
 * writes each exactly once, as a statement of its own block, by a constant
 * step (`i += 1`, `i -= 2`) or by taking one element (`x = xs.pop()`,
 * `xs.popleft()`, `xs.pop(0)`). Any other write (a worklist the body feeds,
 * an index that jumps, a step under a condition) and the name is no driver:
 * the loop then has no item, and the rules stay silent. A condition that
 * calls anything but `len` (or awaits) drives nothing either.
 */
export function whileDrivers(loop: Node): ReadonlySet<string> {
  const condition = loop.childForFieldName('condition');
  const body = loop.childForFieldName('body');
  if (!condition || !body || !isPlainCondition(condition)) return NO_NAMES;
  const candidates = new Set<string>();
  for (const identifier of [condition, ...condition.descendantsOfType('identifier')]) {
    if (identifier?.type !== 'identifier' || identifier.text === 'len') continue;
    // `self.i`, `obj.items`: only plain names, whose every write the body shows.
    if (identifier.parent?.type === 'attribute' && identifier.parent.childForFieldName('attribute')?.id === identifier.id) continue;
    candidates.add(identifier.text);
  }
  if (candidates.size === 0) return NO_NAMES;
  const steps = new Map<string, number>();
  const others = new Set<string>();
  for (const statement of body.namedChildren) {
    const step = statement ? ownStep(statement) : undefined;
    if (!step || !candidates.has(step.name)) continue;
    steps.set(step.name, (steps.get(step.name) ?? 0) + 1);
    // A worklist the awaited work could feed (passed to it, or reachable from a closure) is a crawl, not a list of items.
    if (step.pop && !isPrivateWorklist(loop, body, step.name)) others.add(step.name);
  }
  // Every write of a candidate, the steps included: a driver has exactly one, its step.
  const writes = new Map<string, number>();
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (NESTED_SCOPES.has(node.type)) {
      if (node.descendantsOfType(['nonlocal_statement', 'global_statement']).length > 0) for (const name of candidates) others.add(name);
      continue;
    }
    for (const name of writtenRoots(node)) if (candidates.has(name)) writes.set(name, (writes.get(name) ?? 0) + 1);
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  const drivers = new Set<string>();
  for (const [name, count] of steps) if (count === 1 && writes.get(name) === 1 && !others.has(name)) drivers.add(name);
  return drivers;
}

/** A condition of names, literals, comparisons, `and` / `or` / `not`, attributes, subscripts and `len(...)`. */
function isPlainCondition(node: Node): boolean {
  switch (node.type) {
    case 'identifier':
    case 'integer':
    case 'float':
    case 'string':
    case 'true':
    case 'false':
    case 'none':
    case 'attribute':
    case 'subscript':
    case 'parenthesized_expression':
    case 'comparison_operator':
    case 'boolean_operator':
    case 'not_operator':
    case 'binary_operator':
    case 'unary_operator':
      break;
    case 'call': {
      const callee = node.childForFieldName('function');
      if (callee?.type !== 'identifier' || callee.text !== 'len') return false;
      break;
    }
    case 'argument_list':
      break;
    default:
      return node.type.length > 0 && !node.isNamed;
  }
  return node.namedChildren.every((child) => !child || isPlainCondition(child));
}

const POPS: ReadonlySet<string> = new Set(['pop', 'popleft']);

/**
 * Whether only the loop's own step touches a worklist inside the loop, and
 * nothing else can reach it: the function binds it itself before the loop,
 * and no function, class or lambda in that function names it.
 */
function isPrivateWorklist(loop: Node, body: Node, name: string): boolean {
  let scope = loop.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return false;
  let bound = false;
  let inBody = 0;
  const stack: { node: Node; nested: boolean }[] = [{ node: scope, nested: false }];
  while (stack.length > 0) {
    const { node, nested } = stack.pop()!;
    if (node.type === 'identifier' && node.text === name) {
      if (nested) return false;
      if (node.startIndex >= body.startIndex && node.endIndex <= body.endIndex) inBody++;
      const parent = node.parent;
      if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === node.id && node.endIndex <= loop.startIndex) bound = true;
    }
    for (const child of node.namedChildren) {
      if (child) stack.push({ node: child, nested: nested || (child.id !== scope.id && NESTED_SCOPES.has(child.type)) });
    }
  }
  return bound && inBody === 1;
}

/** The name a statement steps (`i += 1`, `x = xs.pop()`, `xs.popleft()`), if that is all it does. */
function ownStep(statement: Node): { name: string; pop: boolean } | undefined {
  if (statement.type !== 'expression_statement' || statement.namedChildCount !== 1) return undefined;
  const expression = statement.firstNamedChild!;
  if (expression.type === 'augmented_assignment') {
    const left = expression.childForFieldName('left');
    const right = expression.childForFieldName('right');
    const operator = expression.childForFieldName('operator')?.text;
    return left?.type === 'identifier' && right?.type === 'integer' && (operator === '+=' || operator === '-=') ? { name: left.text, pop: false } : undefined;
  }
  const call = expression.type === 'assignment' ? expression.childForFieldName('right') : expression;
  if (expression.type === 'assignment') {
    const left = expression.childForFieldName('left');
    if (left?.type !== 'identifier' || expression.childForFieldName('type')) return undefined;
  }
  if (call?.type !== 'call') return undefined;
  const callee = call.childForFieldName('function');
  const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const constantArgument = args.length === 0 || (args.length === 1 && (args[0]?.type === 'integer' || (args[0]?.type === 'unary_operator' && args[0].lastNamedChild?.type === 'integer')));
  return object?.type === 'identifier' && method && POPS.has(method) && constantArgument ? { name: object.text, pop: true } : undefined;
}

/** The root names a node writes by itself (not through its children): assignment targets, `del`, `for` targets, mutating calls… */
function writtenRoots(node: Node): string[] {
  const roots = (target: Node | null | undefined): string[] => {
    if (!target) return [];
    const path = accessPath(target);
    if (path !== undefined) return [/^[^.[]+/.exec(path)?.[0] ?? path];
    return target.namedChildren.flatMap((child) => roots(child));
  };
  switch (node.type) {
    case 'assignment':
    case 'augmented_assignment':
      return roots(node.childForFieldName('left'));
    case 'named_expression':
      return roots(node.childForFieldName('name'));
    case 'for_statement':
    case 'for_in_clause':
      return roots(node.childForFieldName('left'));
    case 'delete_statement':
      return node.namedChildren.flatMap((child) => roots(child));
    case 'as_pattern':
      return roots(node.childForFieldName('alias'));
    case 'call': {
      const receiver = mutatedReceiver(node);
      return receiver ? [/^[^.[]+/.exec(receiver)?.[0] ?? receiver] : [];
    }
    default:
      return [];
  }
}

/** The innermost loop whose own body holds `node`, if any, crossing no function. */
export function innermostLoop(node: Node): Node | undefined {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (NESTED_SCOPES.has(current.type)) return undefined;
    if (LOOPS.has(current.type) && current.childForFieldName('body')?.id === child.id) return current;
  }
  return undefined;
}
