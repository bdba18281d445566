import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CATALOG } from '../../catalog';
import { applySafeFixes } from '../../engine/fix';
import { LineIndex } from '../../engine/text';
import type { AnalysisResult, Finding, InternalError, Language, SyntaxProblem } from '../../engine/types';
import { isJsFile, JsParseRefusedError } from '../../js/analyze';
import type { JsRule } from '../../js/rule';
import { analyzePython, factsFor, pythonTriggerPattern } from '../../python/analyze';
import type { FileSystemModuleResolver } from '../../python/module-resolver';
import { loadPythonParser, ParseRefusedError, parsePython, type Tree } from '../../python/parser';
import type { PythonRule } from '../../python/rule';
import { describeConfigProblem } from '../../project/config';
import { isExcluded, Projects, type Project } from '../../project/project';
import { describeFsError, encodeSource, isRegularFile, readScriptFile, readSourceFile, type FileIdentity, type ReadOutcome, type SourceText } from '../../project/read';
import { layerSettings, type FileSettings } from '../../project/settings';
import { writeFileChecked } from '../../project/write';
import { isDeclarationFile, walkDirectory, type DiscoveredFile } from './discover';
import { JsChecker } from './javascript';
import { asyncExportNames, importStatements, importsAsyncIterable, mentionsAny } from './prefilter';

export interface CheckOptions {
  /** What relative paths are relative to; the process's working directory by default. */
  readonly cwd?: string;
  /** Codes or prefixes to run (each known: see `unknownCodes`); replaces the configured `select` and `ignore`. */
  readonly select?: readonly string[];
  /** Codes or prefixes not to run; added to the configured `ignore`. */
  readonly ignore?: readonly string[];
  /** Apply safe fixes and write the files back. */
  readonly fix?: boolean;
  /** The rules to run instead of all Python rules (tests inject a failing rule). */
  readonly rules?: readonly PythonRule[];
  /** The rules to run instead of all JavaScript/TypeScript rules. */
  readonly jsRules?: readonly JsRule[];
  /** Called just before a fixed file is written back (tests save the file there, as a user might). */
  readonly beforeWrite?: (file: string) => void;
}

/** Something to tell the user on stderr. An `error` means the check was incomplete (exit 2). */
export interface Notice {
  readonly level: 'error' | 'warning';
  readonly message: string;
}

export interface FileFindings {
  /** As given on the command line, joined with the path inside a given directory. */
  readonly path: string;
  readonly absolutePath: string;
  /** Positions of the file's final text (after fixes). */
  readonly lines: LineIndex;
  readonly findings: readonly Finding[];
}

export interface CheckCounters {
  /** Python, JavaScript and TypeScript files found and read. */
  filesSeen: number;
  /** Files the rules ran on; the others cannot have a finding. */
  filesParsed: number;
  /** JavaScript and TypeScript files checked with types (a tsconfig.json or jsconfig.json includes them). */
  filesTyped: number;
  /** Lines of all files read. */
  lines: number;
  milliseconds: number;
}

export interface CheckResult {
  /** Files with findings, in the order they were found. */
  readonly files: readonly FileFindings[];
  readonly notices: readonly Notice[];
  /** Fixes applied with `fix`. */
  readonly fixed: number;
  readonly counters: CheckCounters;
}

interface CheckedFile extends DiscoveredFile {
  readonly language: Language;
  source: SourceText;
  identity: FileIdentity;
  result?: AnalysisResult;
}

/** Files of one project, checked with the same settings and import resolution. */
interface ProjectRun {
  readonly project: Project;
  readonly settings: FileSettings;
  readonly resolver: FileSystemModuleResolver;
  /** Its Python files (JavaScript and TypeScript ones are checked per TypeScript configuration). */
  readonly files: CheckedFile[];
}

/** How a file is analysed again after fixes, and what must learn its new text once written. */
interface Reanalysis {
  analyze(text: string): AnalysisResult;
  settle(text: string): void;
}

