// A realistic subset of the colours VS Code puts on a webview's <html> as
// `--vscode-*` variables, from its Light Modern, Dark Modern and High Contrast
// themes, with the body class and theme kind it sets alongside them.

'use strict';

const FONTS = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  'editor-font-size': '14px',
};

const THEMES = {
  light: {
    kind: 'vscode-light',
    name: 'Light Modern',
    colors: {
      foreground: '#3b3b3b',
      descriptionForeground: '#3b3b3b',
      errorForeground: '#f85149',
      focusBorder: '#005fb8',
      'editor-background': '#ffffff',
      'editor-foreground': '#3b3b3b',
      'panel-border': '#e5e5e5',
      'widget-border': '#e5e5e5',
      'widget-shadow': 'rgba(0, 0, 0, 0.16)',
      'editorWidget-background': '#f8f8f8',
      'editorHoverWidget-background': '#f8f8f8',
      'editorHoverWidget-foreground': '#3b3b3b',
      'editorHoverWidget-border': '#c8c8c8',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'button-border': 'rgba(0, 0, 0, 0.1)',
      'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'button-secondaryHoverBackground': '#cccccc',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'progressBar-background': '#005fb8',
      'list-hoverBackground': '#f2f2f2',
      'textLink-foreground': '#005fb8',
      'textLink-activeForeground': '#005fb8',
      'textBlockQuote-background': '#f8f8f8',
      'textCodeBlock-background': 'rgba(220, 220, 220, 0.4)',
      'editorWarning-foreground': '#bf8803',
      'editorInfo-foreground': '#1a85ff',
      'charts-foreground': '#616161',
      'charts-lines': 'rgba(97, 97, 97, 0.5)',
      'charts-red': '#e51400',
      'charts-blue': '#1a85ff',
      'charts-yellow': '#bf8803',
      'charts-orange': '#d18616',
      'charts-green': '#388a34',
      'charts-purple': '#652d90',
    },
  },
  dark: {
    kind: 'vscode-dark',
    name: 'Dark Modern',
    colors: {
      foreground: '#cccccc',
      descriptionForeground: '#9d9d9d',
      errorForeground: '#f85149',
      focusBorder: '#0078d4',
      'editor-background': '#1f1f1f',
      'editor-foreground': '#cccccc',
      'panel-border': '#2b2b2b',
      'widget-border': '#313131',
      'widget-shadow': 'rgba(0, 0, 0, 0.36)',
      'editorWidget-background': '#202020',
      'editorHoverWidget-background': '#202020',
      'editorHoverWidget-foreground': '#cccccc',
      'editorHoverWidget-border': '#454545',
      'button-background': '#0078d4',
      'button-foreground': '#ffffff',
      'button-border': 'rgba(255, 255, 255, 0.07)',
      'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'button-secondaryHoverBackground': '#3c3c3c',
      'badge-background': '#616161',
      'badge-foreground': '#f8f8f8',
      'progressBar-background': '#0078d4',
      'list-hoverBackground': '#2a2d2e',
      'textLink-foreground': '#4daafc',
      'textLink-activeForeground': '#4daafc',
      'textBlockQuote-background': '#2b2b2b',
      'textCodeBlock-background': '#2b2b2b',
      'editorWarning-foreground': '#cca700',
      'editorInfo-foreground': '#3794ff',
      'charts-foreground': '#cccccc',
      'charts-lines': 'rgba(204, 204, 204, 0.5)',
      'charts-red': '#f14c4c',
      'charts-blue': '#3794ff',
      'charts-yellow': '#cca700',
      'charts-orange': '#d18616',
      'charts-green': '#89d185',
      'charts-purple': '#b180d7',
    },
  },
  'high-contrast': {
    kind: 'vscode-high-contrast',
    name: 'Dark High Contrast',
    colors: {
      foreground: '#ffffff',
      descriptionForeground: 'rgba(255, 255, 255, 0.7)',
      errorForeground: '#f48771',
      focusBorder: '#f38518',
      contrastBorder: '#6fc3df',
      contrastActiveBorder: '#f38518',
      'editor-background': '#000000',
      'editor-foreground': '#ffffff',
      'panel-border': '#6fc3df',
      'widget-border': '#6fc3df',
      'editorWidget-background': '#0c141f',
      'editorHoverWidget-background': '#0c141f',
      'editorHoverWidget-foreground': '#ffffff',
      'editorHoverWidget-border': '#6fc3df',
      'button-background': '#000000',
      'button-foreground': '#ffffff',
      'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000',
      'button-secondaryForeground': '#ffffff',
      'badge-background': '#000000',
      'badge-foreground': '#ffffff',
      'progressBar-background': '#6fc3df',
      'textLink-foreground': '#21a6ff',
      'textLink-activeForeground': '#21a6ff',
      'textBlockQuote-background': '#000000',
      'textCodeBlock-background': '#000000',
      'editorWarning-foreground': '#ffd370',
      'editorInfo-foreground': '#3794ff',
      'charts-foreground': '#ffffff',
      'charts-lines': 'rgba(255, 255, 255, 0.5)',
      'charts-red': '#f14c4c',
      'charts-blue': '#3794ff',
      'charts-yellow': '#ffd370',
      'charts-orange': '#d18616',
      'charts-green': '#89d185',
      'charts-purple': '#b180d7',
    },
  },
};

/** The page script that applies a theme the way VS Code does (variables on <html>, class and kind on <body>). */
function applyTheme(name) {
  const theme = THEMES[name];
  if (!theme) throw new Error(`unknown theme ${name}`);
  const variables = { ...FONTS, ...theme.colors };
  return { kind: theme.kind, name: theme.name, variables: Object.fromEntries(Object.entries(variables).map(([key, value]) => [`--vscode-${key}`, value])) };
}

/** Runs in the page. */
function setThemeInPage({ kind, name, variables }) {
  const root = document.documentElement;
  root.setAttribute('style', Object.entries(variables).map(([key, value]) => `${key}: ${value};`).join(' '));
  document.body.className = kind;
  document.body.dataset.vscodeThemeKind = kind;
  document.body.dataset.vscodeThemeName = name;
}

module.exports = { THEMES, applyTheme, setThemeInPage };
