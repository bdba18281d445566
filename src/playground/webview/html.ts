/*
 * The playground webview's page: a strict CSP (one nonce for the script,
 * styles and fonts only from the extension's own webview folder), the
 * stylesheets and the bundle. Everything else is drawn by main.ts.
 */

export interface PlaygroundHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** Fresh for every render. */
  readonly nonce: string;
  /** `asWebviewUri` of dist/webview/playground.js, playground.css and codicon.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly codiconUri: string;
}

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function playgroundHtml(options: PlaygroundHtmlOptions): string {
  const source = options.cspSource;
  const nonce = escapeAttribute(options.nonce);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${options.nonce}'`,
    // Lit's components adopt constructed stylesheets and set inline styles.
    `style-src ${source} 'unsafe-inline'`,
    `font-src ${source}`,
    `img-src ${source} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttribute(options.codiconUri)}" nonce="${nonce}">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>Async Playground</title>
</head>
<body>
<div id="app" class="app" aria-busy="true"></div>
<script nonce="${nonce}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}
