// esbuild bundles the stylesheets main.ts imports into dist/webview/playground.css.
declare module '*.css';
