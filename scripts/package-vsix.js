// Packages the extension with @vscode/vsce from the allow-list in
// .vscodeignore. Everything that runs is bundled in dist/; the one production
// dependency, async-lens-tsserver-plugin (`file:tsserver-plugin`), is the
// package VS Code's TypeScript server loads the plugin by, so it must sit at
// node_modules/async-lens-tsserver-plugin/ in the .vsix: vsce adds what
// `npm list --production` names, and .vscodeignore admits that package's two
// files. `npm ci` installs it as a symbolic link, which vsce only enters when
// told to follow links.
// One place for the flags, used by `npm run package`, `npm start` and the
// UI check.
//
//   node scripts/package-vsix.js [OUT]   default: async-lens.vsix; prints what is inside and the size

'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** What decides which files ship (`vsce ls` takes these too). */
const FILE_FLAGS = ['--follow-symlinks'];
// No public repository yet: relative README links stay as they are.
const FLAGS = [...FILE_FLAGS, '--allow-missing-repository', '--no-rewrite-relative-links'];

/**
 * Writes the .vsix to `out`; returns vsce's output. Throws with the end of
 * that output when packaging fails.
 */
function packageVsix(out, { quiet = true } = {}) {
  const vsce = require.resolve('@vscode/vsce/vsce');
  fs.rmSync(out, { force: true });
  const result = spawnSync(process.execPath, [vsce, 'package', ...FLAGS, '--out', out], { cwd: ROOT, encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0 || !fs.existsSync(out)) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`vsce package failed:\n${output}`);
  }
  return `${result.stdout ?? ''}`;
}

/** The files the .vsix would hold, as vsce lists them without packaging. */
function listVsixFiles() {
  const vsce = require.resolve('@vscode/vsce/vsce');
  const result = spawnSync(process.execPath, [vsce, 'ls', ...FILE_FLAGS], { cwd: ROOT, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`vsce ls failed:\n${`${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n')}`);
  return result.stdout.split(/\r?\n/).filter((line) => line.length > 0);
}

module.exports = { packageVsix, listVsixFiles };

if (require.main === module) {
  try {
    packageVsix(path.resolve(process.argv[2] ?? path.join(ROOT, 'async-lens.vsix')), { quiet: false });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
