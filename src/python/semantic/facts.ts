import type { TextRange } from '../../engine/types';
import type { KnownApiTable } from '../known-apis';
import type { Node } from '../parser';
import { isAsyncFunction, unparenthesize } from '../syntax';
import { classOfValue, classShape, memberOf, MAX_DEPTH, type ClassShape } from './classes';
import { aiterReferencedNames, asyncIteratedClassNames } from './cross-unit';
import type { ModuleResolver } from './exports';
import { callResult, computeIterability, functionResult, instanceOf, UNKNOWN, type Iterability } from './iterability';
import { hasOwnYield } from './owner';
import { ScopeIndex, type Binding, type Resolution, type ScopeInfo } from './scopes';
import { byNodeText } from './text-cache';
import { annotationIterability } from './typing';

export interface FactsOptions {
  readonly known: KnownApiTable;
  readonly resolver?: ModuleResolver | undefined;
  readonly path?: string | undefined;
  /**
   * Only these parts of the file will be analysed (the editor's changed
   * units plus the module-level code): scopes and bindings are collected
   * there only. Undefined: the whole file.
   */
  readonly regions?: readonly TextRange[] | undefined;
}

/**
 * The semantic model of one parsed Python file, computed lazily: the one
 * place rules ask what a name is, whose code a node is, whether a function
 * is a generator, and whether a value is an async iterable. Each concern
 * lives in its own module (scopes, iterability, classes, methods, typing,
 * decorators, exports); this class ties them to one tree and caches them.
 * Everything is conservative: when in doubt the answer is `unknown` and no
 * rule fires.
 */
const iteratedClassNamesOf = byNodeText(asyncIteratedClassNames);

export class PythonFacts {
  private index: ScopeIndex | undefined;
  private readonly iterabilityCache = new Map<number, Iterability>();
  private readonly generatorOutsideRegions = new Map<number, boolean>();
  /** Resolutions by node and name: several rules ask about the same names. */
  private readonly resolutions = new Map<number, Map<string, Resolution>>();
  private aiterNames: ReadonlySet<string> | undefined;
  private iteratedClassNames: ReadonlySet<string> | undefined;

  constructor(readonly root: Node, private readonly options: FactsOptions) {}

  get known(): KnownApiTable {
    return this.options.known;
  }

  /** How imports of other modules are followed (none without a resolver and a path). */
  get imports(): { readonly resolver: ModuleResolver | undefined; readonly path: string | undefined } {
    return { resolver: this.options.resolver, path: this.options.path };
  }

  // ---- scopes and names ---------------------------------------------------

  private scopes(): ScopeIndex {
    this.index ??= new ScopeIndex(this.root, this.options.regions);
    return this.index;
  }

  scopeInfo(scope: Node): ScopeInfo {
    return this.scopes().info(scope);
  }

  /** The function, lambda, class or module whose own code `node` is part of (never `node` itself). */
  scopeOf(node: Node): Node {
    return this.scopes().scopeOf(node);
  }

  /** The function or lambda `node` runs in, crossing no class body; undefined at module or class level. */
  functionOf(node: Node): Node | undefined {
    const scope = this.scopeOf(node);
    return scope.type === 'function_definition' || scope.type === 'lambda' ? scope : undefined;
  }

  /**
   * Whether `await` and `async for` are allowed where `node` is: in the own
   * code of an `async def`, or at module level when top-level await is on
   * (notebooks, `python -m asyncio`).
   */
  isAsyncContext(node: Node, topLevelAwait: boolean): boolean {
    const scope = this.scopeOf(node);
    if (scope.type === 'module') return topLevelAwait;
    return isAsyncFunction(scope);
  }

  /** Whether a function's own code yields (so calling it makes a generator). */
  isGenerator(fn: Node): boolean {
    const index = this.scopes();
    if (index.covers(fn)) return index.yields(fn);
    let answer = this.generatorOutsideRegions.get(fn.id);
    if (answer === undefined) this.generatorOutsideRegions.set(fn.id, (answer = hasOwnYield(fn)));
    return answer;
  }

  /** Resolves the identifier `name` as seen from `at`. */
  resolve(name: string, at: Node): Resolution {
    let byName = this.resolutions.get(at.id);
    if (!byName) this.resolutions.set(at.id, (byName = new Map()));
    let resolution = byName.get(name);
    if (resolution === undefined) byName.set(name, (resolution = this.resolveUncached(name, at)));
    return resolution;
  }

