// Bundles every entry of the package with esbuild: one context per entry.
// Type checking is separate (`npm run typecheck`); this only bundles.
//
//   node esbuild.js               development build (sourcemaps)
//   node esbuild.js --production  minified build
//   node esbuild.js --watch       rebuild on change, logging for a problem matcher

const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const DIST = path.join(__dirname, 'dist');

/** Files the bundles load at run time from next to themselves (`__dirname`). */
const RUNTIME_FILES = [
  'node_modules/web-tree-sitter/web-tree-sitter.wasm',
  'node_modules/tree-sitter-python/tree-sitter-python.wasm',
  // The playground's CPython tracer, run by `python3 dist/tracer.py SNIPPET`.
  'src/playground/python/tracer.py',
  // The playground's Node runtime, imported first by every instrumented JS/TS snippet.
  'src/playground/js/runtime.mjs',
  // TypeScript's compiler for the CLI, loaded only when it checks a JS/TS file
  // (bundled into cli.js, its 9 MB would slow every start by a tenth of a second).
  'node_modules/typescript/lib/typescript.js',
];

/**
 * What every bundle that runs in Node (not the webview) shares. web-tree-sitter's
 * ES module build finds its wasm through `import.meta.url`, which a CommonJS
 * bundle does not have; its CommonJS build uses `__dirname` instead.
 * @type {import('esbuild').BuildOptions}
 */
const NODE_BUNDLE = {
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
};

/**
 * One options object per shipped entry.
 * @type {{ name: string, executable?: boolean, options: import('esbuild').BuildOptions }[]}
 */
const ENTRIES = [
  {
    name: 'cli',
    executable: true,
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['src/hosts/cli/main.ts'],
      outfile: 'dist/cli.js',
      banner: { js: '#!/usr/bin/env node' },
      // dist/typescript.js, required at run time (see RUNTIME_FILES).
      external: ['typescript'],
    },
  },
  {
    // The VS Code extension's entry: cheap to load (no parser, no wasm).
    name: 'extension',
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['src/hosts/vscode/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
    },
  },
  {
    // The tsserver plugin, loaded by VS Code's (or any editor's) TypeScript server
    // through tsserver-plugin/index.js. It runs on the `typescript` tsserver hands
    // it, never a copy of its own: TypeScript stays out of the bundle.
    name: 'tsserver-plugin',
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['src/hosts/tsserver/index.ts'],
      outfile: 'dist/tsserver-plugin.js',
      external: ['typescript'],
    },
  },
  {
    // The ESLint plugin (`async-lens/eslint-plugin`). Typed, it runs on the
    // `typescript` typescript-eslint loaded; untyped, on the user's or else
    // dist/typescript.js (the CLI's copy): TypeScript stays out of the bundle.
    name: 'eslint-plugin',
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['src/hosts/eslint/index.ts'],
      outfile: 'dist/eslint-plugin.js',
      external: ['typescript'],
    },
  },
  {
    // The analysis worker process the extension starts on first use: parser, rules, projects.
    name: 'analysis-worker',
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['src/hosts/vscode/worker/main.ts'],
      outfile: 'dist/analysis-worker.js',
    },
  },
  {
    // The playground's JS/TS instrumenter (it carries TypeScript, 3 MB): a worker
    // thread started on the first JS/TS run, so the extension host never waits on it.
    name: 'transform-worker',
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['src/playground/js/transform-worker.ts'],
      outfile: 'dist/transform-worker.js',
    },
  },
  {
    // The playground's Pyodide runner (the zero-install Python), a worker thread.
    name: 'pyodide-worker',
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['src/playground/pyodide/worker.ts'],
      outfile: 'dist/pyodide-worker.js',
      // Pyodide itself is loaded at run time from dist/pyodide/ (wasm, stdlib).
      external: ['pyodide'],
    },
  },
  {
    // The playground webview's UI, bundled for the browser.
    name: 'webview',
    options: {
      entryPoints: ['src/playground/webview/main.ts'],
      outfile: 'dist/webview/playground.js',
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
    },
  },
  {
    // The end-to-end suite, run inside a real VS Code extension host (never shipped).
    name: 'e2e-suite',
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['test/e2e/suite/*.ts'],
      outdir: 'out/e2e/suite',
      external: ['vscode'],
      // mocha's parallel mode (unused here) resolves files esbuild cannot bundle.
      logOverride: { 'require-resolve-not-external': 'silent' },
    },
  },
];

