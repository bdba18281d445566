import type { Severity } from './types';

export type SeveritySetting = Severity | 'off';

/** What a user can configure about the rules, whichever host reads it. */
export interface LintSettings {
  /** Codes or code prefixes to run (`AIT1`, `AIT101`); all rules when absent. */
  readonly select?: readonly string[];
  /** Codes or code prefixes never to run. */
  readonly ignore?: readonly string[];
  /** Per-rule severity by code; `off` disables the rule. */
  readonly severity?: Readonly<Record<string, SeveritySetting>>;
  /** Extra library APIs that produce async iterables (see docs/known-async-iterables.md). */
  readonly knownAsyncIterables?: readonly string[];
  /** Top-level `await`/`async for` is allowed (notebooks, `python -m asyncio`). */
  readonly topLevelAwait?: boolean;
  /** The oldest language version the project supports (Python: from `requires-python`), as [major, minor]; fixes use nothing newer. */
  readonly minimumVersion?: readonly [number, number];
}

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

export function isSeveritySetting(value: unknown): value is SeveritySetting {
  return typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value);
}

function matches(code: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => pattern.toUpperCase() === 'ALL' || code.startsWith(pattern.toUpperCase()));
}

/** The severity a rule runs at, or `off`. */
export function effectiveSeverity(rule: { readonly code: string; readonly defaultSeverity: Severity }, settings: LintSettings): SeveritySetting {
  if (settings.select && !matches(rule.code, settings.select)) return 'off';
  if (settings.ignore && matches(rule.code, settings.ignore)) return 'off';
  return settings.severity?.[rule.code] ?? rule.defaultSeverity;
}
