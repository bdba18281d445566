import type { LintSettings } from '../engine/config';
import { withTextLineBreaks } from '../engine/fix';
import type { Walk } from '../engine/runner';
import { LineIndex } from '../engine/text';
import type { AnalysisResult, Finding, InternalError, TextEdit, TextRange } from '../engine/types';
import { byPosition, factsFor, runPythonRules, subtreeWalk, type PythonRulesRun } from './analyze';
import { Edit, ParseRefusedError, parsePython, syntaxErrorOf, type Node, type Tree } from './parser';
import type { PythonRule } from './rule';
import { definitionOf, unitInterface } from './semantic/cross-unit';
import { awaitedWords, workSummary, type WorkSummary } from './semantic/independence';
import type { ModuleResolver } from './semantic/exports';

/*
 * Re-analysis while typing. A keystroke usually changes one function, and
 * what other code needs to know about that function (its name, parameters,
 * decorators, `async`, whether it yields) rarely changes. So the file is cut
 * into units (top-level statements; each method of a top-level class is a
 * unit of its own, the rest of the class another), and a "signature" records
 * everything a unit may learn about the others, as the semantic model
 * declares it (`unitInterface`). While the signature stays the same, only
 * units whose text changed are analysed again; the other units keep their
 * findings, shifted to their new place. Any other change analyses the whole
 * file.
 */

/** A change to the previous text: replace [start, end) with `text` (offsets in the text before this change). */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface DocumentAnalysisOptions {
  readonly path?: string;
  readonly settings?: LintSettings;
  readonly resolver?: ModuleResolver;
  readonly rules?: readonly PythonRule[];
}

type UnitKind = 'statement' | 'method' | 'class';

interface Unit {
  readonly kind: UnitKind;
  readonly node: Node;
  readonly start: number;
  readonly end: number;
}

interface AnalysedUnit {
  readonly kind: UnitKind;
  readonly start: number;
  readonly text: string;
  readonly findings: readonly Finding[];
  readonly errors: readonly InternalError[];
}

export interface DocumentAnalysisStats {
  /** Units analysed by the last update, and units whose findings were reused. */
  readonly analysed: number;
  readonly reused: number;
  readonly full: boolean;
}

interface StatementParts {
  readonly part: string;
  readonly work: WorkSummary;
}

export class PythonDocumentAnalysis {
  private tree: Tree | undefined;
  private text = '';
  private signature = '';
  private units: AnalysedUnit[] = [];
  private partsByText = new Map<string, StatementParts>();
  /** What each unit awaits (`awaitedWords`), by unit text, as last computed. */
  private awaitedByText = new Map<string, ReadonlySet<string>>();
  /** The work summaries of the last update's top-level statements. */
  private work: readonly WorkSummary[] = [];
  lastStats: DocumentAnalysisStats = { analysed: 0, reused: 0, full: true };

  /** The tree of the last update (owned by this analysis: valid until the next update or dispose). */
  get currentTree(): Tree | undefined {
    return this.tree;
  }

  constructor(private options: DocumentAnalysisOptions = {}) {}

  /** New settings or resolver: the next update analyses everything. */
  reconfigure(options: DocumentAnalysisOptions): void {
    this.options = options;
    this.signature = '';
  }

  /** Forgets cached findings (another file changed what imports resolve to). */
  invalidate(): void {
    this.signature = '';
  }

