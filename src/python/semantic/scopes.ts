import type { TextRange } from '../../engine/types';
import { Query, type Node } from '../parser';
import { hasAsyncKeyword } from '../syntax';
import { scopeBodyStart } from './owner';

/*
 * Scopes and bindings: which names each function, lambda, class body and
 * module binds, and how. Everything else in the semantic model asks this
 * module "what is this name?" and "whose code is this node?".
 */

export type Binding =
  | { readonly kind: 'param'; readonly fn: Node; readonly index: number; readonly annotation: Node | undefined }
  | { readonly kind: 'assign'; readonly value: Node | undefined; readonly annotation: Node | undefined }
  | { readonly kind: 'def'; readonly node: Node }
  | { readonly kind: 'class'; readonly node: Node }
  | { readonly kind: 'import'; readonly module: string; readonly level: number; readonly name: string }
  | { readonly kind: 'module'; readonly module: string }
  | { readonly kind: 'with'; readonly value: Node; readonly isAsync: boolean }
  | { readonly kind: 'declared'; readonly declaration: 'global' | 'nonlocal' }
  | { readonly kind: 'other' };

/** The answer to "what is this name?": its bindings in the scope that owns it, or a builtin. */
export type Resolution = { readonly scope: Node; readonly bindings: readonly Binding[] } | 'builtin' | 'unknown';

export interface ScopeInfo {
  readonly names: ReadonlyMap<string, readonly Binding[]>;
  readonly hasWildcardImport: boolean;
}

interface MutableScopeInfo {
  readonly names: Map<string, Binding[]>;
  hasWildcardImport: boolean;
}

const EMPTY_SCOPE: ScopeInfo = { names: new Map(), hasWildcardImport: false };

const SCOPE_QUERY_SOURCE = `
[(function_definition) (lambda) (class_definition)] @scope
[(list_comprehension) (set_comprehension) (dictionary_comprehension) (generator_expression)] @comprehension
[(assignment) (augmented_assignment) (named_expression) (for_statement) (with_statement) (except_clause)
 (import_statement) (import_from_statement) (global_statement) (nonlocal_statement) (case_pattern) (as_pattern)] @site
(yield) @yield
`;

let scopeQuery: Query | undefined;

/**
 * Every scope of a file with its bindings, built from one tree-sitter query
 * (matched inside the wasm module) and a stack of open scopes, instead of a
 * walk per scope. Scopes nest, so "which scope owns this node" is a binary
 * search over their start offsets plus a climb through enclosing scopes.
 *
 * With `regions` (the editor's changed units plus the module-level code),
 * only the scopes and bindings inside them are collected.
 */
export class ScopeIndex {
  private readonly infos = new Map<number, MutableScopeInfo>();
  private readonly generators = new Set<number>();
  /** Scopes in document order (the module first) and each one's enclosing scope. */
  private readonly scopes: Node[] = [];
  private readonly parents: number[] = [];
  private readonly bodyStarts: number[] = [];
  /** End offsets, read once: a node's `endIndex` is a call into the parser. */
  private readonly ends: number[] = [];
  private readonly comprehensions: Node[] = [];
  private readonly comprehensionEnds: number[] = [];
  private readonly comprehensionTargets = new Map<number, readonly string[]>();

  constructor(readonly root: Node, private readonly regions: readonly TextRange[] | undefined) {
    this.build();
  }

  /** Whether the whole of `node` was indexed. */
  covers(node: Node): boolean {
    return !this.regions || this.regions.some((region) => region.start <= node.startIndex && node.endIndex <= region.end);
  }

  info(scope: Node): ScopeInfo {
    return this.infos.get(scope.id) ?? EMPTY_SCOPE;
  }

  /** Whether an indexed function yields in its own code (`hasOwnYield`, from the index). */
  yields(fn: Node): boolean {
    return this.generators.has(fn.id);
  }

  scopeOf(node: Node): Node {
    return this.scopes[this.innermost(node.startIndex, node.endIndex, node.id)]!;
  }

