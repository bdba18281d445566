import type { LintSettings } from '../engine/config';
import type { RuleImplementation } from '../engine/runner';
import type { Fix, TextRange } from '../engine/types';
import type { PythonFacts } from './facts';
import type { Node } from './parser';

export interface PythonReport {
  /** A node or a range; use the narrowest one that shows the problem. */
  readonly at: Node | TextRange;
  readonly message: string;
  readonly fixes?: readonly Fix[];
}

export interface PythonRuleContext {
  readonly source: string;
  readonly facts: PythonFacts;
  readonly settings: LintSettings;
  report(report: PythonReport): void;
}

export type PythonRule = RuleImplementation<PythonRuleContext, Node>;

export function rangeOf(node: Node): TextRange {
  return { start: node.startIndex, end: node.endIndex };
}