  /**
   * Analyses `text`. With `changes` (the edits that turned the previous text
   * into `text`), the previous tree is edited and re-parsed incrementally
   * and unchanged units keep their findings. Never throws for any text.
   */
  update(text: string, changes?: readonly TextChange[]): AnalysisResult {
    const previous = this.tree;
    let edited = false;
    if (previous && changes && changes.length > 0) edited = editTree(previous, this.text, changes, text);
    let tree: Tree;
    try {
      tree = parsePython(text, edited ? previous : undefined);
    } catch (error) {
      if (!(error instanceof ParseRefusedError)) throw error;
      // Nothing to reuse next time: the next text is parsed from scratch.
      this.dispose();
      this.text = text;
      this.signature = '';
      this.lastStats = { analysed: 0, reused: 0, full: true };
      return { findings: [], errors: [], syntaxError: error.problem };
    }
    // Where the syntax changed: besides the edited text, error recovery may read unchanged text anew (only around errors).
    const recovered = edited && previous && (previous.rootNode.hasError || tree.rootNode.hasError);
    const restructured = recovered ? previous.getChangedRanges(tree).map(({ startIndex, endIndex }) => ({ start: startIndex, end: endIndex })) : [];
    previous?.delete();
    this.tree = tree;
    const oldText = this.text;
    this.text = text;

    const statements = tree.rootNode.namedChildren.filter((statement): statement is Node => statement !== null);
    const units = unitsOf(statements);
    const { signature, work } = this.signatureOf(statements, text);
    const reuse = edited && signature === this.signature ? this.reusable(changes!, oldText.length) : undefined;
    const stale = reuse ? staleWork(this.work, work) : new Set<string>();
    this.signature = signature;
    this.work = work;

    const run: PythonRulesRun = { ...this.options, text, tree, lines: new LineIndex(text) };
    const analysed = reuse ? this.analyseChangedUnits(run, units, reuse, { stale, restructured }, statements, work) : analyseWholeTree(run, units);
    this.units = analysed;
    // A rule that failed may have missed findings in units that would be reused: start afresh next time.
    if (analysed.some((unit) => unit.errors.length > 0)) this.signature = '';
    const reused = reuse ? analysed.filter((unit) => reuse.get(`${unit.kind}:${unit.start}`) === unit).length : 0;
    this.lastStats = { analysed: units.length - reused, reused, full: reuse === undefined };
    const syntaxError = syntaxErrorOf(tree);
    return {
      findings: withTextLineBreaks(analysed.flatMap((unit) => unit.findings).sort(byPosition), text),
      errors: dedupeErrors(analysed.flatMap((unit) => unit.errors)),
      ...(syntaxError ? { syntaxError } : {}),
    };
  }

  /**
   * Analyses again the units whose text changed, whose syntax tree changed
   * (`restructured`: error recovery can parse unchanged text anew), and
   * those that name an `async def` whose work summary changed (`stale`,
   * with those that await them); the others keep their findings.
   * @param work the work summaries of `statements`, the top-level statements
   */
  private analyseChangedUnits(
    run: PythonRulesRun,
    units: readonly Unit[],
    reuse: ReadonlyMap<string, AnalysedUnit>,
    { stale, restructured }: { stale: ReadonlySet<string>; restructured: readonly TextRange[] },
    statements: readonly Node[],
    work: readonly WorkSummary[],
  ): AnalysedUnit[] {
    // Only an await can reach another unit's `async def` (`independentWork`): a unit that awaits none of the stale ones keeps its findings.
    const awaited = new Map<string, ReadonlySet<string>>();
    const awaitedIn = (unit: Unit, unitText: string) => {
      const words = this.awaitedByText.get(unitText) ?? awaited.get(unitText) ?? awaitedWords(unit.node, unitText);
      awaited.set(unitText, words);
      return words;
    };
    const namesStale = (unit: Unit, unitText: string) => stale.size > 0 && [...awaitedIn(unit, unitText)].some((word) => stale.has(word));
    const again = new Set<Unit>(units.filter((unit) => {
      const unitText = run.text.slice(unit.start, unit.end);
      return reuse.get(`${unit.kind}:${unit.start}`)?.text !== unitText
        || restructured.some((range) => range.start < unit.end && unit.start < range.end)
        || namesStale(unit, unitText);
    }));
    // Facts only for what is analysed: those units, the module-level code they may read, and the `async def`s they may await.
    const readable = readableDefinitions([...again].map((unit) => awaitedIn(unit, run.text.slice(unit.start, unit.end))), work);
    // Kept for the next keystroke only while stale names need it: most keystrokes change no work summary.
    this.awaitedByText = awaited;
    const regions = [
      ...[...again].map(({ start, end }) => ({ start, end })),
      ...moduleCodeRegions(units),
      ...[...readable].map((index) => ({ start: statements[index]!.startIndex, end: statements[index]!.endIndex })),
    ];
    const facts = factsFor({ ...run, regions });
    return units.map((unit) => {
      const unitText = run.text.slice(unit.start, unit.end);
      const cached = reuse.get(`${unit.kind}:${unit.start}`);
      if (cached && !again.has(unit)) return cached;
      const result = runPythonRules({ ...run, facts }, unitWalk(run.tree, unit));
      return { kind: unit.kind, start: unit.start, text: unitText, findings: result.findings, errors: result.errors };
    });
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.units = [];
  }

