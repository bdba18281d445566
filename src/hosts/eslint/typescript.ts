import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript';
import type { TypeScript } from '../../js/rule';

/*
 * Which `typescript` module the rules run on. With a program (typescript-eslint
 * with type information), the module that program came from: the one
 * typescript-estree loaded. Without one, the user's own TypeScript when it is
 * recent enough, else the copy the package ships for its CLI
 * (dist/typescript.js), so plain JavaScript projects need nothing installed.
 */

function tryRequire(load: () => unknown): TypeScript | undefined {
  try {
    const candidate = load() as Partial<TypeScript> | undefined;
    // typescript@7 on npm has no JS API; 4.x lacks what the frontend calls.
    const major = Number(String(candidate?.version ?? '').split('.')[0]);
    return typeof candidate?.createSourceFile === 'function' && major >= 5 ? (candidate as TypeScript) : undefined;
  } catch {
    return undefined;
  }
}

let userTypeScript: TypeScript | null | undefined;
let bundledTypeScript: TypeScript | null | undefined;

/** The user's `typescript`, resolved from this package as any of its dependencies would be. */
function user(): TypeScript | undefined {
  if (userTypeScript === undefined) userTypeScript = tryRequire(() => require('typescript')) ?? null;
  return userTypeScript ?? undefined;
}

/**
 * The `typescript` modules already loaded into this process: typescript-estree's
 * among them, whatever the layout of node_modules (hoisted, nested, pnpm).
 */
function loaded(): TypeScript[] {
  const found: TypeScript[] = [];
  for (const [id, module] of Object.entries(require.cache)) {
    if (!/[\\/]typescript[\\/]lib[\\/]typescript\.js$/.test(id)) continue;
    const candidate = tryRequire(() => module?.exports);
    if (candidate) found.push(candidate);
  }
  return found;
}

/** dist/typescript.js beside the bundle (absent when running from the sources). */
function bundled(): TypeScript | undefined {
  if (bundledTypeScript === undefined) {
    const file = path.join(__dirname, 'typescript.js');
    bundledTypeScript = (fs.existsSync(file) ? tryRequire(() => require(file)) : undefined) ?? null;
  }
  return bundledTypeScript ?? undefined;
}

/** A module whose syntax kinds are those of `sourceFile` (made by a program of some TypeScript): the same version, so the checker and the nodes agree with it. */
export function typeScriptOf(sourceFile: ts.SourceFile): TypeScript | undefined {
  const matches = (candidate: TypeScript | undefined) => candidate !== undefined && candidate.SyntaxKind.SourceFile === sourceFile.kind && candidate.SyntaxKind.EndOfFileToken === sourceFile.endOfFileToken.kind;
  if (!matches(lastMatch)) lastMatch = [...loaded(), user()].find(matches);
  return lastMatch;
}

/** The module the previous file matched: the same for every file of a run, in practice. */
let lastMatch: TypeScript | undefined;

/** The `typescript` to parse a file with when there is no program. Undefined when none can be loaded (then the rules stay silent). */
export function parsingTypeScript(): TypeScript | undefined {
  return user() ?? bundled();
}