/** Times a file is read again and fixed again when it changed on disk while being fixed. */
const MAX_FIX_ATTEMPTS = 3;

/** 0: no findings; 1: findings; 2: a usage or I/O problem (the check was incomplete). */
export function exitCode(result: CheckResult): 0 | 1 | 2 {
  if (result.notices.some((notice) => notice.level === 'error')) return 2;
  return result.files.length > 0 ? 1 : 0;
}

/**
 * Checks Python, JavaScript and TypeScript files and directories (the working
 * directory when `paths` is empty), each with the `[tool.async-lens]` of its
 * nearest pyproject.toml; JS/TS files with types when their tsconfig.json or
 * jsconfig.json includes them. Never throws: every problem becomes a notice.
 */
export async function checkPaths(paths: readonly string[], options: CheckOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const run = new CheckRun(options);
  try {
    await run.check(paths.length > 0 ? paths : ['.']);
  } catch (error) {
    run.internalError(error);
  }
  run.counters.milliseconds = performance.now() - started;
  return run.result();
}

class CheckRun {
  readonly counters: CheckCounters = { filesSeen: 0, filesParsed: 0, filesTyped: 0, lines: 0, milliseconds: 0 };
  private readonly cwd: string;
  private readonly notices: Notice[] = [];
  private readonly projects: Projects;
  private readonly runs = new Map<string, ProjectRun>();
  private readonly byPath = new Map<string, CheckedFile>();
  /** JavaScript and TypeScript files, with their project's settings. */
  private readonly jsFiles: { readonly file: CheckedFile; readonly run: ProjectRun }[] = [];
  private fixed = 0;

  constructor(private readonly options: CheckOptions) {
    this.cwd = path.resolve(options.cwd ?? process.cwd());
    this.projects = new Projects({
      readText: (file) => this.textOf(file),
      isFile: (file) => this.byPath.has(file) || isRegularFile(file),
    });
  }

  async check(paths: readonly string[]): Promise<void> {
    for (const given of paths) this.collect(given);
    if (this.byPath.size === 0) {
      if (!this.notices.some((notice) => notice.level === 'error')) this.notices.push({ level: 'warning', message: 'no Python, JavaScript or TypeScript files found under the given paths' });
      return;
    }
    this.warnAboutPlannedRules();
    if (this.jsFiles.length < this.byPath.size) await this.checkPython();
    if (this.jsFiles.length > 0) this.checkJavaScript();
  }

  private async checkPython(): Promise<void> {
    try {
      await loadPythonParser();
    } catch (error) {
      this.error(`cannot load the Python parser: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const run of this.runs.values()) this.checkProject(run);
  }

  /**
   * `--select AIT301` is valid (the rule is in the catalog) but would
   * silently check nothing yet: said when no language of the checked files
   * runs a rule matching it.
   */
  private warnAboutPlannedRules(): void {
    const languages = new Set([...this.byPath.values()].map((file) => file.language));
    for (const pattern of this.options.select ?? []) {
      if ([...languages].some((language) => CATALOG.runsFor(pattern, language))) continue;
      const names = [...languages].sort().reverse().map((language) => LANGUAGE_NAMES[language]);
      this.notices.push({ level: 'warning', message: `--select ${pattern}: no rule matching it runs on ${names.join(', ')} yet (see \`async-lens rules\`)` });
    }
  }

  result(): CheckResult {
    const files: FileFindings[] = [];
    for (const file of this.byPath.values()) {
      const findings = file.result?.findings ?? [];
      if (findings.length === 0) continue;
      files.push({ path: file.display, absolutePath: file.absolute, lines: new LineIndex(file.source.text), findings });
    }
    return { files, notices: this.notices, fixed: this.fixed, counters: this.counters };
  }

  // ---- discovery ----------------------------------------------------------

