import { effectiveSeverity, type LintSettings } from '../engine/config';
import { ruleByCode } from '../engine/registry';
import { runRules, type Walk } from '../engine/runner';
import { LineIndex } from '../engine/text';
import type { Finding, InternalError, TextRange } from '../engine/types';
import { PythonFacts, summarizeExports } from './facts';
import { knownApiTable, type KnownApiTable } from './known-apis';
import { isSuppressed } from './noqa';
import { parsePython, Query, type Node, type Tree } from './parser';
import type { ModuleResolver, ModuleSummary } from './project';
import type { PythonRule, PythonRuleContext } from './rule';
import { PYTHON_RULES } from './rules';

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
}

export interface AnalysisResult {
  readonly findings: Finding[];
  /** Rules that threw on this file; they were skipped, the others ran. */
  readonly errors: InternalError[];
}

const tables = new Map<string, KnownApiTable>();

/** The known-API table for a settings object, built once per distinct list. */
export function knownApisFor(settings: LintSettings): KnownApiTable {
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
  const tree = input.tree ?? parsePython(input.text);
  try {
    return runPythonRules({ ...input, tree });
  } finally {
    if (!input.tree) tree.delete();
  }
}

export interface PythonRulesRun extends PythonAnalysisInput {
  readonly tree: Tree;
  /** Shared facts, when several parts of one tree are analysed in turn. */
  readonly facts?: PythonFacts;
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
 * default): the one place findings are made, suppressed and sorted.
 */
export function runPythonRules(run: PythonRulesRun, walk: Walk<Node> = subtreeWalk(run.tree, run.tree.rootNode)): AnalysisResult {
  const settings = run.settings ?? {};
  const findings: Finding[] = [];
  const lines = run.lines ?? new LineIndex(run.text);
  const facts = run.facts ?? factsFor(run);
  const enabled = (run.rules ?? PYTHON_RULES).filter((rule) => {
    const meta = ruleByCode(rule.code);
    return meta !== undefined && effectiveSeverity(meta, settings) !== 'off';
  });

  const contextFor = (code: string): PythonRuleContext => {
    const meta = ruleByCode(code)!;
    const severity = effectiveSeverity(meta, settings);
    return {
      source: run.text,
      facts,
      settings,
      report({ at, message, fixes = [] }) {
        const isNode = 'type' in at;
        if (isNode && hasErrorAncestor(at as Node)) return;
        const range: TextRange = isNode ? { start: (at as Node).startIndex, end: (at as Node).endIndex } : (at as TextRange);
        if (isSuppressed(lines, lines.position(range.start).line, code)) return;
        if (severity === 'off') return;
        findings.push({ code, name: meta.name, range, message, severity, fixes });
      },
    };
  };

  const errors = runRules(enabled, contextFor, walk);
  findings.sort(byPosition);
  return { findings, errors };
}

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
  if (facts) return { path, exports: summarizeExports(facts) };
  const parsed = tree ?? parsePython(text);
  try {
    const fresh = new PythonFacts(parsed.rootNode, { known: knownApisFor(settings), resolver, path });
    return { path, exports: summarizeExports(fresh) };
  } finally {
    if (!tree) parsed.delete();
  }
}
