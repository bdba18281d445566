import type * as ts from 'typescript';
import type { JsKnownApiTable } from './known-apis';
import { normaliseModule } from './known-apis';
import type { TypeScript } from './rule';

/**
 * What iterating a value with each protocol does, as far as we can tell:
 * `async`: it has `[Symbol.asyncIterator]` and no `[Symbol.iterator]` (a
 * plain `for…of` throws); `sync`: it has `[Symbol.iterator]`; `unknown`:
 * anything else, and every rule stays silent then.
 */
export type Iterability = 'async' | 'sync' | 'unknown';

/** What an expression names through the file's imports: `readline.createInterface` → `{ module: 'readline', path: ['createInterface'] }`. */
export interface ModuleReference {
  /** Without `node:`; empty for a global (`process.stdin`). */
  readonly module: string;
  readonly path: readonly string[];
}

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

/**
 * The package a file belongs to (its nearest `package.json`), given by the
 * host, which can read the file system: a package's own tests and examples
 * import it by path (`require('..')`, `import app from '../app.js'`), and
 * those paths name the package as `require('fastify')` does elsewhere.
 */
export interface OwnPackage {
  /** Its `name`. */
  readonly name: string;
  /** The directory holding its `package.json`, with `/` separators. */
  readonly root: string;
  /** Its entry point relative to `root` (`main`, else `index.js`). */
  readonly main: string;
}

/** How deep a chain of `const a = b` is followed. */
const MAX_DEPTH = 8;

/**
 * The facts JS/TS rules ask about one file. With a type checker, types
 * answer "is this an async iterable?"; without one (or when the type is
 * `any`), syntax does: local async generators, classes and object literals
 * with `[Symbol.asyncIterator]`, and the known-API table, through the file's
 * imports and `require` calls. Names are followed only when the file declares
 * them once and never assigns them again.
 */
export class JsFacts {
  private declarations: Map<ts.Node, Map<string, ts.Node[]>> | undefined;
  private readonly assigned = new Set<string>();
  private module: boolean | undefined;
  private format: ModuleFormat | undefined;

  constructor(
    readonly ts: TypeScript,
    readonly sourceFile: ts.SourceFile,
    readonly checker: ts.TypeChecker | undefined,
    readonly known: JsKnownApiTable,
    readonly ownPackage?: OwnPackage,
  ) {}

  /**
   * The module a specifier names, as the known tables spell it: without
   * `node:`, and a relative path to this file's own package (its folder or
   * its entry point) as the package's name. Any other relative path stays as
   * written: a module of the project, never a known one.
   */
  moduleOf(specifier: string): string {
    const own = this.ownPackage;
    if (!own || !specifier.startsWith('.')) return normaliseModule(specifier);
    const target = stripScriptExtension(joinPath(directoryOf(this.sourceFile.fileName), specifier));
    const root = own.root.replace(/\/+$/, '');
    const entries = [root, stripScriptExtension(joinPath(root, own.main)), `${root}/index`];
    return entries.includes(target) ? own.name : specifier;
  }

  // ---- iterability ---------------------------------------------------------

  iterability(expression: ts.Expression): Iterability {
    const typed = this.checker ? this.typedIterability(expression) : 'unknown';
    if (typed !== 'unknown') return typed;
    return this.syntacticIterability(expression, 0);
  }