  /** The previous units that no change touched, moved to where they are now, keyed by kind and new start. */
  private reusable(changes: readonly TextChange[], oldLength: number): Map<string, AnalysedUnit> {
    const shift = offsetShifter(changes, oldLength);
    const result = new Map<string, AnalysedUnit>();
    for (const unit of this.units) {
      const moved = moveUnit(unit, shift);
      if (moved) result.set(`${moved.kind}:${moved.start}`, moved);
    }
    return result;
  }

  /** What each statement tells the others (`unitInterface`, `workSummary`), reused for unchanged statement texts. */
  private signatureOf(statements: readonly Node[], text: string): { signature: string; work: WorkSummary[] } {
    const parts: string[] = [];
    const work: WorkSummary[] = [];
    const next = new Map<string, StatementParts>();
    for (const statement of statements) {
      const source = text.slice(statement.startIndex, statement.endIndex);
      const known = this.partsByText.get(source) ?? next.get(source) ?? { part: unitInterface(statement, source), work: workSummary(statement, source) };
      next.set(source, known);
      parts.push(known.part);
      work.push(known.work);
    }
    this.partsByText = next;
    return { signature: parts.join('\u0001'), work };
  }
}

/**
 * The names of the `async def`s whose work summary differs between two
 * versions of the file, with every `async def` that mentions one of them in
 * its own summary (it awaits it), and so on.
 */
function staleWork(before: readonly WorkSummary[], after: readonly WorkSummary[]): Set<string> {
  const byName = (summaries: readonly WorkSummary[]) => {
    const result = new Map<string, string>();
    for (const summary of summaries) {
      for (const [name, skeleton] of summary.skeletons) result.set(name, result.has(name) ? `${result.get(name)}\u0007${skeleton}` : skeleton);
    }
    return result;
  };
  // Summaries are reused for unchanged statement texts: only the names of those that are not can differ.
  const kept = new Set(before);
  const fresh = after.filter((summary) => !kept.has(summary));
  const current = new Set(after);
  const gone = before.filter((summary) => !current.has(summary));
  const candidates = new Set([...fresh, ...gone].flatMap((summary) => summary.names));
  const stale = new Set<string>();
  if (candidates.size === 0) return stale;
  const old = byName(before.filter((summary) => summary.names.some((name) => candidates.has(name))));
  const now = byName(after.filter((summary) => summary.names.some((name) => candidates.has(name))));
  for (const name of candidates) if (old.get(name) !== now.get(name)) stale.add(name);
  for (let grew = stale.size > 0; grew;) {
    grew = false;
    for (const summary of after) {
      if (![...summary.mentions].some((word) => stale.has(word))) continue;
      for (const name of summary.names) {
        if (stale.has(name)) continue;
        stale.add(name);
        grew = true;
      }
    }
  }
  return stale;
}

