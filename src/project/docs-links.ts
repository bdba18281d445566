import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { docsPath } from '../engine/rule';

let root: string | undefined;

/** The package's root directory: above dist/ when bundled, the repository when run from the sources. */
function packageRoot(): string {
  if (root === undefined) {
    root = __dirname;
    while (!fs.existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) root = path.dirname(root);
  }
  return root;
}

/** The rule's documentation as shipped in the package (docs/rules/<CODE>.md), as a `file:` URL: what the CLI's SARIF and the ESLint plugin's rules link to. */
export function ruleDocsUri(code: string): string {
  return pathToFileURL(path.join(packageRoot(), docsPath(code))).href;
}
