/**
 * Bounded parsing of Python source with web-tree-sitter (0.27.x) and
 * tree-sitter-python (0.25.x): every input either parses in time and memory
 * roughly linear in its size, or is refused with a line number and a reason,
 * before anything quadratic or fatal can happen.
 *
 * Why each guard exists (measured, see /tmp/parse-investigation/REPORT.md):
 *
 * 1. Query captures are quadratic on ERROR nodes holding a long run of
 *    anonymous tokens (`x = [[[[…`, `((((…`, `* * * …`, `not not …`, `- - -…`):
 *    tree-sitter's ts_tree_cursor_current_status, called for every node the
 *    query cursor visits, scans the following siblings for a *named* one.
 *    The parse itself is linear; the scope query and the rules' query are not
 *    (40k `[`: 3.4 s each, 100k: ~22 s each).
 *    → `errorRunWork` measures Σ run² over the error part of the tree and
 *      refuses the file when it is large; the bracket limit (200, CPython's
 *      own "too many nested parentheses") catches the common case before
 *      parsing, with CPython's message.
 * 2. tree-sitter-python's external scanner is quadratic in
 *    a) consecutive backslash-continued lines (8k lines: 2 s; 32k: ~30 s);
 *       → `maxContinuationRun` (CPython has no limit; the stdlib's longest
 *         run is 80 lines);
 *    b) runs of comment lines (it looks ahead past all following comment
 *       lines for the next indentation at every comment: 1,000 60-char comment
 *       lines 0.7 s, 4,000 lines 10.6 s). Legitimate code does this
 *       (commented-out blocks), so such files are not refused: their comments
 *       are replaced by spaces for the parser (offsets, lines and columns are
 *       unchanged; no rule reads comments from the tree: `# noqa` is read
 *       from the text, and `node.text` of a node spanning a comment shows
 *       spaces there).
 * 3. The wasm heap cannot grow past 2 GB (web-tree-sitter's memory maximum is
 *    32768 pages); parsing takes 12–55 MB of heap per MB of ordinary code and
 *    up to ~190 MB per MB of dense code (≈70–260 bytes per token). Past 2 GB
 *    the runtime calls abort(): it prints "Aborted()" on stderr and throws a
 *    `WebAssembly.RuntimeError` (catchable; the process lives on). After an
 *    abort inside `parse` the heap stays full of the half-built parse, and
 *    every later call — `parse`, `reset()`, even `new Parser()` — aborts
 *    again; after an abort inside a query, deleting the tree may let later
 *    parses work. Either way, treat the instance as dead.
 *    → a token ceiling before parsing, and (if the host passes
 *    `heapWatch.moduleOptions` to `Parser.init`) a heap watch during parsing
 *    that cancels the parse (which frees its memory) before the limit.
 * 4. Anything else slow in the parser (error recovery on odd input) →
 *    a progress-callback budget proportional to the input size.
 */
import { performance } from 'node:perf_hooks';
import type { Node, Parser, Tree, TreeCursor } from 'web-tree-sitter';

interface ParseLimits {
  /** Hard ceiling on UTF-16 code units (the setting `max-file-size` usually refuses earlier). */
  readonly maxChars: number;
  /** Tokens as the pre-scan counts them; bounds the wasm heap (≤ ~260 B/token measured). */
  readonly maxTokens: number;
  /** CPython refuses more than 200 nested brackets ("too many nested parentheses"). */
  readonly maxBracketDepth: number;
  /** CPython refuses the 100th indentation level ("too many levels of indentation"). */
  readonly maxIndentLevels: number;
  /** Physical lines joined by backslashes into one logical line. */
  readonly maxContinuationRun: number;
  /**
   * Above this estimate of the scanner's comment look-ahead work (characters),
   * comments are blanked before parsing. ~20 ns per unit: 5M ≈ 0.1 s (stdlib max 2.2M).
   */
  readonly commentWorkBlankThreshold: number;
  /** Σ (run length)² of anonymous children in the error part of the tree; ~4 ns per unit per query. */
  readonly maxErrorRunWork: number;
  /** Wall-clock parse budget: base + per character (generous: real code parses at 0.3–2 µs/char). */
  readonly parseBudgetBaseMs: number;
  readonly parseBudgetMsPerChar: number;
  /** Cancel a parse that had to grow the wasm heap past this many bytes (needs `heapWatch`). */
  readonly maxHeapBytes: number;
}