  /** From the type: every member of a union must agree; `any`, `unknown` and type parameters say nothing. */
  typedIterability(expression: ts.Expression): Iterability {
    const { ts } = this;
    const checker = this.checker!;
    let type: ts.Type;
    try {
      type = checker.getTypeAtLocation(expression);
    } catch {
      return 'unknown';
    }
    const members = type.isUnion() ? type.types : [type];
    let verdict: Iterability | undefined;
    for (const member of members) {
      if (member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void) && members.length > 1) continue;
      const own = this.typeIterability(member);
      if (own === 'unknown') return 'unknown';
      if (verdict !== undefined && verdict !== own) return 'unknown';
      verdict = own;
    }
    return verdict ?? 'unknown';
  }

  private typeIterability(type: ts.Type): Iterability {
    const { ts } = this;
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never | ts.TypeFlags.TypeParameter | ts.TypeFlags.Index | ts.TypeFlags.IndexedAccess | ts.TypeFlags.Conditional | ts.TypeFlags.Substitution)) return 'unknown';
    if (type.flags & ts.TypeFlags.StringLike) return 'sync';
    const apparent = this.checker!.getApparentType(type);
    let hasAsync = false;
    let hasSync = false;
    for (const property of apparent.getProperties()) {
      const name = String(property.escapedName);
      if (name.startsWith('__@asyncIterator@')) hasAsync = true;
      else if (name.startsWith('__@iterator@')) hasSync = true;
    }
    if (hasSync) return 'sync';
    if (hasAsync) return 'async';
    return 'unknown';
  }

  /** From syntax alone: what a reader sees in this file. */
  syntacticIterability(expression: ts.Expression, depth: number): Iterability {
    const { ts } = this;
    if (depth > MAX_DEPTH) return 'unknown';
    const node = skipOuter(ts, expression);
    if (ts.isArrayLiteralExpression(node) || ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return 'sync';
    if (ts.isObjectLiteralExpression(node)) return this.objectIterability(node.properties);
    if (ts.isClassExpression(node)) return 'unknown';
    if (ts.isAwaitExpression(node)) {
      const inner = skipOuter(ts, node.expression);
      if (ts.isCallExpression(inner)) {
        const known = this.knownCallee(inner.expression);
        if (known?.form === 'await') return 'async';
      }
      return 'unknown';
    }
    if (ts.isCallExpression(node)) return this.callIterability(node, depth);
    if (ts.isNewExpression(node)) {
      const target = this.resolveValue(node.expression, depth + 1);
      if (target && ts.isClassLike(target)) return this.classIterability(target);
      const known = this.knownCallee(node.expression);
      if (known?.form === 'new') return 'async';
      return 'unknown';
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const reference = this.moduleReference(node);
      if (reference) {
        const entry = this.known.find(reference.module, reference.path);
        if (entry?.form === 'value') return 'async';
      }
      if (ts.isIdentifier(node)) {
        const declaration = this.singleDeclaration(node);
        if (declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.initializer && isConst(ts, declaration)) {
          return this.syntacticIterability(declaration.initializer, depth + 1);
        }
      }
    }
    return 'unknown';
  }

  private callIterability(call: ts.CallExpression, depth: number): Iterability {
    const { ts } = this;
    const callee = skipOuter(ts, call.expression);
    // An immediately called async generator function expression.
    if ((ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) && isAsyncGeneratorFunction(ts, callee)) return 'async';
    if (ts.isFunctionExpression(callee) && callee.asteriskToken) return 'sync';
    const target = this.resolveValue(callee, depth + 1);
    if (target && isFunctionLikeValue(ts, target)) {
      if (isAsyncGeneratorFunction(ts, target)) return 'async';
      if ((target as ts.FunctionLikeDeclaration).asteriskToken) return 'sync';
      return 'unknown';
    }
    const known = this.knownCallee(callee);
    if (known?.form === 'call') return 'async';
    return 'unknown';
  }

  private objectIterability(members: readonly (ts.ObjectLiteralElementLike | ts.ClassElement)[]): Iterability {
    let hasAsync = false;
    let hasSync = false;
    for (const member of members) {
      if (this.ts.isSpreadAssignment(member)) return 'unknown';
      const symbol = wellKnownSymbolName(this.ts, member.name);
      if (symbol === 'asyncIterator') hasAsync = true;
      else if (symbol === 'iterator') hasSync = true;
      else if (member.name && this.ts.isComputedPropertyName(member.name) && !this.ts.isStringLiteralLike(member.name.expression)) return 'unknown';
    }
    if (hasSync) return 'sync';
    return hasAsync ? 'async' : 'unknown';
  }

  /** A local class: async when it defines `[Symbol.asyncIterator]` and no `[Symbol.iterator]`, itself and through no base class. */
  classIterability(declaration: ts.ClassLikeDeclaration): Iterability {
    const own = this.objectIterability(declaration.members);
    if (own === 'sync') return 'sync';
    const extendsClause = declaration.heritageClauses?.some((clause) => clause.token === this.ts.SyntaxKind.ExtendsKeyword);
    return extendsClause ? 'unknown' : own;
  }

  // ---- names ---------------------------------------------------------------

  /**
   * The one declaration of a name in this file (function, class, variable,
   * parameter, import), when there is exactly one and nothing assigns the
   * name again; otherwise undefined.
   */
  singleDeclaration(identifier: ts.Identifier): ts.Node | undefined {
    const found = this.declarationsOf(identifier);
    if (found.length !== 1 || this.assigned.has(identifier.text)) return undefined;
    return found[0];
  }

  /** Like {@link singleDeclaration}, but the name may be assigned again: the one declaration in the innermost scope that declares it. */
  declarationOf(identifier: ts.Identifier): ts.Node | undefined {
    const found = this.declarationsOf(identifier);
    return found.length === 1 ? found[0] : undefined;
  }

  /** The function or class an expression refers to, through single `const` bindings. */
  resolveValue(expression: ts.Expression, depth: number): ts.Node | undefined {
    const { ts } = this;
    if (depth > MAX_DEPTH) return undefined;
    const node = skipOuter(ts, expression);
    if (ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isClassExpression(node)) return node;
    if (ts.isIdentifier(node)) {
      const declaration = this.singleDeclaration(node);
      if (!declaration) return undefined;
      if (ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration)) return declaration;
      if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.initializer && isConst(ts, declaration)) {
        return this.resolveValue(declaration.initializer, depth + 1);
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = this.thisClass(node);
      if (!owner) return undefined;
      const methods = owner.members.filter((member) => member.name && ts.isIdentifier(member.name) && member.name.text === node.name.text);
      const method = methods[0];
      if (methods.length === 1 && method && ts.isMethodDeclaration(method) && !method.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return method;
      return undefined;
    }
    return undefined;
  }

  /** The class whose instance `this` is at `node` (through arrow functions), if any. */
  thisClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
    const { ts } = this;
    for (let current = node.parent; current; current = current.parent) {
      if (ts.isArrowFunction(current)) continue;
      if (ts.isMethodDeclaration(current) || ts.isConstructorDeclaration(current) || ts.isGetAccessorDeclaration(current) || ts.isSetAccessorDeclaration(current) || ts.isPropertyDeclaration(current)) {
        return current.parent && ts.isClassLike(current.parent) ? current.parent : undefined;
      }
      if (ts.isFunctionLike(current) || ts.isSourceFile(current) || ts.isClassStaticBlockDeclaration(current)) return undefined;
    }
    return undefined;
  }

  /** The known API a callee names, through the file's imports. */
  knownCallee(callee: ts.Expression) {
    const reference = this.moduleReference(callee);
    return reference ? this.known.find(reference.module, reference.path) : undefined;
  }

  /**
   * What `a.b.c` names through an import or `require` of this file: an import
   * binding (`import { on } from 'node:events'`, `import * as rl from
   * 'readline'`, `const { on } = require('events')`), followed by members; or
   * a global (`process.stdin`) when the file declares no such name.
   */
  moduleReference(expression: ts.Expression): ModuleReference | undefined {
    const { ts } = this;
    const { root: node, members } = memberChain(ts, expression);
    if (!ts.isIdentifier(node)) return undefined;
    if (this.declarationsOf(node).length === 0) return GLOBALS.has(node.text) ? { module: '', path: [node.text, ...members] } : undefined;
    const declaration = this.singleDeclaration(node);
    if (!declaration) return undefined;
    const binding = this.importBinding(declaration);
    if (!binding) return undefined;
    return { module: binding.module, path: [...binding.path, ...members] };
  }

  private moduleOfImport(declaration: ts.Node): string | undefined {
    const { ts } = this;
    if (!ts.isImportDeclaration(declaration) || !ts.isStringLiteral(declaration.moduleSpecifier)) return undefined;
    if (declaration.importClause?.isTypeOnly) return undefined;
    return this.moduleOf(declaration.moduleSpecifier.text);
  }

  /** `require('x')`, `require('x').a.b`. */
  private requiredModule(initializer: ts.Expression): ModuleReference | undefined {
    const { ts } = this;
    const { root: node, members } = memberChain(ts, initializer);
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require' || node.arguments.length !== 1) return undefined;
    const argument = node.arguments[0]!;
    if (!ts.isStringLiteralLike(argument)) return undefined;
    return { module: this.moduleOf(argument.text), path: members };
  }

  private importBinding(declaration: ts.Node): ModuleReference | undefined {
    const { ts } = this;
    if (ts.isImportSpecifier(declaration)) {
      const module = this.moduleOfImport(declaration.parent.parent.parent);
      const imported = declaration.propertyName ?? declaration.name;
      if (module === undefined || !ts.isIdentifier(imported)) return undefined;
      return { module, path: imported.text === 'default' ? [] : [imported.text] };
    }
    if (ts.isNamespaceImport(declaration)) {
      const module = this.moduleOfImport(declaration.parent.parent);
      return module === undefined ? undefined : { module, path: [] };
    }
    if (ts.isImportClause(declaration)) {
      // A default import of a Node module is its namespace (CommonJS interop).
      const module = this.moduleOfImport(declaration.parent);
      return module === undefined ? undefined : { module, path: [] };
    }
    if (ts.isImportEqualsDeclaration(declaration)) {
      const reference = declaration.moduleReference;
      if (ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression)) return { module: this.moduleOf(reference.expression.text), path: [] };
      return undefined;
    }
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && isConst(ts, declaration)) {
      const required = this.requiredModule(declaration.initializer);
      if (required) return required;
      return undefined;
    }
    if (ts.isBindingElement(declaration)) {
      // const { on } = require('events'); const { promises: { opendir } } = require('fs')
      const path: string[] = [];
      let element: ts.Node = declaration;
      while (ts.isBindingElement(element)) {
        const key = element.propertyName ?? element.name;
        if (element.dotDotDotToken || !ts.isIdentifier(key)) return undefined;
        path.unshift(key.text);
        const pattern = element.parent;
        if (!ts.isObjectBindingPattern(pattern)) return undefined;
        element = pattern.parent;
      }
      if (!ts.isVariableDeclaration(element) || !element.initializer || !isConst(ts, element)) return undefined;
      const required = this.requiredModule(element.initializer);
      return required ? { module: required.module, path: [...required.path, ...path] } : undefined;
    }
    return undefined;
  }

  /** Where each name is declared: scope container → name → declarations (var and function hoisted to their function). */
  private indexNames(): void {
    if (this.declarations) return;
    const { ts } = this;
    const scopes = new Map<ts.Node, Map<string, ts.Node[]>>();
    const declare = (scope: ts.Node, name: string, node: ts.Node) => {
      let names = scopes.get(scope);
      if (!names) scopes.set(scope, (names = new Map()));
      const list = names.get(name);
      if (list) list.push(node);
      else names.set(name, [node]);
    };
    const add = (scope: ts.Node, name: ts.Node | undefined, node: ts.Node) => {
      if (!name) return;
      if (ts.isIdentifier(name)) declare(scope, name.text, node);
      else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) {
        for (const element of name.elements) if (ts.isBindingElement(element)) add(scope, element.name, element);
      }
    };
    const assignTarget = (target: ts.Expression) => {
      const node = skipOuter(ts, target);
      if (ts.isIdentifier(node)) this.assigned.add(node.text);
      else if (ts.isArrayLiteralExpression(node)) for (const element of node.elements) assignTarget(ts.isSpreadElement(element) ? element.expression : element);
      else if (ts.isObjectLiteralExpression(node)) {
        for (const property of node.properties) {
          if (ts.isShorthandPropertyAssignment(property)) this.assigned.add(property.name.text);
          else if (ts.isPropertyAssignment(property)) assignTarget(property.initializer);
          else if (ts.isSpreadAssignment(property)) assignTarget(property.expression);
        }
      }
    };
    const stack: ts.Node[] = [this.sourceFile];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (ts.isVariableDeclaration(node)) {
        const list = node.parent;
        const isVar = ts.isVariableDeclarationList(list) && (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using)) === 0;
        add(isVar ? functionScopeOf(ts, node) : blockScopeOf(ts, node), node.name, node);
      } else if (ts.isParameter(node)) add(node.parent, node.name, node);
      else if (ts.isFunctionDeclaration(node)) add(ts.isSourceFile(node.parent) || ts.isModuleBlock(node.parent) ? node.parent : blockScopeOf(ts, node), node.name, node);
      else if (ts.isClassDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node)) add(blockScopeOf(ts, node), node.name, node);
      else if (ts.isFunctionExpression(node) || ts.isClassExpression(node)) add(node, node.name, node);
      else if (ts.isImportSpecifier(node) || ts.isNamespaceImport(node) || ts.isImportEqualsDeclaration(node) || ts.isImportClause(node)) add(this.sourceFile, node.name, node);
      else if (ts.isCatchClause(node) && node.variableDeclaration) add(node, node.variableDeclaration.name, node.variableDeclaration);
      else if (ts.isBinaryExpression(node) && isAssignmentOperator(ts, node.operatorToken.kind)) assignTarget(node.left);
      else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) assignTarget(node.operand);
      else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) assignTarget(node.initializer as ts.Expression);
      if (ts.isCatchClause(node) && node.variableDeclaration) {
        // Already declared on the clause; walk only its block.
        stack.push(node.block);
        continue;
      }
      ts.forEachChild(node, (child) => {
        stack.push(child);
      });
    }
    this.declarations = scopes;
  }

  /** The declarations of a name in the innermost scope around `identifier` that declares it; empty when no scope of this file does. */
  private declarationsOf(identifier: ts.Identifier): readonly ts.Node[] {
    this.indexNames();
    for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
      const found = this.declarations!.get(scope)?.get(identifier.text);
      if (found) return found;
    }
    return [];
  }

  // ---- functions -----------------------------------------------------------

  /** The function whose body `node` runs in (arrow functions included), or undefined at the top level. */
  enclosingFunction(node: ts.Node): FunctionLike | undefined {
    const { ts } = this;
    for (let current = node.parent; current; current = current.parent) {
      if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current) || ts.isConstructorDeclaration(current) || ts.isGetAccessorDeclaration(current) || ts.isSetAccessorDeclaration(current)) {
        return current;
      }
      if (ts.isClassStaticBlockDeclaration(current) || ts.isPropertyDeclaration(current)) return undefined;
    }
    return undefined;
  }

  isAsync(fn: FunctionLike): boolean {
    return hasModifier(this.ts, fn, this.ts.SyntaxKind.AsyncKeyword);
  }

  /** Top-level `await` is allowed: an ES module (imports or exports, or an `.mjs`/`.mts` file). */
  isModule(): boolean {
    if (this.module === undefined) {
      const { ts, sourceFile } = this;
      this.module = /\.m[jt]s$/i.test(sourceFile.fileName) || sourceFile.statements.some((statement) =>
        ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement) ||
        (ts.canHaveModifiers(statement) && hasModifier(ts, statement, ts.SyntaxKind.ExportKeyword)));
    }
    return this.module;
  }

  /**
   * Whether the top level of this file may wait (`await`, `for await`):
   * `module` for an ES module; `commonjs` for a CommonJS file (`.cjs`,
   * `.cts`, a file TypeScript compiles as CommonJS, or a file without
   * `import`/`export` whose top level calls `require` or assigns
   * `module.exports`); `script` for a TypeScript file the compiler says is no
   * module (no `import` or `export`: TS1431); `unknown` for a `.js`/`.ts` file
   * that shows neither: Node runs it as an ES module when its package says
   * `"type": "module"` or when it detects module syntax (top-level `await`
   * counts), so nothing is certain.
   */
  moduleFormat(): ModuleFormat {
    if (this.format === undefined) this.format = this.findModuleFormat();
    return this.format;
  }

  private findModuleFormat(): ModuleFormat {
    const { ts, sourceFile } = this;
    const name = sourceFile.fileName.toLowerCase();
    if (/\.c[jt]s$/.test(name)) return 'commonjs';
    if (/\.m[jt]s$/.test(name)) return 'module';
    if (this.checker && /\.tsx?$/.test(name)) {
      // The compiler's own verdict folds in `moduleDetection` and, under node16/nodenext, the package's "type".
      if (sourceFile.impliedNodeFormat === ts.ModuleKind.CommonJS) return 'commonjs';
      return ts.isExternalModule(sourceFile) ? 'module' : 'script';
    }
    if (this.isModule() || /\bimport\s*\.\s*meta\b/.test(sourceFile.text)) return 'module';
    return sourceFile.statements.some((statement) => this.isCommonJsStatement(statement)) ? 'commonjs' : 'unknown';
  }

  /** `const x = require('x')`, `require('x');`, `module.exports = …`, `exports.x = …` as a statement of the top level. */
  private isCommonJsStatement(statement: ts.Statement): boolean {
    const { ts } = this;
    const isRequire = (expression: ts.Expression): boolean => {
      let node = skipOuter(ts, expression);
      while (ts.isPropertyAccessExpression(node)) node = skipOuter(ts, node.expression);
      return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require'
        && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0]!) && this.isUndeclared(node.expression);
    };
    const isExportsTarget = (target: ts.Expression): boolean => {
      let node = skipOuter(ts, target);
      while (ts.isPropertyAccessExpression(node) && ts.isPropertyAccessExpression(node.expression)) node = node.expression;
      if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression) || !this.isUndeclared(node.expression)) return false;
      return node.expression.text === 'exports' || (node.expression.text === 'module' && node.name.text === 'exports');
    };
    if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.some((declaration) => declaration.initializer !== undefined && isRequire(declaration.initializer));
    if (!ts.isExpressionStatement(statement)) return false;
    const expression = skipOuter(ts, statement.expression);
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) return isExportsTarget(expression.left);
    return isRequire(expression);
  }

  /** Whether `identifier` names nothing this file declares in any scope around it: a global (`fetch`, `Promise`, `require`), or a typo. */
  isUndeclared(identifier: ts.Identifier): boolean {
    return this.declarationsOf(identifier).length === 0;
  }

  /** Whether an `await` written at `node` is allowed: in an `async` function, or at the top level of an ES module (never in a class static block). */
  canAwait(node: ts.Node): boolean {
    const { ts } = this;
    for (let current = node.parent; current; current = current.parent) {
      if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current) || ts.isConstructorDeclaration(current) || ts.isGetAccessorDeclaration(current) || ts.isSetAccessorDeclaration(current)) {
        return this.isAsync(current);
      }
      if (ts.isClassStaticBlockDeclaration(current) || ts.isPropertyDeclaration(current) || ts.isModuleDeclaration(current)) return false;
    }
    return this.moduleFormat() === 'module';
  }
}

