import * as path from 'node:path';
import type * as ts from 'typescript';
import { isRegularFile, pathExists, readFileBytes } from './read';

/*
 * TypeScript projects, for hosts that build a program of their own (the CLI;
 * tsserver has its own): a file's nearest tsconfig.json or jsconfig.json,
 * whether that configuration (or one it references) includes the file, and
 * a program of the configuration for the files being checked. The
 * `typescript` module is the host's, handed in, as in the frontend.
 *
 * Every file is read the safe way (src/project/read.ts): a FIFO named
 * tsconfig.json or a module that is a link to /dev/zero is refused, never
 * waited on.
 */

type TypeScript = typeof ts;

/** Looked for in each directory, in this order (tsserver's). */
const TS_CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'] as const;

/** A configuration file larger than this is not one. */
const MAX_CONFIG_SIZE = 1_000_000;
/** A program's declaration files can be large (TypeScript's lib.dom.d.ts is 2.3 MB); a file larger than this is left out, as if missing. */
const MAX_PROGRAM_FILE_SIZE = 20_000_000;

/** What tsserver assumes in a jsconfig.json: a JavaScript project. */
const JSCONFIG_DEFAULTS: ts.CompilerOptions = { allowJs: true, maxNodeModuleJsDepth: 2, allowSyntheticDefaultImports: true, skipLibCheck: true, noEmit: true };

const DECLARATION_FILE = /\.d\.[mc]?ts$/i;
/** How many settings' declaration files are kept for the next program (see `SharedSourceFiles`). */
const MAX_SHARED_BUCKETS = 1;

/** TS18003 "No inputs were found": a configuration that includes none of the checked files, which are then checked without it. */
const IGNORED_DIAGNOSTICS = new Set([18003]);

export interface TsConfig {
  /** The tsconfig.json or jsconfig.json. */
  readonly file: string;
  readonly options: ts.CompilerOptions;
  /** Absolute paths of the files it includes. */
  readonly fileNames: ReadonlySet<string>;
  /** Its declaration files: global declarations every program of it needs. */
  readonly declarationFiles: readonly string[];
  /** The configuration files it references (`references`). */
  readonly references: readonly string[];
}

/**
 * Something wrong with a configuration. An `error` makes it unusable (it
 * cannot be read, or is not JSON): its files are checked without types. A
 * `warning` (an unknown option, a missing `extends`) leaves the rest usable.
 */
export interface TsConfigProblem {
  readonly level: 'error' | 'warning';
  /** The configuration file the problem is in (an `extends` target, maybe). */
  readonly file: string;
  /** `line:column: message` when it has a position (see `describeConfigProblem`), else the message. */
  readonly problem: string;
}

/**
 * The TypeScript configurations of the files a host checks, each read once.
 * Problems are handed to `onProblem` once per configuration.
 */
export class TsConfigs {
  private readonly nearestByDirectory = new Map<string, string | undefined>();
  private readonly loaded = new Map<string, TsConfig | undefined>();

  constructor(
    private readonly ts: TypeScript,
    private readonly onProblem: (problem: TsConfigProblem) => void,
  ) {}

  /** The nearest configuration file at or above a directory (tsconfig.json before jsconfig.json in each). */
  nearest(directory: string): string | undefined {
    const visited: string[] = [];
    let found: string | undefined;
    for (let current = path.resolve(directory); ; current = path.dirname(current)) {
      if (this.nearestByDirectory.has(current)) {
        found = this.nearestByDirectory.get(current);
        break;
      }
      visited.push(current);
      found = TS_CONFIG_NAMES.map((name) => path.join(current, name)).find(pathExists);
      if (found || path.dirname(current) === current) break;
    }
    for (const directory of visited) this.nearestByDirectory.set(directory, found);
    return found;
  }