const DEFAULT_LIMITS: ParseLimits = {
  maxChars: 50_000_000,
  maxTokens: 4_000_000,
  maxBracketDepth: 200,
  maxIndentLevels: 99,
  maxContinuationRun: 1_000,
  commentWorkBlankThreshold: 5_000_000,
  maxErrorRunWork: 10_000_000,
  parseBudgetBaseMs: 2_000,
  parseBudgetMsPerChar: 0.01, // 10 s per million characters
  maxHeapBytes: 1_600_000_000,
};

export type ParseProblemKind =
  | 'too-large' // maxChars / maxTokens
  | 'too-deep' // brackets or indentation beyond CPython's limits
  | 'continuations' // maxContinuationRun
  | 'too-broken' // errorRunWork over the limit
  | 'timeout' // parse budget exhausted
  | 'out-of-memory' // heap watch, or the wasm runtime aborted
  | 'syntax'; // an ordinary syntax error (only in `syntaxError`, never a refusal)

export interface ParseProblem {
  readonly kind: ParseProblemKind;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  readonly message: string;
}

// ---- the pre-scan ----------------------------------------------------------

export interface ScanReport {
  readonly chars: number;
  readonly tokens: number;
  readonly maxBracketDepth: number;
  readonly maxIndentLevels: number;
  readonly maxContinuationRun: number;
  /** Estimated characters the scanner reads looking past comment lines. */
  readonly commentWork: number;
  /** The first limit exceeded, if any (the file must not be parsed). */
  readonly refusal: ParseProblem | undefined;
  /** Tokenizer-level syntax problems, CPython's wording, for messages. */
  readonly firstUnmatchedCloser: ParseProblem | undefined;
  /** The first string literal not closed on its line (or, triple-quoted, by the end of the text). */
  readonly firstUnterminatedString: ParseProblem | undefined;
  /** The innermost bracket still open at the end of the text. */
  readonly unclosedAtEnd: ParseProblem | undefined;
  /** The outermost one (where a "never closed" region starts). */
  readonly outermostUnclosedLine: number | undefined;
}

