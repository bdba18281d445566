import type { LintSettings } from '../engine/config';
import type { RuleMeta, MessageData } from '../engine/rule';
import type { Handlers, RuleImplementation } from '../engine/runner';
import type { Fix, FixSafety, Severity, TextEdit, TextRange } from '../engine/types';
import type { PythonFacts } from './semantic/facts';
import type { Node } from './parser';

export interface PythonReport<MessageId extends string> {
  /** A node or a range; use the narrowest one that shows the problem. */
  readonly at: Node | TextRange;
  readonly messageId: MessageId;
  readonly data?: MessageData;
  readonly fixes?: readonly Fix[];
  /**
   * This finding's severity when it is less sure or less serious than the
   * rule's usual case (AIT205 at `hint` when nothing visibly iterates the
   * class). It can only lower the configured severity, never raise it.
   */
  readonly severity?: Severity;
}

export interface PythonRuleContext<MessageId extends string = string, FixId extends string = string> {
  readonly source: string;
  readonly facts: PythonFacts;
  readonly settings: LintSettings;
  report(report: PythonReport<MessageId>): void;
  /** A fix titled from the rule's `meta.fix.titles`. Edits insert `\n` line breaks; the engine adapts them to the file. */
  fix(titleId: FixId, safety: FixSafety, edits: readonly TextEdit[], data?: MessageData): Fix;
}

export type PythonRule = RuleImplementation<PythonRuleContext, Node>;

export interface PythonRuleDefinition<MessageId extends string, FixId extends string> {
  readonly meta: RuleMeta<MessageId, FixId> & { readonly language: 'python' };
  create(context: PythonRuleContext<MessageId, FixId>): Handlers<Node>;
}

/** A Python rule: its metadata, checked by the compiler against the ids its code uses, and its handlers. */
export function definePythonRule<MessageId extends string, FixId extends string = never>(definition: PythonRuleDefinition<MessageId, FixId>): PythonRule {
  return definition as unknown as PythonRule;
}

export function rangeOf(node: Node): TextRange {
  return { start: node.startIndex, end: node.endIndex };
}
