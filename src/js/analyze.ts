import type * as ts from 'typescript';
import { effectiveSeverity, type LintSettings } from '../engine/config';
import { withTextLineBreaks } from '../engine/fix';
import { formatMessage, type RuleMeta } from '../engine/rule';
import { runRules, type Walk } from '../engine/runner';
import { LineIndex } from '../engine/text';
import type { AnalysisResult, Finding, Severity, SyntaxProblem, TextRange } from '../engine/types';
import { JsFacts, type OwnPackage } from './facts';
import { jsKnownApiTable, type JsKnownApiTable } from './known-apis';
import type { JsRule, JsRuleContext, TypeScript } from './rule';
import { JS_RULES } from './rules';
import { isSuppressed } from './suppress';

export interface JsAnalysisInput {
  /** The `typescript` module to use: tsserver's inside the plugin, the host's own elsewhere. */
  readonly ts: TypeScript;
  readonly sourceFile: ts.SourceFile;
  /** From the program `sourceFile` belongs to, when there is one: types answer what syntax cannot. */
  readonly checker?: ts.TypeChecker;
  readonly settings?: LintSettings;
  /** The rules to run instead of all JS rules (tests inject a failing rule). */
  readonly rules?: readonly JsRule[];
  /** Whether `// eslint-disable…` comments suppress findings (default true); the ESLint plugin leaves them to ESLint. */
  readonly eslintComments?: boolean;
  /** The package the file belongs to, when the host can read it (`ownPackageOf` in src/project/package-json.ts): its own imports by path name it. */
  readonly ownPackage?: OwnPackage;
}

const tables = new Map<string, JsKnownApiTable>();

function knownApisFor(settings: LintSettings): JsKnownApiTable {
  const extra = settings.knownAsyncIterables ?? [];
  const key = extra.join('\n');
  let table = tables.get(key);
  if (!table) tables.set(key, (table = jsKnownApiTable(extra)));
  return table;
}

/** The file extensions the JS/TS frontend reads. */
const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'] as const;

export function isJsFile(path: string): boolean {
  const lower = path.toLowerCase();
  return JS_EXTENSIONS.some((extension) => lower.endsWith(extension)) && !/\.d\.[mc]?ts$/.test(lower);
}

/** The script kind of a file name, for parsing it without a program. */
function scriptKindOf(ts: TypeScript, fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?ts$/.test(lower)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** A file TypeScript's parser cannot read at all (it recurses, and nesting a few thousand levels deep overflows the stack). */
export class JsParseRefusedError extends Error {
  constructor(readonly problem: SyntaxProblem) {
    super(problem.message);
  }
}

/** What a host says about a file nested too deeply for the parser. */
const TOO_DEEP_TO_PARSE = 'nested too deeply for the TypeScript parser';

/** Parses a file on its own (no program, no types): what the rules fall back to. Throws `JsParseRefusedError` for a file the parser cannot read. */
export function parseJs(ts: TypeScript, fileName: string, text: string): ts.SourceFile {
  try {
    return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(ts, fileName));
  } catch (error) {
    if (error instanceof RangeError) throw new JsParseRefusedError({ line: 1, column: 1, message: TOO_DEEP_TO_PARSE, notAnalysed: true });
    throw error;
  }
}

/** Visits the wanted nodes under `root` in document order, without recursion (deep nesting cannot overflow the stack). */
function jsWalk(ts: TypeScript, root: ts.Node): Walk<ts.Node> {
  return (wanted, visit) => {
    const kinds = new Map<number, string>();
    for (const name of wanted) {
      const kind = (ts.SyntaxKind as unknown as Record<string, number | undefined>)[name];
      if (typeof kind === 'number') kinds.set(kind, name);
    }
    if (kinds.size === 0) return;
    const stack: ts.Node[] = [root];
    const children: ts.Node[] = [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const name = kinds.get(node.kind);
      if (name !== undefined) visit(name, node);
      children.length = 0;
      ts.forEachChild(node, (child) => {
        children.push(child);
      });
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
    }
  };
}

/** The parser's first complaint, said the way the Python frontend says it. */
function jsSyntaxError(ts: TypeScript, sourceFile: ts.SourceFile): SyntaxProblem | undefined {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  const first = diagnostics?.[0];
  if (!first || first.start === undefined) return undefined;
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(first.start);
  return { line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') };
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { hint: 0, info: 1, warning: 2, error: 3 };

function isNode(at: ts.Node | TextRange): at is ts.Node {
  return typeof (at as ts.Node).kind === 'number';
}

/**
 * Runs every enabled JS/TS rule over one file: the one place JS findings are
 * made, suppressed and sorted. Never throws for any input text.
 */
export function analyzeJs(input: JsAnalysisInput): AnalysisResult {
  const { ts, sourceFile, checker } = input;
  const settings = input.settings ?? {};
  const text = sourceFile.text;
  const lines = new LineIndex(text);
  const findings: Finding[] = [];
  const facts = new JsFacts(ts, sourceFile, checker, knownApisFor(settings), input.ownPackage);
  const enabled = (input.rules ?? JS_RULES).filter((rule) => effectiveSeverity(rule.meta, settings) !== 'off');

  const contextFor = (meta: RuleMeta): JsRuleContext => {
    const severity = effectiveSeverity(meta, settings);
    const { code, name } = meta;
    return {
      ts,
      sourceFile,
      source: text,
      checker,
      facts,
      settings,
      report({ at, messageId, data, fixes = [], severity: lowered }) {
        const range: TextRange = isNode(at) ? { start: at.getStart(sourceFile), end: at.getEnd() } : at;
        if (severity === 'off' || isSuppressed(lines, lines.position(range.start).line, { code, name }, input.eslintComments ?? true)) return;
        const template = meta.messages[messageId];
        if (template === undefined) throw new Error(`${code} has no message "${messageId}"`);
        const own = lowered && SEVERITY_RANK[lowered] < SEVERITY_RANK[severity] ? lowered : severity;
        findings.push({ code, name, range, message: formatMessage(template, data), severity: own, fixes, messageId, ...(data ? { data } : {}) });
      },
      fix(titleId, safety, edits, data) {
        const template = (meta.fix.titles as Readonly<Record<string, string>>)[titleId];
        if (template === undefined) throw new Error(`${code} has no fix title "${titleId}"`);
        if (!meta.fix.safety.includes(safety)) throw new Error(`${code} declares no ${safety} fix`);
        return { title: formatMessage(template, data), safety, edits };
      },
    };
  };

  const errors = runRules(enabled, contextFor, jsWalk(ts, sourceFile));
  findings.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
  const syntaxError = jsSyntaxError(ts, sourceFile);
  return { findings: withTextLineBreaks(findings, text), errors, ...(syntaxError ? { syntaxError } : {}) };
}