const enum Ch {
  Tab = 9, Lf = 10, Ff = 12, Cr = 13, Space = 32, Dq = 34, Hash = 35, Sq = 39,
  LParen = 40, RParen = 41, LBracket = 91, Backslash = 92, RBracket = 93, LBrace = 123, RBrace = 125,
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

function closerFor(opener: number): number {
  return opener === Ch.LParen ? Ch.RParen : opener === Ch.LBracket ? Ch.RBracket : Ch.RBrace;
}

/** The offset after the line break (`\n`, `\r\n` or `\r`) that starts at `at`. */
function afterLineBreak(text: string, at: number): number {
  return text.charCodeAt(at) === Ch.Cr && text.charCodeAt(at + 1) === Ch.Lf ? at + 2 : at + 1;
}

function problem(kind: ParseProblemKind, line: number, column: number, message: string): ParseProblem {
  return { kind, line, column, message };
}

function unterminatedString(triple: boolean, line: number, column: number, detectedAt: number): ParseProblem {
  return { kind: 'syntax', line, column, message: `unterminated ${triple ? 'triple-quoted ' : ''}string literal (detected at line ${detectedAt})` };
}

/**
 * One linear pass over the text: a tokenizer just good enough to know what is
 * code, string or comment (it never fails; a desynchronised quote resyncs at
 * the end of the line). `onComment` receives every comment's [start, end).
 */
function prescanPython(text: string, limits: ParseLimits = DEFAULT_LIMITS, onComment?: (start: number, end: number) => void): ScanReport {
  const n = text.length;
  let line = 1;
  let lineStart = 0;
  let tokens = 0;
  // The loop below keeps its state in plain locals (no closure captures them): this runs on every keystroke.
  let refusal: ParseProblem | undefined;
  if (n > limits.maxChars) {
    refusal = { kind: 'too-large', line, column: 1, message: `the file has ${n} characters, more than the ${limits.maxChars} that can be parsed` };
    return { chars: n, tokens: 0, maxBracketDepth: 0, maxIndentLevels: 0, maxContinuationRun: 0, commentWork: 0, refusal, firstUnmatchedCloser: undefined, firstUnterminatedString: undefined, unclosedAtEnd: undefined, outermostUnclosedLine: undefined };
  }

  // Brackets: a stack of openers (offset, char, line, column), bounded by the limit.
  const openers: { char: number; line: number; column: number }[] = [];
  let depth = 0;
  let maxDepth = 0;
  let firstUnmatchedCloser: ParseProblem | undefined;
  let firstUnterminatedString: ParseProblem | undefined;
  // Indentation: CPython's stack of columns.
  const indents: number[] = [0];
  let maxIndentLevels = 0;
  // Continuations.
  let continuationRun = 0;
  let maxContinuationRun = 0;
  let continued = false; // the previous physical line ended with a backslash outside strings
  // Comment look-ahead work: comments since the last code token at depth 0.
  let pendingComments = 0;
  let pendingCommentStarts = 0;
  let commentWork = 0;

  let atLineStart = true;
  let i = 0;

  while (i < n) {
    let c = text.charCodeAt(i);

    if (atLineStart) {
      atLineStart = false;
      // Indentation of a logical line's first physical line (not inside brackets, not continued).
      let column = 0;
      let j = i;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === Ch.Space) column++;
        else if (d === Ch.Tab) column = (Math.floor(column / 8) + 1) * 8;
        else if (d === Ch.Ff) column = 0;
        else break;
      }
      const first = j < n ? text.charCodeAt(j) : Ch.Lf;
      const blank = first === Ch.Lf || first === Ch.Cr || first === Ch.Hash;
      if (depth === 0 && !continued && !blank) {
        if (column > indents[indents.length - 1]!) {
          indents.push(column);
          const levels = indents.length - 1;
          if (levels > maxIndentLevels) maxIndentLevels = levels;
          if (levels > limits.maxIndentLevels) refusal ??= problem('too-deep', line, j - lineStart + 1, 'too many levels of indentation');
        } else {
          while (indents.length > 1 && column < indents[indents.length - 1]!) indents.pop();
        }
      }
      if (!continued) continuationRun = 0;
      continued = false;
      i = j;
      if (i >= n) break;
      c = text.charCodeAt(i);
    }

    if (c === Ch.Lf || c === Ch.Cr) {
      i = afterLineBreak(text, i);
      line++;
      lineStart = i;
      atLineStart = true;
      continue;
    }
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Ff) {
      i++;
      continue;
    }
    if (c === Ch.Hash) {
      const start = i;
      while (i < n && text.charCodeAt(i) !== Ch.Lf && text.charCodeAt(i) !== Ch.Cr) i++;
      onComment?.(start, i);
      tokens++;
      if (depth === 0) {
        pendingComments++;
        pendingCommentStarts += start;
      }
      continue;
    }
    if (c === Ch.Backslash) {
      const d = text.charCodeAt(i + 1);
      if (d === Ch.Lf || d === Ch.Cr) {
        i = afterLineBreak(text, i + 1);
        line++;
        lineStart = i;
        continued = true;
        atLineStart = true;
        continuationRun++;
        if (continuationRun > maxContinuationRun) maxContinuationRun = continuationRun;
        if (continuationRun > limits.maxContinuationRun) refusal ??= problem('continuations', line, i - lineStart + 1, `more than ${limits.maxContinuationRun} lines joined by backslashes into one line`);
        continue;
      }
      i++;
      tokens++;
      continue;
    }

    // Everything below is a code token.
    if (depth === 0 && pendingComments > 0) {
      commentWork += pendingComments * i - pendingCommentStarts;
      pendingComments = 0;
      pendingCommentStarts = 0;
    }
    tokens++;

    if (c === Ch.Dq || c === Ch.Sq) {
      // A string (any prefix was read as a word just before). Escapes matter for termination even in raw strings.
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const stringLine = line;
      const stringColumn = i - lineStart + 1;
      i += triple ? 3 : 1;
      for (;;) {
        if (i >= n) {
          firstUnterminatedString ??= unterminatedString(triple, stringLine, stringColumn, line);
          break;
        }
        const d = text.charCodeAt(i);
        if (d === Ch.Backslash) {
          const e = text.charCodeAt(i + 1);
          if (e === Ch.Lf || e === Ch.Cr) {
            i = afterLineBreak(text, i + 1);
            line++;
            lineStart = i;
          } else {
            i += 2;
          }
          continue;
        }
        if (d === Ch.Lf || d === Ch.Cr) {
          if (!triple) {
            // The line break ends it (handled by the main loop).
            firstUnterminatedString ??= unterminatedString(triple, stringLine, stringColumn, line);
            break;
          }
          i = afterLineBreak(text, i);
          line++;
          lineStart = i;
          continue;
        }
        if (d === c && (!triple || (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c))) {
          i += triple ? 3 : 1;
          break;
        }
        i++;
      }
      continue;
    }
    if (isWordChar(c)) {
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      continue;
    }
    if (c === Ch.LParen || c === Ch.LBracket || c === Ch.LBrace) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
      if (depth > limits.maxBracketDepth) refusal ??= problem('too-deep', line, i - lineStart + 1, 'too many nested parentheses');
      if (openers.length <= limits.maxBracketDepth) openers.push({ char: c, line, column: i - lineStart + 1 });
      i++;
      continue;
    }
    if (c === Ch.RParen || c === Ch.RBracket || c === Ch.RBrace) {
      if (depth === 0) {
        firstUnmatchedCloser ??= { kind: 'syntax', line, column: i - lineStart + 1, message: `unmatched '${String.fromCharCode(c)}'` };
      } else {
        if (openers.length === depth) {
          const opener = openers.pop()!;
          if (closerFor(opener.char) !== c) {
            firstUnmatchedCloser ??= {
              kind: 'syntax', line, column: i - lineStart + 1,
              message: `closing parenthesis '${String.fromCharCode(c)}' does not match opening parenthesis '${String.fromCharCode(opener.char)}'`,
            };
          }
        }
        depth--;
      }
      i++;
      continue;
    }
    i++; // an operator or other punctuation
  }
  if (pendingComments > 0) commentWork += pendingComments * n - pendingCommentStarts;

  if (tokens > limits.maxTokens) refusal ??= { kind: 'too-large', line: 1, column: 1, message: `the file has about ${tokens} tokens, more than the ${limits.maxTokens} that can be parsed` };
  const innermost = openers.length > 0 && depth > 0 ? openers[Math.min(openers.length, depth) - 1] : undefined;
  return {
    chars: n,
    tokens,
    maxBracketDepth: maxDepth,
    maxIndentLevels,
    maxContinuationRun,
    commentWork,
    refusal,
    firstUnmatchedCloser,
    firstUnterminatedString,
    unclosedAtEnd: innermost && { kind: 'syntax', line: innermost.line, column: innermost.column, message: `'${String.fromCharCode(innermost.char)}' was never closed` },
    outermostUnclosedLine: depth > 0 ? openers[0]?.line : undefined,
  };
}