  private resolveUncached(name: string, at: Node): Resolution {
    const index = this.scopes();
    const first = index.scopeOf(at);
    let scope: Node | undefined = first;
    // Comprehension targets shadow the scope that holds the comprehension (and
    // are seen from lambdas inside it): check those between a scope and the
    // scope (or node) inside it before the scope's own names.
    let inner: Node = at;
    while (scope) {
      if (index.boundByComprehension(name, at, scope, inner)) return 'unknown';
      const isClassBody = scope.type === 'class_definition';
      if (!isClassBody || scope.id === first.id) {
        const info = index.info(scope);
        const bindings = info.names.get(name);
        if (bindings) {
          const declared = bindings.find((binding) => binding.kind === 'declared');
          if (declared?.kind === 'declared') {
            if (declared.declaration === 'global') return this.resolveIn(this.root, name);
            inner = scope;
            scope = index.outer(scope);
            continue;
          }
          return { scope, bindings };
        }
        if (scope.id === this.root.id) return info.hasWildcardImport ? 'unknown' : 'builtin';
      }
      inner = scope;
      scope = index.outer(scope);
    }
    return 'unknown';
  }

  private resolveIn(scope: Node, name: string): Resolution {
    const info = this.scopes().info(scope);
    const bindings = info.names.get(name);
    if (bindings) return { scope, bindings };
    return info.hasWildcardImport ? 'unknown' : 'builtin';
  }

  /** The single binding of a name, or undefined when there are several or none. */
  singleBinding(name: string, at: Node): Binding | undefined {
    const resolution = this.resolve(name, at);
    if (typeof resolution === 'string' || resolution.bindings.length !== 1) return undefined;
    return resolution.bindings[0];
  }

  /** Whether `name` at `at` is the builtin of that name (not shadowed). */
  isBuiltin(name: string, at: Node): boolean {
    return this.resolve(name, at) === 'builtin';
  }

  /**
   * The dotted name an expression refers to through imports: `aiofiles.open`
   * for `aiofiles.open` after `import aiofiles`, `asyncio.sleep` for `sleep`
   * after `from asyncio import sleep`, `range` for the builtin.
   */
  qualifiedName(expression: Node): string | undefined {
    // Walk down `a.b.c` iteratively: attribute chains can be arbitrarily long.
    const attributes: string[] = [];
    let node = unparenthesize(expression);
    while (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (!object || !attribute || attributes.length > MAX_DEPTH) return undefined;
      attributes.push(attribute.text);
      node = unparenthesize(object);
    }
    if (node.type !== 'identifier') return undefined;
    return this.qualifiedNameOf([node.text, ...attributes.reverse()], node);
  }

  /** `qualifiedName` for a dotted name given as parts (from a string annotation), as seen from `at`. */
  qualifiedNameOf(parts: readonly string[], at: Node): string | undefined {
    const base = this.baseQualifiedName(parts[0]!, at);
    return base === undefined ? undefined : [base, ...parts.slice(1)].join('.');
  }

  private baseQualifiedName(name: string, at: Node): string | undefined {
    const resolution = this.resolve(name, at);
    if (resolution === 'builtin') return name;
    if (typeof resolution === 'string' || resolution.bindings.length !== 1) return undefined;
    const binding = resolution.bindings[0]!;
    if (binding.kind === 'module') return binding.module;
    if (binding.kind === 'import' && binding.level === 0) return `${binding.module}.${binding.name}`;
    return undefined;
  }

  // ---- iterability, classes, annotations ----------------------------------

  iterability(expression: Node, depth = 0): Iterability {
    const cached = this.iterabilityCache.get(expression.id);
    if (cached) return cached;
    const result = depth > MAX_DEPTH ? UNKNOWN : computeIterability(unparenthesize(expression), this, depth + 1);
    this.iterabilityCache.set(expression.id, result);
    return result;
  }

  /** What calling `callee` gives (for `callee(...)`). */
  callResult(callee: Node, depth = 0): Iterability {
    return callResult(callee, this, depth);
  }

  /** What calling a function gives, judged from its definition. */
  functionResult(fn: Node, depth = 0): Iterability {
    return functionResult(fn, this, depth);
  }

  /** What an instance of a class is. */
  instanceOf(cls: Node, depth = 0): Iterability {
    return instanceOf(cls, this, depth);
  }

  annotationIterability(annotation: Node, depth = 0): Iterability {
    return annotationIterability(annotation, this, depth);
  }

  classShape(cls: Node): ClassShape | undefined {
    return classShape(cls, this);
  }

  memberOf(cls: Node, name: string): Node | undefined {
    return memberOf(cls, name, this);
  }

  classOfValue(expression: Node): Node | undefined {
    return classOfValue(expression, this);
  }

  /** Names that `__aiter__` methods of this file mention: a class named there is probably the iterator one returns. */
  aiterReferencedNames(): ReadonlySet<string> {
    this.aiterNames ??= aiterReferencedNames(this.root);
    return this.aiterNames;
  }

  /** Names of the classes this file visibly iterates with `async for` (`async for x in Countdown(3)`), as written. */
  asyncIteratedClassNames(): ReadonlySet<string> {
    this.iteratedClassNames ??= new Set(this.root.namedChildren.flatMap((statement) => (statement ? iteratedClassNamesOf(statement) : [])));
    return this.iteratedClassNames;
  }
}