/** What the top level of a file may do; see {@link JsFacts.moduleFormat}. */
export type ModuleFormat = 'module' | 'commonjs' | 'script' | 'unknown';

/** The scope a `var` or a parameter-less hoisted declaration belongs to: the nearest function, or the file. */
function functionScopeOf(ts: TypeScript, node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isSourceFile(current) || ts.isModuleBlock(current) || ts.isClassStaticBlockDeclaration(current)) return current;
  }
  return node.getSourceFile();
}

/** The scope a `let`, `const`, class or block function belongs to: the nearest block, `for` head, function or file. */
function blockScopeOf(ts: TypeScript, node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isBlock(current) || ts.isSourceFile(current) || ts.isModuleBlock(current) || ts.isCaseBlock(current) || ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) || ts.isFunctionLike(current) || ts.isClassStaticBlockDeclaration(current)) return current;
  }
  return node.getSourceFile();
}

/** Globals the known-API table can name (`#process.stdin`). */
const GLOBALS = new Set(['process']);

export function skipOuter(ts: TypeScript, expression: ts.Expression): ts.Expression {
  let node = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
    else return node;
  }
}

export function hasModifier(ts: TypeScript, node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false);
}

export function isAsyncGeneratorFunction(ts: TypeScript, node: ts.Node): boolean {
  return isFunctionLikeValue(ts, node) && Boolean((node as ts.FunctionLikeDeclaration).asteriskToken) && hasModifier(ts, node, ts.SyntaxKind.AsyncKeyword);
}