/** The text with every comment replaced by spaces (same length, same line breaks). */
function blankComments(text: string, limits: ParseLimits = DEFAULT_LIMITS): string {
  const parts: string[] = [];
  let from = 0;
  prescanPython(text, limits, (start, end) => {
    parts.push(text.slice(from, start), ' '.repeat(end - start));
    from = end;
  });
  parts.push(text.slice(from));
  return parts.join('');
}

// ---- after parsing ----------------------------------------------------------

export interface ErrorScan {
  /** The first ERROR or MISSING node in document order (located at its first token that is not a complete statement). */
  readonly first: ParseProblem | undefined;
  /** Σ over nodes on error paths of (length of each run of consecutive anonymous children)². */
  readonly runWork: number;
  /** Where the longest run starts. */
  readonly worstRunLine: number;
}

/**
 * Walks only the part of the tree that contains errors (subtrees without
 * errors are skipped whole), so it costs little on a large file with one
 * typo: linear in the number of children of the nodes on error paths.
 * Iterative: trees can be deep.
 */
function scanErrors(tree: Tree): ErrorScan {
  const root = tree.rootNode;
  if (!root.hasError) return { first: undefined, runWork: 0, worstRunLine: 0 };
  let first: ParseProblem | undefined;
  let runWork = 0;
  let worstRun = 0;
  let worstRunLine = 0;
  const cursor = root.walk();
  let depth = 0;
  try {
    for (;;) {
      // The cursor is on a node with an error (or the root).
      const node = cursor.currentNode;
      if (!first && (node.isError || node.isMissing)) first = locate(node);
      let errorChild = false;
      if (cursor.gotoFirstChild()) {
        let run = 0;
        let runLine = 0;
        do {
          if (cursor.nodeIsNamed && !cursor.nodeIsMissing) {
            runWork += run * run;
            if (run > worstRun) [worstRun, worstRunLine] = [run, runLine];
            run = 0;
          } else {
            if (run === 0) runLine = cursor.startPosition.row + 1;
            run++;
          }
          if (!errorChild && hasError(cursor.currentNode)) errorChild = true;
        } while (cursor.gotoNextSibling());
        runWork += run * run;
        if (run > worstRun) [worstRun, worstRunLine] = [run, runLine];
        cursor.gotoParent();
      }
      if (errorChild) {
        cursor.gotoFirstChild();
        depth++;
        if (nextWithError(cursor, true)) continue;
      }
      // Next sibling with an error, climbing as needed.
      let found = false;
      while (depth > 0) {
        if (nextWithError(cursor, false)) { found = true; break; }
        cursor.gotoParent();
        depth--;
      }
      if (!found) break;
    }
  } finally {
    cursor.delete();
  }
  return { first, runWork, worstRunLine };
}