  /**
   * The configuration that includes `file`: its nearest one, or a
   * configuration that one references (a solution-style tsconfig.json with
   * `files: []` and `references`). Undefined when none does, or the one that
   * would is unusable: the file is then checked without types.
   */
  configOf(file: string): TsConfig | undefined {
    const nearest = this.nearest(path.dirname(file));
    if (!nearest) return undefined;
    const absolute = path.resolve(file);
    const queue = [nearest];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const config = this.load(queue.shift()!);
      if (!config) continue;
      if (config.fileNames.has(absolute)) return config;
      for (const reference of config.references) {
        if (!seen.has(reference)) {
          seen.add(reference);
          queue.push(reference);
        }
      }
    }
    return undefined;
  }

  /** Reads and resolves one configuration (its `extends`, `include`, `exclude`, `files`); undefined when unusable. */
  load(configFile: string): TsConfig | undefined {
    if (this.loaded.has(configFile)) return this.loaded.get(configFile);
    let config: TsConfig | undefined;
    try {
      config = this.read(configFile);
    } catch (error) {
      this.onProblem({ level: 'error', file: configFile, problem: `cannot read it: ${error instanceof Error ? error.message : String(error)}` });
    }
    this.loaded.set(configFile, config);
    return config;
  }

  private read(configFile: string): TsConfig | undefined {
    const { ts } = this;
    const read = readFileBytes(configFile, MAX_CONFIG_SIZE);
    if (!read.ok) {
      const reason = read.kind === 'too-large' ? 'larger than 1 MB' : read.problem;
      this.onProblem({ level: 'error', file: configFile, problem: `cannot read it (its files are checked without types): ${reason}` });
      return undefined;
    }
    const json = ts.parseJsonText(configFile, decodeText(read.bytes));
    const syntax = (json as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
    if (syntax.length > 0) {
      this.onProblem({ level: 'error', file: configFile, problem: `${describeDiagnostic(ts, syntax[0]!)} (its files are checked without types)` });
      return undefined;
    }
    const host: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
      readDirectory: (root, extensions, excludes, includes, depth) => ts.sys.readDirectory(root, extensions, excludes, includes, depth),
      fileExists: isRegularFile,
      readFile: (file) => readText(file, MAX_CONFIG_SIZE),
    };
    const defaults = path.basename(configFile) === 'jsconfig.json' ? JSCONFIG_DEFAULTS : {};
    const parsed = ts.parseJsonSourceFileConfigFileContent(json, host, path.dirname(configFile), defaults, configFile);
    for (const diagnostic of parsed.errors) {
      if (IGNORED_DIAGNOSTICS.has(diagnostic.code)) continue;
      this.onProblem({ level: 'warning', file: diagnostic.file?.fileName ?? configFile, problem: describeDiagnostic(ts, diagnostic) });
    }
    const fileNames = parsed.fileNames.map((name) => path.resolve(name));
    return {
      file: configFile,
      options: { ...parsed.options, noEmit: true },
      fileNames: new Set(fileNames),
      declarationFiles: fileNames.filter((name) => DECLARATION_FILE.test(name)),
      references: (parsed.projectReferences ?? []).map((reference) => path.resolve(ts.resolveProjectReferencePath(reference))),
    };
  }
}

/** How a program reads files besides its configuration. */
export interface ProgramFiles {
  /** The text a host holds for a file (a checked file, maybe fixed since); undefined: read it from the disk. */
  textOf(file: string): string | undefined;
  /** Where TypeScript's lib.*.d.ts files are, when not beside the `typescript` module (a bundle). */
  readonly libDirectory?: string;
  /** Files read from the disk, parsed once for all the programs of a run. */
  readonly shared?: SharedSourceFiles;
}

/**
 * Declaration files read from the disk (TypeScript's lib files, `@types`,
 * libraries' types) parsed once and shared by every program whose options
 * parse and bind them alike, as tsserver's document registry shares them
 * between projects: in a monorepo, each package's program would parse
 * lib.dom.d.ts again otherwise. (Only declaration files: other files are
 * rarely in two programs, and keeping them would only hold memory.)
 */
export class SharedSourceFiles {
  private readonly registry: ts.DocumentRegistry;
  /** A bucket of files per settings key, least recently used first. */
  private readonly buckets = new Map<string, Map<string, ts.SourceFile>>();

  constructor(ts: TypeScript) {
    this.registry = ts.createDocumentRegistry();
  }

  /**
   * The files shared by programs with these options, keyed by `fileKey`.
   * Only the last settings' bucket is kept: a run builds one program after
   * another, and a monorepo's packages mostly share their settings (keeping
   * more cost a third more memory on node_modules' many little projects and
   * saved no time there).
   */
  bucketFor(options: ts.CompilerOptions): Map<string, ts.SourceFile> {
    const key = String(this.registry.getKeyForCompilationSettings(options));
    let bucket = this.buckets.get(key);
    if (bucket) this.buckets.delete(key);
    else bucket = new Map();
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_SHARED_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    return bucket;
  }
}

