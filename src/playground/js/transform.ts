/*
 * Instruments a JavaScript/TypeScript snippet for the playground: every
 * `for await (… of X)` becomes `for await (… of __asyncLensTrace__(X, id, task))`,
 * announced by a `__asyncLensLoop__(id, line, col, task)` statement at the top of
 * the module. The task is the name of the enclosing function (JS has no task
 * names). Output is an ES module (top-level `await` works) that imports the
 * runtime first; line numbers are the snippet's own where TypeScript keeps
 * them (type-only lines are blanked, not removed, by keeping the source map).
 */

import ts from 'typescript';

export interface TransformedSnippet {
  readonly code: string;
  readonly loops: readonly { readonly loop: number; readonly line: number; readonly col: number; readonly task: string }[];
  /** For each line of `code` (index = line - 1), the snippet's line it came from (1-based), or 0. */
  readonly lineMap: readonly number[];
  /** Syntax errors TypeScript reported, 1-based lines. */
  readonly diagnostics: readonly { readonly line: number; readonly message: string }[];
}

export function transformSnippet(source: string, runtimeUrl: string, fileName = 'snippet.ts'): TransformedSnippet {
  const loops: { loop: number; line: number; col: number; task: string }[] = [];
  const transformer: ts.TransformerFactory<ts.SourceFile> = (context) => (file) => {
    const visit = (node: ts.Node, task: string): ts.Node => {
      let inner = task;
      if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.name) inner = node.name.getText(file);
      else if (ts.isArrowFunction(node) && ts.isVariableDeclaration(node.parent)) inner = node.parent.name.getText(file);
      if (ts.isForOfStatement(node) && node.awaitModifier) {
        const loop = loops.length + 1;
        const position = file.getLineAndCharacterOfPosition(node.getStart(file));
        loops.push({ loop, line: position.line + 1, col: position.character, task: inner });
        const wrapped = context.factory.createCallExpression(context.factory.createIdentifier('__asyncLensTrace__'), undefined, [
          ts.visitNode(node.expression, (child) => visit(child, inner)) as ts.Expression,
          context.factory.createNumericLiteral(loop),
          context.factory.createStringLiteral(inner),
        ]);
        return context.factory.updateForOfStatement(
          node,
          node.awaitModifier,
          ts.visitNode(node.initializer, (child) => visit(child, inner)) as ts.ForInitializer,
          wrapped,
          ts.visitNode(node.statement, (child) => visit(child, inner)) as ts.Statement,
        );
      }
      return ts.visitEachChild(node, (child) => visit(child, inner), context);
    };
    return ts.visitNode(file, (node) => visit(node, '<module>')) as ts.SourceFile;
  };
  const output = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false, sourceMap: true },
    transformers: { before: [transformer] },
  });
  const announce = loops.map(({ loop, line, col, task }) => `__asyncLensLoop__(${loop}, ${line}, ${col}, ${JSON.stringify(task)});`).join(' ');
  // The runtime import and the loop announcements share the first line with the snippet, so its line numbers stay.
  const body = output.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, '');
  const code = `import ${JSON.stringify(runtimeUrl)}; ${announce} ${body}`;
  const diagnostics = (output.diagnostics ?? []).map((diagnostic) => ({
    line: diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : 0,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  }));
  return { code, loops, diagnostics, lineMap: output.sourceMapText ? lineMapOf(output.sourceMapText) : [] };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The original line of the first mapping on each generated line, from a source map's VLQ `mappings`. */
function lineMapOf(sourceMapText: string): number[] {
  const mappings = (JSON.parse(sourceMapText) as { mappings: string }).mappings;
  const lines: number[] = [];
  let originalLine = 0;
  for (const generated of mappings.split(';')) {
    let first = 0;
    for (const segment of generated.split(',')) {
      if (!segment) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const character of segment) {
        const digit = BASE64.indexOf(character);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      if (fields.length >= 4) {
        originalLine += fields[2]!;
        if (first === 0) first = originalLine + 1;
      }
    }
    lines.push(first);
  }
  return lines;
}

/** 0-based lines where a JS/TS source iterates asynchronously: `for await` loops and async generator functions (the playground's code lens). */
export function runnableLinesOf(source: string, fileName: string): number[] {
  const kind = /\.[cm]?tsx?$/.test(fileName) ? (fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS) : fileName.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const lines = new Set<number>();
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line;
  const visit = (node: ts.Node): void => {
    if (ts.isForOfStatement(node) && node.awaitModifier) lines.add(lineOf(node));
    else if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken && node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword)) {
      lines.add(lineOf(node.name ?? node));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...lines].sort((a, b) => a - b);
}