function hasError(node: Node): boolean {
  return node.hasError || node.isMissing;
}

/** Moves to the next sibling (or stays, with `includeCurrent`) that has an error; false if none (the cursor is then on the last sibling). */
function nextWithError(cursor: TreeCursor, includeCurrent: boolean): boolean {
  if (includeCurrent && hasError(cursor.currentNode)) return true;
  while (cursor.gotoNextSibling()) if (hasError(cursor.currentNode)) return true;
  return false;
}

/**
 * Where an ERROR node went wrong: tree-sitter often wraps the complete
 * statements before the error into the ERROR node, so skip its leading
 * children that are named and error-free.
 */
function locate(node: Node): ParseProblem {
  let row = node.startPosition.row;
  let column = node.startPosition.column;
  if (node.isError) {
    const cursor = node.walk(); // a cursor: Node.nextSibling costs O(siblings) per call
    try {
      if (cursor.gotoFirstChild()) {
        do {
          ({ row, column } = cursor.startPosition);
          if (!cursor.nodeIsNamed || cursor.nodeIsMissing || cursor.nodeType === 'ERROR' || hasError(cursor.currentNode)) break;
        } while (cursor.gotoNextSibling());
      }
    } finally {
      cursor.delete();
    }
  }
  return { kind: 'syntax', line: row + 1, column: column + 1, message: node.isMissing ? `expected '${node.type}'` : 'invalid syntax' };
}

// ---- the heap watch -----------------------------------------------------

/** The project compiles with lib ES2022 only (no DOM), which has no WebAssembly types. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory; RuntimeError: new () => Error } }).WebAssembly;

export interface HeapWatch {
  /** Pass to `Parser.init(...)` (merged with `locateFile`) so the heap can be watched. */
  readonly moduleOptions: { wasmMemory: WasmMemory };
  /** The wasm heap's current size in bytes (it grows, never shrinks). */
  heapBytes(): number;
}

/** web-tree-sitter's own default: 32 MB initial, 2 GB (32768 pages) maximum. */
export function createHeapWatch(): HeapWatch {
  const wasmMemory = new wasm.Memory({ initial: 512, maximum: 32768 });
  return { moduleOptions: { wasmMemory }, heapBytes: () => wasmMemory.buffer.byteLength };
}

// ---- the guarded parse -----------------------------------------------------

export type GuardedParse =
  | {
      readonly ok: true;
      readonly tree: Tree;
      /** The first syntax error (the rules still run; findings inside ERROR nodes are dropped). */
      readonly syntaxError: ParseProblem | undefined;
      /** Comments were blanked for the parser (node.text still reads the original). */
      readonly commentsBlanked: boolean;
      readonly scan: ScanReport;
      readonly parseMs: number;
    }
  | {
      readonly ok: false;
      readonly problem: ParseProblem;
      /** The wasm runtime aborted: no parser works in this process any more (restart it / the worker). */
      readonly runtimeDead: boolean;
      readonly scan: ScanReport | undefined;
    };

export interface GuardOptions {
  readonly limits?: Partial<ParseLimits>;
  /** An edited previous tree (incremental parsing); ignored when comments are blanked in either tree. */
  readonly oldTree?: Tree | null;
  readonly heapWatch?: HeapWatch;
  /** For tests. */
  readonly now?: () => number;
}