  outer(scope: Node): Node | undefined {
    // The root is `module`, or `ERROR` when the file is badly broken.
    if (scope.id === this.root.id) return undefined;
    return this.scopes[this.innermost(scope.startIndex, scope.endIndex, scope.id)];
  }

  /** Whether `name` at `at` is a target of a comprehension around `at` that lies in `scope` and starts before `inner`. */
  boundByComprehension(name: string, at: Node, scope: Node, inner: Node): boolean {
    // Comprehensions are in document order: only those between the scope's start and `inner` can hold it.
    let low = 0;
    let high = this.comprehensions.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.comprehensions[mid]!.startIndex < scope.startIndex) low = mid + 1;
      else high = mid;
    }
    const atEnd = at.endIndex;
    const scopeEnd = scope.endIndex;
    for (let i = low; i < this.comprehensions.length; i++) {
      const comprehension = this.comprehensions[i]!;
      const end = this.comprehensionEnds[i]!;
      if (comprehension.startIndex > inner.startIndex || (inner.id !== at.id && comprehension.startIndex === inner.startIndex)) break;
      if (end < atEnd || end > scopeEnd || comprehension.id === at.id) continue;
      let targets = this.comprehensionTargets.get(comprehension.id);
      if (!targets) {
        targets = comprehension.namedChildren
          .filter((clause): clause is Node => clause?.type === 'for_in_clause')
          .flatMap((clause) => {
            const left = clause.childForFieldName('left');
            return left ? identifiersIn(left) : [];
          });
        this.comprehensionTargets.set(comprehension.id, targets);
      }
      if (targets.includes(name)) return true;
    }
    return false;
  }

  private innermost(start: number, end: number, excluding: number): number {
    let low = 0;
    let high = this.scopes.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.scopes[mid]!.startIndex <= start) low = mid;
      else high = mid - 1;
    }
    for (let at = low; at > 0; at = this.parents[at]!) {
      const scope = this.scopes[at]!;
      if (scope.id !== excluding && this.bodyStarts[at]! <= start && end <= this.ends[at]!) return at;
    }
    return 0;
  }

  private register(scope: Node, parent: number): number {
    this.scopes.push(scope);
    this.parents.push(parent);
    this.ends.push(scope.endIndex);
    this.bodyStarts.push(scope.id === this.root.id ? scope.startIndex : scopeBodyStart(scope));
    return this.scopes.length - 1;
  }

  private build(): void {
    const root = this.root;
    const moduleInfo: MutableScopeInfo = { names: new Map(), hasWildcardImport: false };
    this.infos.set(root.id, moduleInfo);
    const stack: { node: Node; slot: number; info: MutableScopeInfo }[] = [{ node: root, slot: this.register(root, 0), info: moduleInfo }];

    for (const { name: capture, node } of scopeCaptures(root, this.regions)) {
      while (stack.length > 1 && node.startIndex >= stack[stack.length - 1]!.node.endIndex) stack.pop();
      const owner = stack[stack.length - 1]!;
      const bind = (name: string, binding: Binding) => addBinding(owner.info.names, name, binding);
      switch (capture) {
        case 'scope': {
          if (node.type !== 'lambda') {
            const name = node.childForFieldName('name');
            if (name) bind(name.text, node.type === 'function_definition' ? { kind: 'def', node } : { kind: 'class', node });
          }
          const info: MutableScopeInfo = { names: new Map(), hasWildcardImport: false };
          this.infos.set(node.id, info);
          stack.push({ node, slot: this.register(node, owner.slot), info });
          if (node.type !== 'class_definition') collectParameters(node, (name, binding) => addBinding(info.names, name, binding));
          continue;
        }
        case 'comprehension':
          this.comprehensions.push(node);
          this.comprehensionEnds.push(node.endIndex);
          continue;
        case 'yield':
          // A `yield` in a default value is not the function's own.
          if (node.startIndex >= this.bodyStarts[owner.slot]!) this.generators.add(owner.node.id);
          continue;
        default:
          bindSite(node, bind, () => {
            owner.info.hasWildcardImport = true;
          });
      }
    }
    if (this.regions) this.bindTopLevelDefinitions(moduleInfo.names);
  }

  /** With regions, top-level functions and classes outside them still bind their names in the module. */
  private bindTopLevelDefinitions(names: Map<string, Binding[]>): void {
    for (const statement of this.root.namedChildren) {
      if (!statement) continue;
      const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (!definition || (definition.type !== 'function_definition' && definition.type !== 'class_definition')) continue;
      if (this.infos.has(definition.id)) continue;
      const name = definition.childForFieldName('name')?.text;
      if (!name) continue;
      addBinding(names, name, definition.type === 'function_definition' ? { kind: 'def', node: definition } : { kind: 'class', node: definition });
    }
  }
}

