// Packages the extension with @vscode/vsce from the allow-list in
// .vscodeignore (no dependencies: everything shipped is bundled in dist/).
// One place for the flags, used by `npm run package`, `npm start` and the
// UI check.
//
//   node scripts/package-vsix.js [OUT]   default: async-lens.vsix; prints what is inside and the size

'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
// No public repository yet: relative README links stay as they are.
const FLAGS = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];

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

module.exports = { packageVsix };

if (require.main === module) {
  try {
    packageVsix(path.resolve(process.argv[2] ?? path.join(ROOT, 'async-lens.vsix')), { quiet: false });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
