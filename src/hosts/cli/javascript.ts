import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript';
import type { AnalysisResult } from '../../engine/types';
import { analyzeJs, parseJs } from '../../js/analyze';
import type { JsRule } from '../../js/rule';
import { jsTriggerPattern } from '../../js/triggers';
import type { FileSettings } from '../../project/settings';
import { SharedSourceFiles, TsConfigs, TsProgram, type TsConfig, type TsConfigProblem } from '../../project/tsconfig';
import { ownPackageOf } from '../../project/package-json';

/*
 * JavaScript and TypeScript in the CLI. Each file is checked with types when
 * its nearest tsconfig.json / jsconfig.json (or a configuration that one
 * references) includes it: one program per configuration, built on first use
 * from the checked files it includes (and its declaration files), so checking
 * a few files of a large project loads only what they import. Any other file
 * is checked from its syntax alone, and only when its text has a word the
 * rules could react to (`jsTriggerPattern`); parsing is cheap, building a
 * program is not.
 */

let typescript: typeof ts | undefined;

/**
 * TypeScript's compiler (9 MB), read only when a JS/TS file is checked: from
 * beside the bundle (esbuild.js copies it to dist/typescript.js), or the
 * package when running from the sources.
 */
function loadTypeScript(): typeof ts {
  if (!typescript) {
    const bundled = path.join(__dirname, 'typescript.js');
    typescript = (fs.existsSync(bundled) ? require(bundled) : require('typescript')) as typeof ts;
  }
  return typescript;
}

/**
 * TypeScript's lib.*.d.ts files: beside the bundle (esbuild.js copies them to
 * dist/typescript-lib/); undefined when running from the sources, where
 * TypeScript finds its own.
 */
function bundledLibDirectory(): string | undefined {
  const directory = path.join(__dirname, 'typescript-lib');
  return fs.existsSync(path.join(directory, 'lib.d.ts')) ? directory : undefined;
}

/** How one file is analysed, for its first analysis and for each round of fixes. */
export interface JsAnalyzer {
  /** Whether a program includes the file, so types answer (unless the program cannot be built). */
  readonly typed: boolean;
  analyze(text: string): AnalysisResult;
  /** The file now holds `text` on disk (fixes written, or read again): the program must see it. */
  settle(text: string): void;
}

export interface JsCheckerOptions {
  /** Problems with a tsconfig.json / jsconfig.json, and programs that could not be built. */
  readonly onProblem: (problem: TsConfigProblem) => void;
  /** The text the host holds for a checked file (fixed, maybe); undefined for any other file. */
  readonly textOf: (file: string) => string | undefined;
  /** The rules to run instead of all JS rules (tests inject a failing rule). */
  readonly rules?: readonly JsRule[] | undefined;
}

export class JsChecker {
  readonly ts = loadTypeScript();
  private readonly configs: TsConfigs;
  private readonly programs = new Map<string, TsProgram>();
  private readonly programOf = new Map<string, TsProgram>();
  /** Checked files each program still has to analyse: released after its last one. */
  private readonly pending = new Map<TsProgram, number>();
  private readonly broken = new Set<TsProgram>();
  private readonly libDirectory = bundledLibDirectory();
  private readonly shared: SharedSourceFiles;

  constructor(private readonly options: JsCheckerOptions) {
    this.configs = new TsConfigs(this.ts, options.onProblem);
    this.shared = new SharedSourceFiles(this.ts);
  }

  /**
   * Finds the configuration of every file to check and returns the files
   * grouped by it (each program built, used and released in turn), the files
   * checked without types last; the order within a group is kept.
   */
  plan(files: readonly string[]): string[] {
    const groups = new Map<TsConfig | undefined, string[]>();
    for (const file of files) {
      const config = this.configs.configOf(file);
      let group = groups.get(config);
      if (!group) groups.set(config, (group = []));
      group.push(file);
    }
    const ordered: string[] = [];
    for (const [config, group] of groups) {
      if (!config) continue;
      const checked = new Set(group);
      const program = new TsProgram(this.ts, config, [...group, ...config.declarationFiles.filter((file) => !checked.has(file))], {
        textOf: this.options.textOf,
        shared: this.shared,
        ...(this.libDirectory ? { libDirectory: this.libDirectory } : {}),
      });
      this.programs.set(config.file, program);
      this.pending.set(program, group.length);
      for (const file of group) this.programOf.set(file, program);
      ordered.push(...group);
    }
    ordered.push(...(groups.get(undefined) ?? []));
    return ordered;
  }

  /**
   * How to analyse a file, or undefined when it cannot have a finding: no
   * program includes it and its text has none of the words the rules react
   * to without types.
   */
  analyzerFor(file: string, text: string, settings: FileSettings): JsAnalyzer | undefined {
    const { ts } = this;
    const rules = this.options.rules;
    const program = this.programOf.get(file);
    const syntaxOnly = (current: string) => analyzeJs({ ts, sourceFile: parseJs(ts, file, current), settings, ownPackage: ownPackageOf(file), ...(rules ? { rules } : {}) });
    if (!program || this.broken.has(program)) {
      if (!jsTriggerPattern(settings).test(text)) return undefined;
      return { typed: false, analyze: syntaxOnly, settle: () => {} };
    }
    return {
      typed: true,
      analyze: (current) => {
        const typed = this.typedFile(program, file, current);
        if (!typed) return syntaxOnly(current);
        return analyzeJs({ ts, sourceFile: typed.sourceFile, checker: typed.checker, settings, ownPackage: ownPackageOf(file), ...(rules ? { rules } : {}) });
      },
      settle: (current) => {
        if (!this.broken.has(program)) program.setText(file, current);
      },
    };
  }

  /** The file is checked (and fixed): its program is released after its last file. */
  done(file: string): void {
    const program = this.programOf.get(file);
    if (!program) return;
    this.programOf.delete(file);
    const left = (this.pending.get(program) ?? 1) - 1;
    if (left > 0) {
      this.pending.set(program, left);
      return;
    }
    this.pending.delete(program);
    this.programs.delete(program.config.file);
  }

  private typedFile(program: TsProgram, file: string, text: string): ReturnType<TsProgram['fileOf']> {
    if (this.broken.has(program)) return undefined;
    try {
      program.setText(file, text);
      return program.fileOf(file);
    } catch (error) {
      this.broken.add(program);
      const reason = error instanceof Error ? error.message : String(error);
      this.options.onProblem({ level: 'error', file: program.config.file, problem: `cannot build its program (its files are checked without types): ${reason}` });
      return undefined;
    }
  }
}
