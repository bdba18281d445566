import type { FixSafety, Language, Severity } from './types';

/** Whether a rule's findings come with a fix: on every finding, on some, or never (ruff's `FixAvailability`). */
export type FixAvailability = 'always' | 'sometimes' | 'never';

/**
 * Everything about a rule that is not its logic, declared once in the rule's
 * own file (typescript-eslint's `createRule({ meta })`, ruff's `Violation`).
 * The registry and every host read it from there.
 */
export interface RuleMeta<MessageId extends string = string, FixId extends string = string> {
  /** Stable: `AIT101`. */
  readonly code: string;
  /** Names the misuse, not the fix: `sync-iteration-over-async-iterable`. */
  readonly name: string;
  /** The frontend this implementation belongs to (a code may be implemented by several). */
  readonly language: Language;
  readonly defaultSeverity: Severity;
  /** One line, shown in listings and hovers. */
  readonly summary: string;
  /** Templates of the messages a finding can carry, by id; `{{name}}` takes `data.name`. Each states the problem. */
  readonly messages: Readonly<Record<MessageId, string>>;
  readonly fix: {
    readonly availability: FixAvailability;
    /** The safeties a fix of this rule can have (empty when the availability is `never`). */
    readonly safety: readonly FixSafety[];
    /** Imperative fix titles by id, templated like messages: "Use `async for`". */
    readonly titles: Readonly<Record<FixId, string>>;
  };
}

export type MessageData = Readonly<Record<string, string | number>>;

/** Fills `{{name}}` placeholders; a placeholder without data is a bug in the rule, so it throws. */
export function formatMessage(template: string, data: MessageData = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`no value for {{${key}}} in "${template}"`);
    return String(value);
  });
}

/** Where a rule's documentation lives, relative to the package root: one page per code, a section per language. */
export function docsPath(code: string): string {
  return `docs/rules/${code}.md`;
}
