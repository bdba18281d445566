import type { LineIndex } from '../engine/text';

/** `// async-lens-ignore`, `// async-lens-ignore AIT101, AIT104`, also as a block comment. */
const IGNORE = /\/[/*]\s*async-lens-ignore\b(?::?[ \t]*((?:AIT\d+[\s,]*)+))?/gi;
/** `// eslint-disable-next-line async-lens/<name>, other/rule` (and `eslint-disable-line`). */
const ESLINT = /\/[/*]\s*eslint-disable-(next-)?line\b([^\n*]*)/g;

export interface SuppressedRule {
  readonly code: string;
  readonly name: string;
}

function ignoreCodesOn(text: string): 'all' | Set<string> | undefined {
  let codes: Set<string> | undefined;
  for (const match of text.matchAll(IGNORE)) {
    if (!match[1]) return 'all';
    codes ??= new Set();
    for (const code of match[1].toUpperCase().split(/[\s,]+/)) if (code) codes.add(code);
  }
  return codes;
}

function eslintDisables(text: string, nextLine: boolean, rule: SuppressedRule): boolean {
  for (const match of text.matchAll(ESLINT)) {
    if (Boolean(match[1]) !== nextLine) continue;
    const list = match[2]!.split('--')[0]!.trim();
    if (!list) return true;
    if (list.split(',').some((entry) => entry.trim() === `async-lens/${rule.name}`)) return true;
  }
  return false;
}

/**
 * Whether a finding of `rule` starting on `line` (0-based) is suppressed by
 * `// async-lens-ignore [CODES]` at the end of that line or on the line
 * above, or by ESLint's `// eslint-disable-next-line async-lens/<name>` /
 * `// eslint-disable-line` (so one comment serves every host), unless
 * `eslintComments` is false: inside ESLint, ESLint applies its own comments
 * (and calls one that suppresses nothing unused).
 */
export function isSuppressed(lines: LineIndex, line: number, rule: SuppressedRule, eslintComments = true): boolean {
  const own = lines.lineText(line);
  const above = line > 0 ? lines.lineText(line - 1) : '';
  for (const text of [own, above]) {
    if (!text.includes('async-lens-ignore')) continue;
    const codes = ignoreCodesOn(text);
    if (codes === 'all' || codes?.has(rule.code)) return true;
  }
  if (!eslintComments) return false;
  if (own.includes('eslint-disable-line') && eslintDisables(own, false, rule)) return true;
  if (above.includes('eslint-disable-next-line') && eslintDisables(above, true, rule)) return true;
  return false;
}