/** How a file is parsed besides the settings: its name and language version (or module format). */
function fileKey(fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions): string {
  const parse = typeof languageVersion === 'object' ? `${languageVersion.languageVersion}/${languageVersion.impliedNodeFormat}/${languageVersion.jsDocParsingMode}` : String(languageVersion);
  return `${parse}\0${fileName}`;
}

/**
 * A program of one configuration for some of its files (`rootNames`: the
 * files being checked and the configuration's declaration files; the rest
 * comes in through imports, so checking one file does not load the whole
 * project). Built on first use; a changed text (a fix) makes the next use
 * rebuild it from the old one, reusing every unchanged file.
 */
export class TsProgram {
  private program: ts.Program | undefined;
  private checker: ts.TypeChecker | undefined;
  /** A text changed since the program was built. */
  private stale = false;
  private readonly overrides = new Map<string, string>();
  private readonly sourceFiles = new Map<string, ts.SourceFile>();
  /** Files the parser could not read (nested too deeply): the program holds an empty file in their place. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly ts: TypeScript,
    readonly config: TsConfig,
    private readonly rootNames: readonly string[],
    private readonly files: ProgramFiles,
  ) {}

  /** The file as the program parsed it, and its type checker; undefined if the program does not hold it. */
  fileOf(file: string): { sourceFile: ts.SourceFile; checker: ts.TypeChecker } | undefined {
    if (!this.program || this.stale) {
      this.program = this.build(this.program);
      this.checker = undefined;
      this.stale = false;
    }
    const sourceFile = this.program.getSourceFile(file);
    if (!sourceFile || this.refused.has(file)) return undefined;
    this.checker ??= this.program.getTypeChecker();
    return { sourceFile, checker: this.checker };
  }

  /** The text of a file changed (fixed, or changed on disk and read again): the next `fileOf` sees the new text. */
  setText(file: string, text: string): void {
    const current = this.sourceFiles.get(file);
    if (current?.text === text) return;
    this.overrides.set(file, text);
    this.sourceFiles.delete(file);
    this.stale = true;
  }

  private build(oldProgram: ts.Program | undefined): ts.Program {
    const { ts, config, files } = this;
    const host = ts.createCompilerHost(config.options, true);
    // As tsc does: JSDoc is parsed in JS files (their types) but not in TS and declaration files, where no rule
    // reads it and types do not depend on it. lib.dom.d.ts is full of it: `check` on rxjs or date-fns takes 5–7 % less CPU time.
    host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
    host.readFile = (file) => this.overrides.get(file) ?? files.textOf(file) ?? readText(file, MAX_PROGRAM_FILE_SIZE);
    host.fileExists = isRegularFile;
    const libDirectory = files.libDirectory;
    if (libDirectory) {
      host.getDefaultLibLocation = () => libDirectory;
      host.getDefaultLibFileName = (options) => path.join(libDirectory, ts.getDefaultLibFileName(options));
    }
    // The same SourceFile object for an unchanged file lets a rebuilt program reuse it.
    const parse = host.getSourceFile.bind(host);
    const bucket = files.shared?.bucketFor(config.options);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const cached = this.sourceFiles.get(fileName);
      if (cached) return cached;
      const sharable = bucket && DECLARATION_FILE.test(fileName) && !this.overrides.has(fileName) && files.textOf(fileName) === undefined;
      const key = sharable ? fileKey(fileName, languageVersion) : undefined;
      let parsed: ts.SourceFile | undefined;
      try {
        parsed = (key && bucket?.get(key)) || parse(fileName, languageVersion, onError, shouldCreate);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        // Nested too deeply to parse: the rest of the program keeps its types without it.
        this.refused.add(fileName);
        parsed = ts.createSourceFile(fileName, '', languageVersion, true);
      }
      if (parsed) {
        this.sourceFiles.set(fileName, parsed);
        if (key) bucket?.set(key, parsed);
      }
      return parsed;
    };
    return ts.createProgram({ rootNames: this.rootNames, options: config.options, host, ...(oldProgram ? { oldProgram } : {}) });
  }
}

/** A file's text the way TypeScript decodes it (a UTF-8 or UTF-16 byte order mark), or undefined when it cannot be read safely. */
function readText(file: string, maxBytes: number): string | undefined {
  const read = readFileBytes(file, maxBytes);
  return read.ok ? decodeText(read.bytes) : undefined;
}

function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2))).swap16().toString('utf16le');
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('utf8');
}

function describeDiagnostic(ts: TypeScript, diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${line + 1}:${character + 1}: ${message}`;
}