  private collect(given: string): void {
    const absolute = path.resolve(this.cwd, given);
    let stats: fs.Stats;
    try {
      stats = fs.statSync(absolute);
    } catch (error) {
      this.error(`${given}: ${describeFsError(error)}`);
      return;
    }
    if (/[\\/]$/.test(given) && !stats.isDirectory()) {
      this.error(`${given}: not a directory`);
      return;
    }
    if (!stats.isDirectory() && !stats.isFile()) {
      this.error(`${given}: not a regular file or a directory`);
      return;
    }
    let discovered: DiscoveredFile[];
    if (stats.isDirectory()) {
      // Each file and folder belongs to its own nearest project (a nested pyproject.toml starts another).
      const excluded = (file: string, isDirectory: boolean) => {
        const { project, settings } = this.runFor(isDirectory ? file : path.dirname(file));
        return isExcluded(project.root, settings.exclude, file, isDirectory);
      };
      const walked = walkDirectory(absolute, given, { isExcluded: excluded });
      for (const problem of walked.problems) this.error(`${problem.display}: ${problem.problem}`);
      discovered = walked.files;
    } else if (isDeclarationFile(absolute)) {
      this.notices.push({ level: 'warning', message: `${given}: a TypeScript declaration file, not checked` });
      discovered = [];
    } else {
      discovered = [{ display: given, absolute }];
    }
    for (const file of discovered) {
      if (this.byPath.has(file.absolute)) continue;
      const run = this.runFor(path.dirname(file.absolute));
      // A file named on the command line is Python unless its extension says JavaScript or TypeScript.
      const language: Language = isJsFile(file.absolute) ? 'javascript' : 'python';
      const read = readFile(language, file.absolute, run.settings.maxFileSize);
      if (!read.ok) {
        if (read.kind === 'too-large') this.notices.push({ level: 'warning', message: `${file.display}: ${read.problem}` });
        else this.error(`${file.display}: ${read.problem}`);
        continue;
      }
      const checked: CheckedFile = { ...file, language, source: read.source, identity: read.identity };
      this.byPath.set(file.absolute, checked);
      if (language === 'javascript') this.jsFiles.push({ file: checked, run });
      else run.files.push(checked);
      this.counters.filesSeen++;
      this.counters.lines += countLines(read.source.text);
    }
  }

  /** The project a directory belongs to, with its settings: pyproject.toml, then the command line. */
  private runFor(directory: string): ProjectRun {
    const project = this.projects.projectOf(directory);
    const key = project.configFile ?? project.root;
    let run = this.runs.get(key);
    if (!run) {
      if (project.configFile) for (const problem of project.config.problems) this.error(describeConfigProblem(this.display(project.configFile), problem));
      const { select, ignore } = this.options;
      const settings = layerSettings(project.config.layer, { ...(select ? { select } : {}), ...(ignore ? { ignore } : {}) });
      run = { project, settings, resolver: this.projects.resolverFor(project, settings), files: [] };
      this.runs.set(key, run);
    }
    return run;
  }

  private textOf(file: string): string | undefined {
    const checked = this.byPath.get(file);
    if (checked) return checked.source.text;
    const read = readSourceFile(file);
    return read.ok ? read.source.text : undefined;
  }

