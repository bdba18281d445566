import type * as ts from 'typescript';
import { compatibleFixes } from '../../engine/text';
import type { Finding } from '../../engine/types';
import { analyzeJs, isJsFile } from '../../js/analyze';
import { overlaps, reportedByCompiler, rulesReportedAs, sharedCompilerCodes, type CompilerDiagnosticSpan } from '../../js/compiler-codes';
import type { JsRule, TypeScript } from '../../js/rule';
import { isOurCode, isSuggestion, ruleOfFixId, toCodeFixActions, toDiagnostic, toTextChanges } from './convert';
import type { PluginSettings } from './settings';
import { now, timingLine } from './timing';
import { ownPackageOf } from '../../project/package-json';

export interface ServiceOptions {
  /** tsserver's own `typescript` module. */
  readonly ts: TypeScript;
  /** The language service to decorate (tsserver's, or another plugin's decoration of it). */
  readonly languageService: ts.LanguageService;
  readonly rules: readonly JsRule[];
  /** The settings now; the same object for as long as they do not change. */
  settings(): PluginSettings;
  /** The link to a rule's page, shown under each of its diagnostics. */
  docs(ruleCode: string): ts.DiagnosticRelatedInformation | undefined;
  log(message: string): void;
  /** Tests only: the analysis throws (see fault.ts). */
  readonly failAnalysis?: boolean;
  /** Benchmarks only: logs how long each file's analysis took (see timing.ts). */
  readonly logTiming?: boolean;
}

/** One file of one program, analysed with one set of settings. */
interface FileAnalysis {
  readonly settings: PluginSettings;
  readonly sourceFile: ts.SourceFile;
  /** Every finding, for the fixes. */
  readonly findings: readonly Finding[];
  /** The findings no compiler diagnostic already reports: the ones shown as our own diagnostics. */
  readonly shown: readonly Finding[];
}

/** The error codes the plugin has fixes for: its rules' codes (`AIT101`) and the compiler codes they share (`2488`). */
export function supportedCodes(rules: readonly JsRule[]): string[] {
  return [...rules.map((rule) => rule.meta.code), ...sharedCompilerCodes(rules).map(String)];
}

/**
 * Decorates a language service with the JS/TS rules: diagnostics
 * (`getSemanticDiagnostics`, `getSuggestionDiagnostics`), quick fixes
 * (`getCodeFixesAtPosition`, `getSupportedCodeFixes`) and "fix all"
 * (`getCombinedCodeFix`). Each file is analysed once per program and
 * settings, and every call of that program shares it. Every wrapper falls
 * back to the language service's own result if anything of ours throws.
 */