/** Trees parsed from comment-blanked text: never reuse them incrementally with unblanked text (`tree.copy()` keeps the text callback but not this mark). */
const blankedTrees = new WeakSet<Tree>();
let runtimeDead = false;

/**
 * Parses `text` unless a limit says it would be too slow or too big, and
 * never throws for any text. On refusal the parser is reset and reusable
 * (except after a wasm abort, reported as `runtimeDead`).
 */
export function parsePythonGuarded(parser: Parser, text: string, options: GuardOptions = {}): GuardedParse {
  const limits: ParseLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? (() => performance.now());
  if (runtimeDead) return dead(undefined);

  const scan = prescanPython(text, limits);
  if (scan.refusal) return { ok: false, problem: scan.refusal, runtimeDead: false, scan };

  const blank = scan.commentWork > limits.commentWorkBlankThreshold;
  const input = blank ? blankComments(text, limits) : text;
  const oldTree = options.oldTree && !blank && !blankedTrees.has(options.oldTree) ? options.oldTree : null;

  const started = now();
  const deadline = started + limits.parseBudgetBaseMs + limits.parseBudgetMsPerChar * text.length;
  const heapAtStart = options.heapWatch?.heapBytes() ?? 0;
  let stop: 'timeout' | 'out-of-memory' | undefined;
  let tree: Tree | null;
  try {
    tree = parser.parse(input, oldTree, {
      progressCallback: () => {
        if (now() > deadline) stop = 'timeout';
        else if (options.heapWatch) {
          const heap = options.heapWatch.heapBytes();
          // Growing past the limit during this parse means the heap's free space ran out.
          if (heap > limits.maxHeapBytes && heap > heapAtStart) stop = 'out-of-memory';
        }
        return stop !== undefined; // web-tree-sitter cancels on `true` (its .d.ts says void)
      },
    });
  } catch (error) {
    // Emscripten's abort(): the wasm instance is unusable from now on.
    if (error instanceof wasm.RuntimeError) {
      runtimeDead = true;
      return dead(scan);
    }
    return { ok: false, problem: { kind: 'out-of-memory', line: 1, column: 1, message: `the parser failed: ${error instanceof Error ? error.message : String(error)}` }, runtimeDead: false, scan };
  }
  const parseMs = now() - started;
  if (!tree) {
    parser.reset(); // otherwise the next parse would resume this one
    const message = stop === 'out-of-memory'
      ? 'the file is too large to parse (the parser ran out of memory)'
      : `parsing took more than ${Math.round(deadline - started)} ms and was stopped`;
    return { ok: false, problem: { kind: stop ?? 'timeout', line: 1, column: 1, message }, runtimeDead: false, scan };
  }
  if (blank) blankedTrees.add(tree);

  const errors = scanErrors(tree);
  const syntaxError = errors.first && bestSyntaxMessage(errors.first, scan);
  if (errors.runWork > limits.maxErrorRunWork) {
    tree.delete();
    const where = syntaxError ?? { kind: 'syntax' as const, line: errors.worstRunLine, column: 1, message: 'invalid syntax' };
    return { ok: false, problem: { ...where, kind: 'too-broken', message: `${where.message} (too broken to analyse)` }, runtimeDead: false, scan };
  }
  return { ok: true, tree, syntaxError, commentsBlanked: blank, scan, parseMs };
}

function dead(scan: ScanReport | undefined): GuardedParse {
  return { ok: false, problem: { kind: 'out-of-memory', line: 1, column: 1, message: 'the parser ran out of memory on an earlier file and cannot parse any more in this process' }, runtimeDead: true, scan };
}

/**
 * CPython's tokenizer messages when they explain the error: an unmatched or
 * mismatched closer at or before tree-sitter's first error, or a bracket left
 * open from before it. Otherwise tree-sitter's own location.
 */
function bestSyntaxMessage(first: ParseProblem, scan: ScanReport): ParseProblem {
  const string = scan.firstUnterminatedString;
  const closer = scan.firstUnmatchedCloser;
  if (string && string.line <= first.line && (!closer || string.line <= closer.line)) return string;
  if (closer && closer.line <= first.line) return closer;
  if (scan.unclosedAtEnd && scan.outermostUnclosedLine !== undefined && scan.outermostUnclosedLine <= first.line) return scan.unclosedAtEnd;
  return first;
}
