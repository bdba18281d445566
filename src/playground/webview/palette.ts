/// <reference lib="dom" />
/*
 * The canvas's colours, read from VS Code's theme variables (`--vscode-*`)
 * and read again whenever the theme changes.
 */

export interface Palette {
  readonly foreground: string;
  readonly muted: string;
  readonly background: string;
  readonly grid: string;
  readonly lanes: readonly string[];
  readonly error: string;
  readonly warning: string;
  readonly focus: string;
  /** High contrast: outlines instead of soft fills. */
  readonly contrast: string | undefined;
  readonly font: string;
  readonly monoFont: string;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const foreground = read('--vscode-editor-foreground', read('--vscode-foreground', '#cccccc'));
  const contrast = style.getPropertyValue('--vscode-contrastBorder').trim() || undefined;
  const highContrast = document.body.classList.contains('vscode-high-contrast') || (document.body.dataset.vscodeThemeKind ?? '').startsWith('vscode-high-contrast');
  return {
    foreground,
    muted: read('--vscode-descriptionForeground', foreground),
    background: read('--vscode-editor-background', '#1e1e1e'),
    grid: read('--vscode-charts-lines', read('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    lanes: (
      [
        ['--vscode-charts-blue', '#3794ff'],
        ['--vscode-charts-orange', '#d18616'],
        ['--vscode-charts-green', '#89d185'],
        ['--vscode-charts-purple', '#b180d7'],
        ['--vscode-charts-yellow', '#cca700'],
      ] as const
    ).map(([name, fallback]) => opaque(read(name, fallback), fallback)),
    error: read('--vscode-errorForeground', read('--vscode-charts-red', '#f14c4c')),
    warning: read('--vscode-editorWarning-foreground', read('--vscode-charts-yellow', '#cca700')),
    focus: read('--vscode-focusBorder', '#0078d4'),
    contrast: highContrast ? (contrast ?? foreground) : undefined,
    font: `${read('--vscode-font-family', 'system-ui, sans-serif')}`,
    monoFont: `${read('--vscode-editor-font-family', 'monospace')}`,
  };
}

/**
 * A theme's chart colour as the lanes can use it: some themes give chart
 * colours with an alpha (meant for fills), which on the canvas and in the
 * lane borders comes out as a muddy shade of the background. The colour is
 * normalised by the canvas itself and any alpha dropped.
 */
function opaque(color: string, fallback: string): string {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return fallback;
  context.fillStyle = fallback;
  context.fillStyle = color;
  const normalised = context.fillStyle;
  const rgba = /^rgba\((\d+),\s*(\d+),\s*(\d+),\s*[\d.]+\)$/.exec(normalised);
  return rgba ? `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})` : normalised;
}

/** Calls `changed` when VS Code switches the theme (body class, theme kind, or the variables on <html>). */
export function watchTheme(changed: () => void): void {
  const observer = new MutationObserver(changed);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
