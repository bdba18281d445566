import { effectiveSeverity, type LintSettings } from '../engine/config';
import { withTextLineBreaks } from '../engine/fix';
import { formatMessage, type RuleMeta } from '../engine/rule';
import { runRules, type Walk } from '../engine/runner';
import { LineIndex } from '../engine/text';
import type { AnalysisResult, Finding, Severity, TextRange } from '../engine/types';
import { knownApiTable, type KnownApiTable } from './known-apis';
import { isSuppressed } from './noqa';
import { ParseRefusedError, parsePython, Query, syntaxErrorOf, type Node, type Tree } from './parser';
import type { PythonRule, PythonRuleContext } from './rule';
import { PYTHON_RULES } from './rules';
import { summarizeExports, summarizePendingCleanup, type ModuleResolver, type ModuleSummary } from './semantic/exports';
import { PythonFacts } from './semantic/facts';

export interface PythonAnalysisInput {
  readonly text: string;
  /** The file's path, for resolving relative imports. */
  readonly path?: string;
  readonly settings?: LintSettings;
  readonly resolver?: ModuleResolver;
  /** A tree already parsed from `text` (the editor parses incrementally). */
  readonly tree?: Tree;
  /** The rules to run instead of all Python rules (tests use it to inject a failing rule). */
  readonly rules?: readonly PythonRule[];
  /** Facts already made for `tree` (a host that also summarises the file's exports shares them). */
  readonly facts?: PythonFacts;
}

const tables = new Map<string, KnownApiTable>();

/** The known-API table for a settings object, built once per distinct list. */
function knownApisFor(settings: LintSettings): KnownApiTable {
  const extra = settings.knownAsyncIterables ?? [];
  const key = extra.join('\n');
  let table = tables.get(key);
  if (!table) tables.set(key, (table = knownApiTable(extra)));
  return table;
}

/**
 * Constructs without which no Python rule can fire: `async def/for/with`,
 * `await`, the async protocol's names, the typing names for async iterables,
 * and `def __iter__` (for AIT201).
 */
const BASE_TRIGGERS = String.raw`\basync\s+(?:def|for|with)\b|\bawait\b|__aiter__|__anext__|\banext\b|\baiter\b|\bAsync(?:Iterator|Iterable|Generator)\b|\bStopAsyncIteration\b|\bdef\s+__iter__\b`;

/**
 * A file that matches none of these (most files) cannot have a finding and
 * is not parsed at all. Besides the base constructs: the known library APIs,
 * and `extraWords`, the names other project files export as async iterables
 * (the caller collects them from module summaries).
 */
export function pythonTriggerPattern(settings: LintSettings, extraWords: readonly string[] = []): RegExp {
  const words = [...knownApisFor(settings).triggerWords, ...extraWords].map((word) => word.replace(/[^\w]/g, ''));
  const unique = [...new Set(words)].filter(Boolean);
  return new RegExp(`${BASE_TRIGGERS}${unique.length ? `|\\b(?:${unique.join('|')})\\b` : ''}`);
}

function hasErrorAncestor(node: Node): boolean {
  for (let current: Node | null = node; current; current = current.parent) {
    if (current.type === 'ERROR' || current.isMissing) return true;
  }
  return false;
}

const queries = new Map<string, Query>();

/**
 * One query capturing every node of the wanted kinds: tree-sitter matches it
 * inside the wasm module, so only the nodes rules care about cross into
 * JavaScript (a cursor walk would bring every node across).
 */
function queryFor(tree: Tree, wanted: ReadonlySet<string>): Query | undefined {
  const kinds = [...wanted].filter((kind) => tree.language.idForNodeType(kind, true) !== null).sort();
  if (kinds.length === 0) return undefined;
  const key = kinds.join(' ');
  let query = queries.get(key);
  if (!query) queries.set(key, (query = new Query(tree.language, `[${kinds.map((kind) => `(${kind})`).join(' ')}] @node`)));
  return query;
}

/** Visits the wanted nodes under `root` (itself included), in document order. */
export function subtreeWalk(tree: Tree, root: Node): Walk<Node> {
  return (wanted, visit) => {
    const query = queryFor(tree, wanted);
    if (!query) return;
    for (const { node } of query.captures(root)) visit(node.type, node);
  };
}