  private display(file: string): string {
    const relative = path.relative(this.cwd, file);
    return relative && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative) ? relative : file;
  }

  // ---- analysis -----------------------------------------------------------

  /**
   * Parses only the files that can have findings: those with a trigger word,
   * then those importing a name that some module exports as an async
   * iterable, until no new such name turns up (see prefilter.ts).
   */
  private checkProject(run: ProjectRun): void {
    const trigger = pythonTriggerPattern(run.settings);
    const names = new Set<string>();
    let pending: CheckedFile[] = [];
    for (const file of run.files) {
      if (trigger.test(file.source.text)) this.analyze(file, run, names);
      else pending.push(file);
    }
    this.addNamesFromOutsideModules(pending, run, names);

    let known = 0;
    while (pending.length > 0 && names.size > known) {
      known = names.size;
      const mentions = mentionsAny(names)!;
      const rest: CheckedFile[] = [];
      for (const file of pending) {
        const { text } = file.source;
        if (mentions.test(text) && importsAsyncIterable(file.absolute, text, names, run.resolver)) this.analyze(file, run, names);
        else rest.push(file);
      }
      pending = rest;
    }
  }

  /** Modules imported but not being checked (when checking one file of a project, say) export names too. */
  private addNamesFromOutsideModules(files: readonly CheckedFile[], run: ProjectRun, names: Set<string>): void {
    for (const file of files) {
      for (const { module, level } of importStatements(file.source.text)) {
        const target = run.resolver.locate(file.absolute, module, level);
        if (target === undefined || this.isChecked(target)) continue;
        const summary = run.resolver.summaryOf(target);
        if (summary) for (const name of asyncExportNames(summary, run.resolver, this.isChecked)) names.add(name);
      }
    }
  }

  private readonly isChecked = (file: string): boolean => this.byPath.has(file);

  private analyze(file: CheckedFile, run: ProjectRun, names: Set<string>): void {
    const { settings, resolver } = run;
    const { rules } = this.options;
    let result: AnalysisResult;
    try {
      let tree: Tree;
      try {
        tree = parsePython(file.source.text);
      } catch (error) {
        if (!(error instanceof ParseRefusedError)) throw error;
        this.reportSyntax(file, error.problem);
        file.result = { findings: [], errors: [] };
        return;
      }
      try {
        // One set of facts for the file's summary and its analysis.
        const input = { text: file.source.text, path: file.absolute, settings, resolver, tree, rules };
        const facts = factsFor(input);
        const summary = resolver.summaryOf(file.absolute, file.source.text, tree, facts);
        if (summary) for (const name of asyncExportNames(summary, resolver, this.isChecked)) names.add(name);
        result = analyzePython({ ...input, facts });
      } finally {
        tree.delete();
      }
      this.counters.filesParsed++;
      if (result.syntaxError) this.reportSyntax(file, result.syntaxError);
      if (this.options.fix && hasSafeFix(result)) {
        result = this.fix(file, result, run.settings, {
          analyze: (text) => analyzePython({ text, path: file.absolute, settings, resolver, rules }),
          settle: () => resolver.invalidate(file.absolute),
        });
      } else {
        this.reportRuleErrors(file, result.errors);
      }
    } catch (error) {
      this.error(`${file.display}: internal error, file not checked: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    file.result = result;
  }

  /** JavaScript and TypeScript files, a TypeScript configuration at a time (see javascript.ts). */
  private checkJavaScript(): void {
    let checker: JsChecker;
    try {
      checker = new JsChecker({
        onProblem: ({ level, file, problem }) => {
          const message = describeConfigProblem(this.display(file), problem);
          if (level === 'error') this.error(message);
          else if (!this.notices.some((notice) => notice.message === message)) this.notices.push({ level, message });
        },
        textOf: (file) => this.byPath.get(file)?.source.text,
        rules: this.options.jsRules,
      });
    } catch (error) {
      this.error(`cannot load TypeScript: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const runs = new Map(this.jsFiles.map(({ file, run }) => [file.absolute, run]));
    for (const absolute of checker.plan([...runs.keys()])) {
      this.analyzeJs(this.byPath.get(absolute)!, runs.get(absolute)!, checker);
      checker.done(absolute);
    }
  }

  private analyzeJs(file: CheckedFile, run: ProjectRun, checker: JsChecker): void {
    let result: AnalysisResult;
    try {
      const analyzer = checker.analyzerFor(file.absolute, file.source.text, run.settings);
      if (!analyzer) return;
      result = analyzer.analyze(file.source.text);
      this.counters.filesParsed++;
      if (analyzer.typed) this.counters.filesTyped++;
      if (result.syntaxError) this.reportSyntax(file, { ...result.syntaxError, message: result.syntaxError.message.replace(/\.$/, '') });
      if (this.options.fix && hasSafeFix(result)) result = this.fix(file, result, run.settings, analyzer);
      else this.reportRuleErrors(file, result.errors);
    } catch (error) {
      if (error instanceof JsParseRefusedError) {
        this.reportSyntax(file, error.problem);
        file.result = { findings: [], errors: [] };
        return;
      }
      this.error(`${file.display}: internal error, file not checked: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    file.result = result;
  }

  /**
   * Applies safe fixes and writes the file back atomically, provided it is
   * still what was read; when it changed meanwhile (the user saved it,
   * another run fixed it), it is read again and fixed again.
   */
  private fix(file: CheckedFile, first: AnalysisResult, settings: FileSettings, { analyze, settle }: Reanalysis): AnalysisResult {
    let before = first;
    for (let attempt = 1; ; attempt++) {
      const outcome = applySafeFixes(file.source.text, before, analyze);
      this.reportRuleErrors(file, outcome.errors);
      if (outcome.fixed === 0) return outcome.result;
      const bytes = encodeSource(file.source, outcome.text);
      if (!bytes) {
        this.error(`${file.display}: fixes not written: cannot encode the fixed text as ${file.source.encoding}`);
        return before;
      }
      this.options.beforeWrite?.(file.absolute);
      const written = writeFileChecked(file.absolute, bytes, file.identity);
      if (written.ok) {
        file.source = { ...file.source, text: outcome.text };
        settle(outcome.text);
        this.fixed += outcome.fixed;
        return outcome.result;
      }
      if (written.kind === 'io') {
        this.error(`${file.display}: fixes not written (the file is unchanged): ${written.problem}`);
        settle(file.source.text);
        return before;
      }
      const reread = readFile(file.language, file.absolute, settings.maxFileSize);
      if (!reread.ok || attempt >= MAX_FIX_ATTEMPTS) {
        this.error(`${file.display}: fixes not written: the file kept changing while it was being fixed; run again`);
        settle(file.source.text);
        return before;
      }
      file.source = reread.source;
      file.identity = reread.identity;
      settle(file.source.text);
      before = analyze(file.source.text);
      if (!hasSafeFix(before)) return before;
    }
  }

  /**
   * A file that could not be parsed at all is an incomplete check (exit 2).
   * A part the parser could not read is a warning: the rest was checked, and
   * the parser's grammar lags CPython's now and then, so valid code must not
   * fail a CI job.
   */
  private reportSyntax(file: CheckedFile, problem: SyntaxProblem): void {
    const where = `${file.display}:${problem.line}:${problem.column}`;
    if (problem.notAnalysed) this.error(`${where}: could not parse: ${problem.message}; not checked`);
    else this.notices.push({ level: 'warning', message: `${where}: syntax error: ${problem.message}; the rest of the file was checked` });
  }

  private reportRuleErrors(file: CheckedFile, errors: readonly InternalError[]): void {
    const seen = new Set<string>();
    for (const { code, message } of errors) {
      if (seen.has(code)) continue;
      seen.add(code);
      const name = CATALOG.entry(code)?.name;
      this.notices.push({ level: 'warning', message: `rule ${code}${name ? ` (${name})` : ''} failed on ${file.display} and was skipped there: ${message}` });
    }
  }

  /** A bug of ours: said in one line, as an incomplete check, never as a stack trace. */
  internalError(error: unknown): void {
    this.error(`internal error, the check is incomplete: ${error instanceof Error ? error.message : String(error)}`);
  }

  private error(message: string): void {
    if (!this.notices.some((notice) => notice.message === message)) this.notices.push({ level: 'error', message });
  }
}

const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { python: 'Python', javascript: 'JavaScript or TypeScript' };

function readFile(language: Language, file: string, maxBytes: number): ReadOutcome {
  return language === 'javascript' ? readScriptFile(file, maxBytes) : readSourceFile(file, maxBytes);
}

function hasSafeFix(result: AnalysisResult): boolean {
  return result.findings.some((finding) => finding.fixes.some((fix) => fix.safety === 'safe'));
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = text.endsWith('\n') ? 0 : 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}