export function decorateLanguageService(options: ServiceOptions): ts.LanguageService {
  const { ts, languageService: service, rules, log } = options;
  const rulesWithCompilerCodes = new Set(rules.filter((rule) => (rule.compilerCodes ?? []).length > 0).map((rule) => rule.meta.code));
  const supported = supportedCodes(rules);
  const analyses = new WeakMap<ts.Program, Map<string, FileAnalysis>>();

  const analyse = (fileName: string): FileAnalysis | undefined => {
    const settings = options.settings();
    if (!settings.enable || !isJsFile(fileName)) return undefined;
    if (options.failAnalysis) throw new Error('injected fault (ASYNC_LENS_TSSERVER_FAULT=analysis)');
    const program = service.getProgram();
    const sourceFile = program?.getSourceFile(fileName);
    if (!program || !sourceFile) return undefined;
    let files = analyses.get(program);
    if (!files) analyses.set(program, (files = new Map()));
    const cached = files.get(fileName);
    if (cached && cached.settings === settings && cached.sourceFile === sourceFile) return cached;

    const started = options.logTiming ? now() : undefined;
    const result = analyzeJs({ ts, sourceFile, checker: program.getTypeChecker(), settings: settings.lint, rules, ownPackage: ownPackageOf(fileName) });
    for (const error of result.errors) log(`rule ${error.code} failed on ${fileName} and was skipped; the other rules ran: ${error.message}`);
    const analysed = started === undefined ? undefined : now();
    const compiler = result.findings.some((finding) => rulesWithCompilerCodes.has(finding.code)) ? compilerDiagnostics(program, sourceFile) : [];
    const analysis: FileAnalysis = {
      settings,
      sourceFile,
      findings: result.findings,
      shown: result.findings.filter((finding) => !reportedByCompiler(finding, compiler, rules)),
    };
    files.set(fileName, analysis);
    if (started !== undefined && analysed !== undefined) log(timingLine(fileName, analysed - started, now() - analysed));
    return analysis;
  };

  /** Our part of a result, or the original alone when anything of ours throws. */
  const guarded = <T>(what: string, original: T, withOurs: () => T): T => {
    try {
      return withOurs();
    } catch (error) {
      log(`${what} failed; TypeScript's own result is returned: ${describe(error)}`);
      return original;
    }
  };

  const diagnostics = (fileName: string, original: ts.Diagnostic[], suggestions: boolean): ts.Diagnostic[] => {
    const analysis = analyse(fileName);
    if (!analysis) return original;
    const ours = analysis.shown
      .filter((finding) => isSuggestion(finding.severity) === suggestions)
      .map((finding) => toDiagnostic(ts, analysis.sourceFile, finding, options.docs(finding.code)));
    return ours.length === 0 ? original : [...original, ...ours];
  };

  const proxy = Object.create(null) as ts.LanguageService;
  for (const key of Object.keys(service) as (keyof ts.LanguageService)[]) {
    const member = service[key];
    (proxy as unknown as Record<string, unknown>)[key] = typeof member === 'function' ? (...args: unknown[]) => (member as (...args: unknown[]) => unknown).apply(service, args) : member;
  }

  proxy.getSemanticDiagnostics = (fileName) => {
    const original = service.getSemanticDiagnostics(fileName);
    return guarded(`semantic diagnostics of ${fileName}`, original, () => diagnostics(fileName, original, false));
  };

  proxy.getSuggestionDiagnostics = (fileName) => {
    const original = service.getSuggestionDiagnostics(fileName);
    return guarded(`suggestion diagnostics of ${fileName}`, original, () => diagnostics(fileName, original, true) as ts.DiagnosticWithLocation[]);
  };

  proxy.getCodeFixesAtPosition = (fileName, start, end, errorCodes, formatOptions, preferences) => {
    // Our own codes mean nothing to TypeScript: it is asked about the others only.
    const theirs = errorCodes.filter((code) => !isOurCode(code));
    const original = theirs.length === 0 ? [] : service.getCodeFixesAtPosition(fileName, start, end, theirs, formatOptions, preferences);
    return guarded(`code fixes in ${fileName}`, original, () => {
      const asked = errorCodes.filter(isOurCode) as unknown[];
      // A rule's own diagnostic (by its code, or any of ours when the client lost the code), or a compiler diagnostic a rule shares.
      const anyOfOurs = asked.some((code) => typeof code !== 'string');
      const wanted = new Set([...asked.filter((code): code is string => typeof code === 'string'), ...theirs.flatMap((code) => rulesReportedAs(code, rules))]);
      if (wanted.size === 0 && !anyOfOurs) return original;
      const analysis = analyse(fileName);
      if (!analysis) return original;
      const shown = new Set(analysis.shown);
      const ours = analysis.findings
        .filter((finding) => (wanted.has(finding.code) || (anyOfOurs && shown.has(finding))) && overlaps(finding.range, { start, end }))
        .flatMap((finding) => toCodeFixActions(fileName, finding));
      return ours.length === 0 ? original : [...ours, ...original];
    });
  };

  if (typeof service.getSupportedCodeFixes === 'function') {
    proxy.getSupportedCodeFixes = (fileName) => {
      const original = service.getSupportedCodeFixes(fileName);
      return guarded('supported code fixes', original, () => [...new Set([...original, ...supported])]);
    };
  }

  proxy.getCombinedCodeFix = (scope, fixId, formatOptions, preferences) => {
    const rule = ruleOfFixId(fixId);
    // Someone else's fix id: theirs to answer (and to throw on).
    if (rule === undefined) return service.getCombinedCodeFix(scope, fixId, formatOptions, preferences);
    const none: ts.CombinedCodeActions = { changes: [] };
    return guarded(`fix all ${rule} in ${scope.fileName}`, none, () => {
      const analysis = analyse(scope.fileName);
      if (!analysis) return none;
      const safe = analysis.findings.filter((finding) => finding.code === rule).flatMap((finding) => finding.fixes.filter((fix) => fix.safety === 'safe').slice(0, 1));
      // One round: fixes that clash with one already taken wait for the next "fix all".
      const edits = compatibleFixes(safe).flatMap((fix) => fix.edits);
      return edits.length === 0 ? none : { changes: [{ fileName: scope.fileName, textChanges: toTextChanges(edits) }] };
    });
  };

  return proxy;
}

/** The compiler's own diagnostics of a file (cached by the program: tsserver has asked for them already). */
function compilerDiagnostics(program: ts.Program, sourceFile: ts.SourceFile): CompilerDiagnosticSpan[] {
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].flatMap((diagnostic) =>
    diagnostic.start === undefined ? [] : [{ code: diagnostic.code, start: diagnostic.start, end: diagnostic.start + (diagnostic.length ?? 0) }],
  );
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
