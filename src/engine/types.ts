/**
 * The engine's vocabulary. Positions are offsets into the source string in
 * UTF-16 code units (what JavaScript strings, VS Code and LSP count); hosts
 * convert them to lines and columns through `LineIndex`.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Language = 'python' | 'javascript';
export type FixSafety = 'safe' | 'unsafe';

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export interface TextEdit {
  readonly range: TextRange;
  readonly newText: string;
}

export interface Fix {
  /** Imperative: "Use `async for`". */
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly safety: FixSafety;
}

export interface Finding {
  readonly code: string;
  readonly name: string;
  /** The narrowest range that shows the problem (loop head, call, method name). */
  readonly range: TextRange;
  /** States the problem. */
  readonly message: string;
  readonly severity: Severity;
  readonly fixes: readonly Fix[];
  /** Which of the rule's messages, with the values that filled it (hosts with message templates of their own, as ESLint, use them). */
  readonly messageId?: string;
  readonly data?: Readonly<Record<string, string | number>>;
}

/** A rule that threw on one file: reported, skipped, and the others still run. */
export interface InternalError {
  readonly code: string;
  readonly message: string;
}

/** Where a file stops being valid code, said the way a user fixes it. */
export interface SyntaxProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  readonly message: string;
  /** The file could not be parsed at all (too deep, too broken, too large): no rule ran on it. */
  readonly notAnalysed?: boolean;
}

/** What one analysis of one file gives. */
export interface AnalysisResult {
  readonly findings: Finding[];
  /** Rules that threw on this file; they were skipped, the others ran. */
  readonly errors: InternalError[];
  /** The first syntax error, when the file has one: the rules saw the rest of the file, not that part (or nothing, when `notAnalysed`). */
  readonly syntaxError?: SyntaxProblem;
}