/** The top-level statements (indexes) defining an `async def` named by `words`, with those their `async def`s name, and so on. */
function readableDefinitions(words: readonly Iterable<string>[], work: readonly WorkSummary[]): Set<number> {
  const result = new Set<number>();
  const wanted = new Set<string>();
  for (const some of words) for (const word of some) wanted.add(word);
  // Few statements define an `async def`, and a change names few words: a scan beats building an index.
  for (let grew = wanted.size > 0; grew;) {
    grew = false;
    work.forEach((summary, index) => {
      if (result.has(index) || !summary.names.some((name) => wanted.has(name))) return;
      result.add(index);
      for (const word of summary.mentions) wanted.add(word);
      grew = true;
    });
  }
  return result;
}

/** One walk over the whole tree, its findings handed to the units they lie in (a method before its class). */
function analyseWholeTree(run: PythonRulesRun, units: readonly Unit[]): AnalysedUnit[] {
  const result = runPythonRules(run);
  const buckets = units.map(() => [] as Finding[]);
  for (const finding of result.findings) {
    let owner = -1;
    units.forEach((unit, index) => {
      if (finding.range.start >= unit.start && finding.range.start < unit.end && (owner < 0 || units[owner]!.kind === 'class')) owner = index;
    });
    // Outside every unit cannot happen for a finding made from a node; keep it with the first unit regardless.
    buckets[Math.max(owner, 0)]?.push(finding);
  }
  return units.map((unit, index) => ({
    kind: unit.kind,
    start: unit.start,
    text: run.text.slice(unit.start, unit.end),
    findings: buckets[index]!,
    // A rule that failed failed for the whole file: remembered with every unit, reported once.
    errors: result.errors,
  }));
}

function dedupeErrors(errors: readonly InternalError[]): InternalError[] {
  const seen = new Set<string>();
  return errors.filter((error) => !seen.has(error.code) && seen.add(error.code));
}

/** Runs of top-level statements that are not functions or classes (imports, assignments, module code). */
function moduleCodeRegions(units: readonly Unit[]): { start: number; end: number }[] {
  const regions: { start: number; end: number }[] = [];
  let extendLast = false;
  for (const unit of units) {
    if (unit.kind === 'method') continue;
    // A walrus in a decorator binds a module name: such a definition counts as module code.
    const isCode = unit.kind === 'statement' && (definitionOf(unit.node).type !== 'function_definition' || hasDecoratorWalrus(unit.node));
    if (isCode && extendLast) regions[regions.length - 1]!.end = unit.end;
    else if (isCode) regions.push({ start: unit.start, end: unit.end });
    extendLast = isCode;
  }
  return regions;
}

function hasDecoratorWalrus(statement: Node): boolean {
  return statement.type === 'decorated_definition' && statement.namedChildren.some((child) => child?.type === 'decorator' && child.text.includes(':='));
}

function unitsOf(statements: readonly Node[]): Unit[] {
  const units: Unit[] = [];
  for (const statement of statements) {
    const definition = definitionOf(statement);
    if (definition.type !== 'class_definition') {
      units.push({ kind: 'statement', node: statement, start: statement.startIndex, end: statement.endIndex });
      continue;
    }
    units.push({ kind: 'class', node: statement, start: statement.startIndex, end: statement.endIndex });
    for (const member of definition.childForFieldName('body')?.namedChildren ?? []) {
      if (member && definitionOf(member).type === 'function_definition') {
        units.push({ kind: 'method', node: member, start: member.startIndex, end: member.endIndex });
      }
    }
  }
  return units;
}