/** The captures of the scope query over the whole tree, or over some regions of it (document order, outer first). */
function scopeCaptures(root: Node, regions: readonly TextRange[] | undefined): { name: string; node: Node }[] {
  scopeQuery ??= new Query(root.tree.language, SCOPE_QUERY_SOURCE);
  if (!regions) return scopeQuery.captures(root);
  const seen = new Set<number>();
  const captures: { name: string; node: Node }[] = [];
  for (const region of regions) {
    // Query ranges count bytes of the UTF-16 text web-tree-sitter parses: two per code unit.
    for (const capture of scopeQuery.captures(root, { startIndex: region.start * 2, endIndex: region.end * 2 })) {
      if (seen.has(capture.node.id)) continue;
      seen.add(capture.node.id);
      captures.push(capture);
    }
  }
  return captures.sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex);
}

function addBinding(names: Map<string, Binding[]>, name: string, binding: Binding): void {
  const list = names.get(name);
  if (list) list.push(binding);
  else names.set(name, [binding]);
}

/** The names one statement or pattern binds in the scope that owns it. */
function bindSite(node: Node, bind: (name: string, binding: Binding) => void, markWildcard: () => void): void {
  const bindPattern = (pattern: Node, single: () => Binding) => {
    if (pattern.type === 'identifier') bind(pattern.text, single());
    else for (const name of identifiersIn(pattern)) bind(name, { kind: 'other' });
  };
  const other = (): Binding => ({ kind: 'other' });
  switch (node.type) {
    case 'assignment': {
      const left = node.childForFieldName('left');
      const annotation = node.childForFieldName('type') ?? undefined;
      if (!left) return;
      // `a = b = value`: tree-sitter nests the second assignment as the right side.
      let value: Node | undefined = node.childForFieldName('right') ?? undefined;
      while (value?.type === 'assignment') value = value.childForFieldName('right') ?? undefined;
      bindPattern(left, () => ({ kind: 'assign', value, annotation }));
      return;
    }
    case 'augmented_assignment':
    case 'named_expression': {
      const target = node.childForFieldName(node.type === 'named_expression' ? 'name' : 'left');
      if (target) bindPattern(target, other);
      return;
    }
    case 'for_statement': {
      const left = node.childForFieldName('left');
      if (left) bindPattern(left, other);
      return;
    }
    case 'with_statement': {
      const isAsync = hasAsyncKeyword(node);
      const clause = node.namedChildren.find((child) => child?.type === 'with_clause');
      for (const item of clause?.namedChildren ?? []) {
        if (item?.type !== 'with_item') continue;
        const value = item.childForFieldName('value');
        if (value?.type !== 'as_pattern') continue;
        const target = value.childForFieldName('alias')?.firstNamedChild;
        const source = value.firstNamedChild;
        if (target && source) bindPattern(target, () => ({ kind: 'with', value: source, isAsync }));
      }
      return;
    }
    case 'except_clause': {
      const alias = node.childForFieldName('alias') ?? node.namedChildren.find((child) => child?.type === 'as_pattern')?.childForFieldName('alias');
      if (alias) bindPattern(alias, other);
      return;
    }
    case 'as_pattern': {
      if (node.parent?.type === 'case_clause' || node.parent?.type === 'case_pattern') {
        const alias = node.childForFieldName('alias');
        if (alias) bindPattern(alias, other);
      }
      return;
    }
    case 'case_pattern':
      for (const name of identifiersIn(node)) bind(name, { kind: 'other' });
      return;
    case 'import_statement':
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'dotted_name') bind(child.text.split('.')[0]!, { kind: 'module', module: child.text.split('.')[0]! });
        else if (child.type === 'aliased_import') {
          const module = child.childForFieldName('name')?.text;
          const alias = child.childForFieldName('alias')?.text;
          if (module && alias) bind(alias, { kind: 'module', module });
        }
      }
      return;
    case 'import_from_statement': {
      const moduleNode = node.childForFieldName('module_name');
      if (!moduleNode) return;
      let module = moduleNode.text;
      let level = 0;
      if (moduleNode.type === 'relative_import') {
        const prefix = moduleNode.firstNamedChild?.type === 'import_prefix' ? moduleNode.firstNamedChild.text : moduleNode.text.match(/^\.*/)![0];
        level = prefix.length;
        module = moduleNode.text.slice(prefix.length);
      }
      if (node.namedChildren.some((child) => child?.type === 'wildcard_import')) markWildcard();
      for (const child of node.childrenForFieldName('name')) {
        if (!child) continue;
        if (child.type === 'dotted_name') bind(child.text, { kind: 'import', module, level, name: child.text });
        else if (child.type === 'aliased_import') {
          const name = child.childForFieldName('name')?.text;
          const alias = child.childForFieldName('alias')?.text;
          if (name && alias) bind(alias, { kind: 'import', module, level, name });
        }
      }
      return;
    }
    case 'global_statement':
    case 'nonlocal_statement':
      for (const child of node.namedChildren) {
        if (child?.type === 'identifier') bind(child.text, { kind: 'declared', declaration: node.type === 'global_statement' ? 'global' : 'nonlocal' });
      }
      return;
    default:
      return;
  }
}