/** Reports each build in the shape VS Code's `$esbuild-watch` problem matcher reads. */
function problemMatcherPlugin(name) {
  return {
    name: 'problem-matcher',
    setup(build) {
      build.onStart(() => {
        if (watch) console.log(`[watch] build started (${name})`);
      });
      build.onEnd((result) => {
        const report = (label, { text, location }) => {
          console.error(`${label} ${text}`);
          if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
        };
        for (const warning of result.warnings) report('▲ [WARNING]', warning);
        for (const error of result.errors) report('✘ [ERROR]', error);
        if (watch) console.log(`[watch] build finished (${name})`);
      });
    },
  };
}

/** Makes a bin entry runnable as `./dist/cli.js` once it is written. */
function executablePlugin(outfile) {
  return {
    name: 'executable',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length === 0 && fs.existsSync(outfile)) fs.chmodSync(outfile, 0o755);
      });
    },
  };
}

/**
 * A type package's declarations, folder by folder (RUNTIME_FOLDERS copies one
 * level): [from, to, which files] for `from` and each folder under it.
 */
function typePackage(from, to) {
  const wanted = (name) => name.endsWith('.d.ts') || name === 'package.json' || name === 'LICENSE';
  const source = path.join(__dirname, from);
  if (!fs.existsSync(source)) return [];
  const folders = fs.readdirSync(source, { recursive: true, withFileTypes: true }).filter((entry) => entry.isDirectory());
  const relative = ['', ...folders.map((entry) => path.relative(source, path.join(entry.parentPath ?? entry.path, entry.name)))];
  return relative.map((folder) => [path.join(from, folder), path.join(to, folder), wanted]);
}

/** Folders copied as they are: [from, to under dist/, which files]. */
const RUNTIME_FOLDERS = [
  // The playground's example gallery (snippets read at run time).
  ['src/playground/gallery', 'gallery', (name) => /\.(py|ts)$/.test(name) && !name.endsWith('.d.ts') && name !== 'index.ts'],
  // Pyodide, the zero-install Python: only what `loadPyodide` reads offline.
  ['node_modules/pyodide', 'pyodide', (name) => ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json', 'package.json'].includes(name)],
  // The icon font the webview's controls use.
  ['node_modules/@vscode/codicons/dist', 'webview', (name) => name === 'codicon.css' || name === 'codicon.ttf'],
  // Node's types for the playground's TypeScript examples (the tsconfig.json beside them points here), and @types/node's one dependency.
  ...typePackage('node_modules/@types/node', 'node-types/node'),
  ...typePackage('node_modules/undici-types', 'node-types/undici-types'),
  // TypeScript's lib.*.d.ts, for the CLI's programs (kept in a folder of their own rather than beside dist/typescript.js).
  ['node_modules/typescript/lib', 'typescript-lib', (name) => /^lib(\..+)?\.d\.ts$/.test(name)],
];

function copyRuntimeFiles() {
  fs.mkdirSync(DIST, { recursive: true });
  for (const file of RUNTIME_FILES) {
    fs.copyFileSync(path.join(__dirname, file), path.join(DIST, path.basename(file)));
  }
  for (const [from, to, wanted] of RUNTIME_FOLDERS) {
    const source = path.join(__dirname, from);
    if (!fs.existsSync(source)) continue;
    fs.mkdirSync(path.join(DIST, to), { recursive: true });
    for (const name of fs.readdirSync(source)) {
      if (!wanted(name)) continue;
      const target = path.join(DIST, to, name);
      const stat = fs.statSync(path.join(source, name));
      // Large files (Pyodide's wasm) are copied only when they changed.
      if (fs.existsSync(target) && fs.statSync(target).size === stat.size && fs.statSync(target).mtimeMs >= stat.mtimeMs) continue;
      fs.copyFileSync(path.join(source, name), target);
    }
  }
}

/**
 * The complete esbuild options of one entry (tests build single entries with these).
 * @returns {import('esbuild').BuildOptions}
 */
function buildOptions(entry) {
  return {
    bundle: true,
    minify: production,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'silent',
    absWorkingDir: __dirname,
    ...entry.options,
    plugins: [
      problemMatcherPlugin(entry.name),
      ...(entry.executable && entry.options.outfile ? [executablePlugin(path.join(__dirname, entry.options.outfile))] : []),
      ...(entry.options.plugins ?? []),
    ],
  };
}

async function main() {
  copyRuntimeFiles();
  const contexts = await Promise.all(ENTRIES.map((entry) => esbuild.context(buildOptions(entry))));

  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  const results = await Promise.allSettled(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
  if (results.some((result) => result.status === 'rejected')) process.exit(1);
}

module.exports = { ENTRIES, buildOptions };

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
