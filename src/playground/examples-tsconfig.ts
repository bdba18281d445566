/*
 * The tsconfig.json of the folder where the VS Code extension writes the
 * gallery's examples (src/hosts/vscode/playground/examples.ts). It makes the
 * TypeScript examples a small Node project, so the editor checks them as tsc
 * checks Node code: Node's types (their `import … from 'node:timers/promises'`
 * resolves), no DOM, ES modules with top-level await, strict. Kept apart from
 * the extension so a unit test can check every snippet against it.
 */

import * as path from 'node:path';

/**
 * The examples' tsconfig.json: a Node project (Node's types, no DOM), ES
 * modules with top-level await, strict, as VS Code checks a loose file.
 * `types` come from the extension (its path changes with each version, so
 * the file is rewritten when it differs).
 */
export function examplesTsconfig(typesFolder: string): string {
  const config = {
    compilerOptions: {
      target: 'ES2024',
      lib: ['ES2024'],
      module: 'preserve',
      moduleResolution: 'bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      typeRoots: [typesFolder],
      types: ['node'],
      // @types/node's one dependency, shipped beside it.
      paths: { 'undici-types': [path.join(typesFolder, 'undici-types')] },
    },
    include: ['*.ts'],
  };
  return `// Written by Async Lens for the playground's examples (Node's types for the TypeScript ones).\n${JSON.stringify(config, null, 2)}\n`;
}