/** The nodes of one unit: a class unit is the class without its methods (they are units of their own). */
function unitWalk(tree: Tree, unit: Unit): Walk<Node> {
  if (unit.kind !== 'class') return subtreeWalk(tree, unit.node);
  return (wanted, visit) => {
    const definition = definitionOf(unit.node);
    const parts: Node[] = [];
    if (unit.node.id !== definition.id) {
      for (const child of unit.node.namedChildren) if (child && child.id !== definition.id) parts.push(child);
    }
    for (const child of definition.namedChildren) {
      if (!child) continue;
      if (child.type !== 'block') parts.push(child);
      else for (const member of child.namedChildren) if (member && definitionOf(member).type !== 'function_definition') parts.push(member);
    }
    if (unit.node.id !== definition.id && wanted.has(unit.node.type)) visit(unit.node.type, unit.node);
    if (wanted.has(definition.type)) visit(definition.type, definition);
    for (const part of parts) subtreeWalk(tree, part)(wanted, visit);
  };
}

/**
 * Maps an offset of the previous text to the current text, or undefined when
 * a change touched it. Changes apply in order, each to the text left by the
 * ones before it.
 */
function offsetShifter(changes: readonly TextChange[], oldLength: number): (offset: number, isEnd?: boolean) => number | undefined {
  return (offset, isEnd = false) => {
    let current = offset;
    let length = oldLength;
    for (const change of changes) {
      if (change.start < 0 || change.end > length || change.start > change.end) return undefined;
      const touches = isEnd ? current > change.start && current <= change.end : current >= change.start && current < change.end;
      if (touches || (change.start === change.end && current === change.start && !isEnd)) return undefined;
      if (current >= change.end) current += change.text.length - (change.end - change.start);
      length += change.text.length - (change.end - change.start);
    }
    return current;
  };
}

function moveUnit(unit: AnalysedUnit, shift: (offset: number, isEnd?: boolean) => number | undefined): AnalysedUnit | undefined {
  const start = shift(unit.start);
  const end = shift(unit.start + unit.text.length, true);
  if (start === undefined || end === undefined || end - start !== unit.text.length) return undefined;
  const findings: Finding[] = [];
  for (const finding of unit.findings) {
    const moved = moveFinding(finding, shift);
    if (!moved) return undefined;
    findings.push(moved);
  }
  return { ...unit, start, findings };
}

function moveFinding(finding: Finding, shift: (offset: number, isEnd?: boolean) => number | undefined): Finding | undefined {
  const range = moveRange(finding.range, shift);
  if (!range) return undefined;
  const fixes = [];
  for (const fix of finding.fixes) {
    const edits: TextEdit[] = [];
    for (const edit of fix.edits) {
      const moved = moveRange(edit.range, shift);
      if (!moved) return undefined;
      edits.push({ range: moved, newText: edit.newText });
    }
    fixes.push({ ...fix, edits });
  }
  return { ...finding, range, fixes };
}

function moveRange(range: { start: number; end: number }, shift: (offset: number, isEnd?: boolean) => number | undefined) {
  const start = shift(range.start);
  const end = range.end === range.start ? start : shift(range.end, true);
  return start === undefined || end === undefined ? undefined : { start, end };
}

/**
 * Tells the previous tree about the changes so tree-sitter can re-parse
 * incrementally. Returns false (parse from scratch) when the changes do not
 * turn the previous text into the new one.
 */
function editTree(tree: Tree, oldText: string, changes: readonly TextChange[], newText: string): boolean {
  let text = oldText;
  const edits: Edit[] = [];
  for (const change of changes) {
    if (change.start < 0 || change.end > text.length || change.start > change.end) return false;
    const after = text.slice(0, change.start) + change.text + text.slice(change.end);
    edits.push(new Edit({
      startIndex: change.start,
      oldEndIndex: change.end,
      newEndIndex: change.start + change.text.length,
      startPosition: pointAt(text, change.start),
      oldEndPosition: pointAt(text, change.end),
      newEndPosition: pointAt(after, change.start + change.text.length),
    }));
    text = after;
  }
  if (text !== newText) return false;
  for (const edit of edits) tree.edit(edit);
  return true;
}

interface Point {
  row: number;
  column: number;
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts for string input) of an offset. */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: offset - lineStart };
}