function isFunctionLikeValue(ts: TypeScript, node: ts.Node): node is ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

function isConst(ts: TypeScript, declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}

function isAssignmentOperator(ts: TypeScript, kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** `Symbol.asyncIterator` / `Symbol.iterator` as a computed member name. */
export function wellKnownSymbolName(ts: TypeScript, name: ts.Node | undefined): 'asyncIterator' | 'iterator' | undefined {
  if (!name || !ts.isComputedPropertyName(name)) return undefined;
  const expression = name.expression;
  if (!ts.isPropertyAccessExpression(expression) || !ts.isIdentifier(expression.expression) || expression.expression.text !== 'Symbol') return undefined;
  const member = expression.name.text;
  return member === 'asyncIterator' || member === 'iterator' ? member : undefined;
}

/** `a.b.c` → the expression `a` and the members `['b', 'c']` (parentheses and type assertions skipped). */
function memberChain(ts: TypeScript, expression: ts.Expression): { root: ts.Expression; members: string[] } {
  const members: string[] = [];
  let node = skipOuter(ts, expression);
  while (ts.isPropertyAccessExpression(node)) {
    members.unshift(node.name.text);
    node = skipOuter(ts, node.expression);
  }
  return { root: node, members };
}

/** The folder of a file name, with `/` separators. */
function directoryOf(fileName: string): string {
  const normal = fileName.replace(/\\/g, '/');
  const slash = normal.lastIndexOf('/');
  return slash < 0 ? '.' : normal.slice(0, slash) || '/';
}

/** `a/b` + `../c` → `a/c`, without the file system. */
function joinPath(directory: string, relative: string): string {
  const parts = directory.replace(/\\/g, '/').split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(part);
  }
  return parts.join('/') || '/';
}

function stripScriptExtension(file: string): string {
  return file.replace(/\/+$/, '').replace(/\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/, '');
}
