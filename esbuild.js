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
 * One options object per shipped entry. Later entries (the VS Code extension,
 * the tsserver plugin, the ESLint plugin, the webview) are added here.
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
    // The analysis worker thread the extension starts on first use: parser, rules, resolver.
    name: 'analysis-worker',
    options: {
      ...NODE_BUNDLE,
      entryPoints: ['src/hosts/vscode/worker/main.ts'],
      outfile: 'dist/analysis-worker.js',
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

function copyRuntimeFiles() {
  fs.mkdirSync(DIST, { recursive: true });
  for (const file of RUNTIME_FILES) {
    fs.copyFileSync(path.join(__dirname, file), path.join(DIST, path.basename(file)));
  }
}

async function main() {
  copyRuntimeFiles();
  const contexts = await Promise.all(ENTRIES.map((entry) => esbuild.context({
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
  })));

  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  const results = await Promise.allSettled(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
  if (results.some((result) => result.status === 'rejected')) process.exit(1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
