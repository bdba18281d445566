import * as vscode from 'vscode';

/** The selector every suspension-point token matches (syntaxes/README.md). */
const SCOPE = 'keyword.control.suspension';
const SETTING = 'suspensionPoints.highlight';

type Rule = { scope?: unknown; settings?: { fontStyle?: unknown } };

/**
 * `asyncLens.suspensionPoints.highlight`. The underline comes from this
 * extension's default for `editor.tokenColorCustomizations` (`"[*]"`, every
 * theme); a default cannot be switched by another setting, so turning the
 * highlight off adds one rule to the user's own `"[*]"` block that clears the
 * font style, and turning it on again removes exactly that rule. Nothing is
 * written unless the user changes this setting.
 */
export function watchSuspensionStyle(log: vscode.LogOutputChannel): vscode.Disposable {
  // The setting may have changed while the extension was not running (it activates on Python, JS and TS files).
  void apply(log);
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(`asyncLens.${SETTING}`)) void apply(log);
  });
}

function isOurs(rule: Rule): boolean {
  return rule.scope === SCOPE && rule.settings?.fontStyle === '';
}

async function apply(log: vscode.LogOutputChannel): Promise<void> {
  const highlight = vscode.workspace.getConfiguration('asyncLens').get<unknown>(SETTING, true) !== false;
  const editor = vscode.workspace.getConfiguration('editor');
  const current = editor.inspect<Record<string, unknown>>('tokenColorCustomizations')?.globalValue;
  const all = typeof current === 'object' && current !== null ? { ...current } : {};
  const block = typeof all['[*]'] === 'object' && all['[*]'] !== null ? { ...(all['[*]'] as Record<string, unknown>) } : {};
  const rules = (Array.isArray(block.textMateRules) ? block.textMateRules : []) as Rule[];
  const others = rules.filter((rule) => !isOurs(rule));
  const next = highlight ? others : [...others, { scope: SCOPE, settings: { fontStyle: '' } }];
  if (next.length === rules.length && next.every((rule, index) => rule === rules[index])) return;
  if (next.length > 0) block.textMateRules = next;
  else delete block.textMateRules;
  if (Object.keys(block).length > 0) all['[*]'] = block;
  else delete all['[*]'];
  await editor.update('tokenColorCustomizations', Object.keys(all).length > 0 ? all : undefined, vscode.ConfigurationTarget.Global);
  log.info(`suspension points ${highlight ? 'underlined again' : 'no longer underlined'} (editor.tokenColorCustomizations in user settings)`);
}