/** Runs every enabled Python rule over one file. Never throws for any input text. */
export function analyzePython(input: PythonAnalysisInput): AnalysisResult {
  let tree: Tree;
  try {
    tree = input.tree ?? parsePython(input.text);
  } catch (error) {
    if (error instanceof ParseRefusedError) return { findings: [], errors: [], syntaxError: error.problem };
    throw error;
  }
  try {
    const result = runPythonRules({ ...input, tree });
    const syntaxError = syntaxErrorOf(tree);
    return { findings: withTextLineBreaks(result.findings, input.text), errors: result.errors, ...(syntaxError ? { syntaxError } : {}) };
  } finally {
    if (!input.tree) tree.delete();
  }
}

export interface PythonRulesRun extends PythonAnalysisInput {
  readonly tree: Tree;
  readonly lines?: LineIndex;
  /** Analyse only nodes in these regions (see FactsOptions.regions). */
  readonly regions?: readonly TextRange[];
}

/** Creates the facts for a tree, to share between several `runPythonRules` calls. */
export function factsFor(run: PythonRulesRun): PythonFacts {
  return new PythonFacts(run.tree.rootNode, { known: knownApisFor(run.settings ?? {}), resolver: run.resolver, path: run.path, regions: run.regions });
}

/**
 * Runs the enabled rules on the nodes `walk` visits (the whole tree by
 * default): the one place findings are made, suppressed and sorted. Fixes
 * insert `\n`; whoever assembles a file's final findings adapts them to its
 * line breaks (`withTextLineBreaks`).
 */
export function runPythonRules(run: PythonRulesRun, walk: Walk<Node> = subtreeWalk(run.tree, run.tree.rootNode)): AnalysisResult {
  const settings = run.settings ?? {};
  const findings: Finding[] = [];
  const lines = run.lines ?? new LineIndex(run.text);
  const facts = run.facts ?? factsFor(run);
  const enabled = (run.rules ?? PYTHON_RULES).filter((rule) => effectiveSeverity(rule.meta, settings) !== 'off');

  const contextFor = (meta: RuleMeta): PythonRuleContext => {
    const severity = effectiveSeverity(meta, settings);
    const { code } = meta;
    return {
      source: run.text,
      facts,
      settings,
      report({ at, messageId, data, fixes = [], severity: lowered }) {
        const isNode = 'type' in at;
        if (isNode && hasErrorAncestor(at as Node)) return;
        const range: TextRange = isNode ? { start: (at as Node).startIndex, end: (at as Node).endIndex } : (at as TextRange);
        if (severity === 'off' || isSuppressed(lines, lines.position(range.start).line, code)) return;
        const template = meta.messages[messageId];
        if (template === undefined) throw new Error(`${code} has no message "${messageId}"`);
        const own = lowered && SEVERITY_RANK[lowered] < SEVERITY_RANK[severity] ? lowered : severity;
        findings.push({ code, name: meta.name, range, message: formatMessage(template, data), severity: own, fixes });
      },
      fix(titleId, safety, edits, data) {
        const template = (meta.fix.titles as Readonly<Record<string, string>>)[titleId];
        if (template === undefined) throw new Error(`${code} has no fix title "${titleId}"`);
        if (!meta.fix.safety.includes(safety)) throw new Error(`${code} declares no ${safety} fix`);
        return { title: formatMessage(template, data), safety, edits };
      },
    };
  };

  const errors = runRules(enabled, contextFor, walk);
  findings.sort(byPosition);
  return { findings, errors };
}

/** A report's own severity only lowers the configured one (`PythonReport.severity`). */
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { hint: 0, info: 1, warning: 2, error: 3 };

export function byPosition(a: Finding, b: Finding): number {
  return a.range.start - b.range.start || a.code.localeCompare(b.code);
}

/**
 * What a module exports that other files care about (async generator
 * functions, async-iterable classes, re-exports), for a `ModuleResolver`.
 * `tree`, already parsed from `text`, saves a second parse (the caller keeps
 * ownership of it).
 */
export function summarizePythonModule(text: string, path: string, settings: LintSettings = {}, resolver?: ModuleResolver, tree?: Tree, facts?: PythonFacts): ModuleSummary {
  if (facts) return { path, exports: summarizeExports(facts), pendingCleanup: summarizePendingCleanup(facts) };
  const parsed = tree ?? parsePython(text);
  try {
    const fresh = new PythonFacts(parsed.rootNode, { known: knownApisFor(settings), resolver, path });
    return { path, exports: summarizeExports(fresh), pendingCleanup: summarizePendingCleanup(fresh) };
  } finally {
    if (!tree) parsed.delete();
  }
}