function collectParameters(fn: Node, bind: (name: string, binding: Binding) => void): void {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return;
  let index = 0;
  for (const parameter of parameters.namedChildren) {
    if (!parameter) continue;
    let nameNode: Node | null = null;
    let annotation: Node | undefined;
    switch (parameter.type) {
      case 'identifier':
        nameNode = parameter;
        break;
      case 'typed_parameter':
        nameNode = parameter.firstNamedChild;
        annotation = parameter.childForFieldName('type') ?? undefined;
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        nameNode = parameter.childForFieldName('name');
        annotation = parameter.childForFieldName('type') ?? undefined;
        break;
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        nameNode = parameter.firstNamedChild;
        break;
      default:
        continue;
    }
    if (nameNode?.type === 'identifier') {
      // `*args: X` annotates each element, not the tuple.
      const isSplat = parameter.type.endsWith('splat_pattern') || nameNode.parent?.type?.endsWith('splat_pattern');
      bind(nameNode.text, isSplat ? { kind: 'other' } : { kind: 'param', fn, index, annotation });
    } else if (nameNode && (nameNode.type === 'list_splat_pattern' || nameNode.type === 'dictionary_splat_pattern')) {
      const inner = nameNode.firstNamedChild;
      if (inner?.type === 'identifier') bind(inner.text, { kind: 'other' });
    }
    index++;
  }
}

/** The names a target pattern binds (`a, (b, c)` → a, b, c); attributes and subscripts bind nothing. */
function identifiersIn(pattern: Node): string[] {
  if (pattern.type === 'identifier') return [pattern.text];
  return pattern.descendantsOfType('identifier').filter((node): node is Node => !!node && node.parent?.type !== 'attribute' && node.parent?.type !== 'subscript').map((node) => node.text);
}
