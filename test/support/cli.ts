import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function newestSourceTime(directory: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/cli.js when it is missing or older than the sources (`npm test` builds first; plain `npx mocha` may not have). */
export function ensureCliBuilt(): void {
  ensureBuilt(CLI);
}

/** Builds dist/ when `bundle` (one of its files) is missing or older than the sources. */
export function ensureBuilt(bundle: string): void {
  const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
  const inputs = Math.max(newestSourceTime(path.join(ROOT, 'src')), ...['esbuild.js', 'package.json'].map((file) => fs.statSync(path.join(ROOT, file)).mtimeMs));
  if (built >= inputs) return;
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'pipe' });
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would, in `cwd`. */
export function runCli(args: readonly string[], cwd: string): CliRun {
  return spawnCli([process.execPath, CLI, ...args], cwd);
}

function spawnCli([command, ...args]: readonly string[], cwd: string): CliRun {
  const result = spawnSync(command!, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the CLI as an unprivileged user, for permission tests: as is when not
 * root; as root, through `runuser -u nobody`. Undefined when that cannot work
 * here (no runuser, no such user, or the CLI is not readable by it).
 */
export function runCliUnprivileged(args: readonly string[], cwd: string): CliRun | undefined {
  if (!isRoot) return runCli(args, cwd);
  const asNobody = (rest: readonly string[]) => ['runuser', '-u', 'nobody', '--', process.execPath, CLI, ...rest];
  try {
    if (spawnCli(asNobody(['--version']), cwd).status !== 0) return undefined;
  } catch {
    return undefined;
  }
  return spawnCli(asNobody(args), cwd);
}

/**
 * Temporary project directories, written from a map of relative path to
 * content, and removed again by `cleanup()`.
 */
export class TempProjects {
  private readonly made: string[] = [];

  make(files: Readonly<Record<string, string | Buffer>>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-cli-'));
    this.made.push(root);
    for (const [relative, content] of Object.entries(files)) {
      const file = path.join(root, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    return root;
  }

  cleanup(): void {
    for (const root of this.made.splice(0)) {
      restorePermissions(root);
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
}

/** A test may have made something unreadable; make it removable again. */
function restorePermissions(directory: string): void {
  try {
    fs.chmodSync(directory, 0o755);
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) restorePermissions(full);
      else if (entry.isFile()) fs.chmodSync(full, 0o644);
    }
  } catch {
    // rmSync reports anything that really cannot be removed
  }
}

/** One finding of `--format json` (the stable contract). */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  name: string;
  severity: string;
  message: string;
  fixes: { title: string; safety: string; edits: { line: number; column: number; endLine: number; endColumn: number; newText: string }[] }[];
}

export function json(run: CliRun): JsonFinding[] {
  return JSON.parse(run.stdout) as JsonFinding[];
}

export function where(findings: readonly JsonFinding[]): string[] {
  return findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.code}`);
}
