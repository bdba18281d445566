import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/*
 * No dead exports: every name a module under src/ exports is imported by
 * another module (of src/ or of the tests). An export only its own file uses
 * should not be exported; one nobody uses should not exist. Read with the
 * TypeScript parser alone (no type checking), so it takes a second.
 */

const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/** What the bundles' hosts call: esbuild entries export these for VS Code, Node or the webview page. */
const ENTRY_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  'src/hosts/vscode/extension.ts': ['activate', 'deactivate'],
};

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|mts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * The names a module exports itself. A type that the module's own code
 * names (in a signature, say) is part of that code's contract and may stay
 * exported; a value must be used elsewhere.
 */
function exportedNames(source: ts.SourceFile): string[] {
  const names: string[] = [];
  const mentioned = (name: string) => (source.text.match(new RegExp(`\\b${name}\\b`, 'g')) ?? []).length > 1;
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (!statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) names.push(element.name.text);
      }
      continue;
    }
    if (!hasExportModifier(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      names.push(statement.name.text);
    } else if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && !mentioned(statement.name.text)) {
      names.push(statement.name.text);
    }
  }
  return names;
}

function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, `${base}.mts`, path.join(base, 'index.ts'), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

describe('exports', () => {
  it('every export of src/ is imported somewhere else', () => {
    const files = [...sourceFiles(SRC), ...sourceFiles(path.join(ROOT, 'test')), ...sourceFiles(path.join(ROOT, 'bench'))];
    const used = new Map<string, Set<string>>();
    const use = (file: string, name: string) => {
      let names = used.get(file);
      if (!names) used.set(file, (names = new Set()));
      names.add(name);
    };
    for (const file of files) {
      const source = parse(file);
      const visit = (node: ts.Node): void => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
          const target = resolveModule(file, node.moduleSpecifier.text);
          if (target) {
            const clause = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
            if (!clause || ts.isNamespaceImport(clause) || ts.isNamespaceExport(clause)) use(target, '*');
            else for (const element of clause.elements) use(target, (element.propertyName ?? element.name).text);
            if (ts.isImportDeclaration(node) && node.importClause?.name) use(target, 'default');
          }
        }
        // `const { a, b } = require('../../src/x.ts')` in the JavaScript harness.
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
          const target = resolveModule(file, node.arguments[0].text.replace(/\.ts$/, ''));
          if (target) {
            const declaration = node.parent;
            if (ts.isVariableDeclaration(declaration) && ts.isObjectBindingPattern(declaration.name)) {
              for (const element of declaration.name.elements) use(target, (element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName : element.name as ts.Identifier).text);
            } else use(target, '*');
          }
        }
        // `await import('./x')`, `import('./x').Type` in type positions.
        if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
          const target = resolveModule(file, node.arguments[0].text);
          if (target) use(target, '*');
        }
        if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
          const target = resolveModule(file, node.argument.literal.text);
          if (target) use(target, node.qualifier && ts.isIdentifier(node.qualifier) ? node.qualifier.text : '*');
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    const unused: string[] = [];
    for (const file of sourceFiles(SRC).filter((name) => !name.endsWith('.js'))) {
      const relative = path.relative(ROOT, file).split(path.sep).join('/');
      const names = used.get(file);
      if (names?.has('*')) continue;
      for (const name of exportedNames(parse(file))) {
        if (!names?.has(name) && !ENTRY_EXPORTS[relative]?.includes(name)) unused.push(`${relative}: ${name}`);
      }
    }
    assert.deepEqual(unused, [], 'exports nothing imports: stop exporting them, or delete them');
  });
});
