import type * as ts from 'typescript';
import type { LintSettings } from '../engine/config';
import type { MessageData, RuleMeta } from '../engine/rule';
import type { Handlers, RuleImplementation } from '../engine/runner';
import type { Fix, FixSafety, Severity, TextEdit, TextRange } from '../engine/types';
import type { JsFacts } from './facts';

/** The `typescript` module a host hands the frontend: tsserver's own inside the plugin, never an import of ours. */
export type TypeScript = typeof ts;

export interface JsReport<MessageId extends string> {
  /** A node or a range; use the narrowest one that shows the problem. */
  readonly at: ts.Node | TextRange;
  readonly messageId: MessageId;
  readonly data?: MessageData;
  readonly fixes?: readonly Fix[];
  /** Lowers the configured severity for a less sure case; never raises it. */
  readonly severity?: Severity;
}

export interface JsRuleContext<MessageId extends string = string, FixId extends string = string> {
  readonly ts: TypeScript;
  readonly sourceFile: ts.SourceFile;
  readonly source: string;
  /** Present when a program with type information is available (tsserver, a `tsconfig.json`). */
  readonly checker: ts.TypeChecker | undefined;
  readonly facts: JsFacts;
  readonly settings: LintSettings;
  report(report: JsReport<MessageId>): void;
  /** A fix titled from the rule's `meta.fix.titles`. Edits insert `\n` line breaks; the engine adapts them to the file. */
  fix(titleId: FixId, safety: FixSafety, edits: readonly TextEdit[], data?: MessageData): Fix;
}

/**
 * Handlers are keyed by `ts.SyntaxKind` *names* (`ForOfStatement`): the
 * numbers differ between TypeScript versions, and inside tsserver the rules
 * run on whichever version the workspace uses.
 */
export type JsHandlers = Handlers<ts.Node>;

export type JsRule = RuleImplementation<JsRuleContext, ts.Node> & {
  /** Compiler diagnostics that report the same problem (TS2488…): a host showing those adds the rule's fix to them instead of a second squiggle. */
  readonly compilerCodes?: readonly number[];
};

export interface JsRuleDefinition<MessageId extends string, FixId extends string> {
  readonly meta: RuleMeta<MessageId, FixId> & { readonly language: 'javascript' };
  readonly compilerCodes?: readonly number[];
  create(context: JsRuleContext<MessageId, FixId>): JsHandlers;
}

/** A JavaScript/TypeScript rule: its metadata, checked by the compiler against the ids its code uses, and its handlers. */
export function defineJsRule<MessageId extends string, FixId extends string = never>(definition: JsRuleDefinition<MessageId, FixId>): JsRule {
  return definition as unknown as JsRule;
}
