'use strict';
// ruff-wasm with the rules async-lens is compared with: flake8-async (ASYNC)
// and PLR1708 (stop-iteration-return).
//
// As a module: `loadRuff()` and `checkFiles(workspace, files)`.
// As a script, for the cold measurement (node start + wasm load + one pass):
//   node bench/ruff.js <file-list.txt>    (one absolute path per line)

const fs = require('node:fs');

const RUFF_SETTINGS = { lint: { select: ['ASYNC', 'PLR1708'] } };

/** Loads the wasm module (synchronously, in `require`) and makes a workspace. */
function loadRuff() {
  const ruff = require('@astral-sh/ruff-wasm-nodejs');
  return { version: ruff.Workspace.version(), workspace: new ruff.Workspace(RUFF_SETTINGS, ruff.PositionEncoding.Utf16) };
}

/** Reads and checks every file, as a linter run does; returns the diagnostics by code. */
function checkFiles(workspace, files) {
  const byCode = {};
  for (const file of files) {
    const diagnostics = workspace.check(fs.readFileSync(file, 'utf8'));
    for (const diagnostic of diagnostics) {
      const code = diagnostic.code ?? 'syntax-error';
      byCode[code] = (byCode[code] ?? 0) + 1;
    }
  }
  return byCode;
}

if (require.main === module) {
  const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
  const { workspace } = loadRuff();
  process.stdout.write(JSON.stringify(checkFiles(workspace, files)));
}

module.exports = { loadRuff, checkFiles, RUFF_SETTINGS };
