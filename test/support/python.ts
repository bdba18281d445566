import { execFileSync } from 'node:child_process';
import { CATALOG } from '../../src/catalog';
import type { PythonRule } from '../../src/python/rule';
import { analyzePython, type PythonAnalysisInput } from '../../src/python/analyze';
import { loadPythonParser, parsePython } from '../../src/python/parser';
import type { LintSettings } from '../../src/engine/config';
import type { Finding } from '../../src/engine/types';

export async function ready(): Promise<void> {
  await loadPythonParser();
}

/** Lints `text` with only `code` enabled (or the given settings). */
export function lint(text: string, code?: string, extra: Partial<PythonAnalysisInput> & { settings?: LintSettings } = {}): Finding[] {
  const settings: LintSettings = { ...(code ? { select: [code] } : {}), ...extra.settings };
  const result = analyzePython({ ...extra, text, settings });
  if (result.errors.length > 0) throw new Error(`internal rule errors: ${JSON.stringify(result.errors)}`);
  return result.findings;
}

/** Number of ERROR / MISSING nodes tree-sitter finds in `text`. */
export function syntaxErrorCount(text: string): number {
  const tree = parsePython(text);
  try {
    let count = 0;
    const cursor = tree.walk();
    for (;;) {
      if (cursor.nodeType === 'ERROR' || cursor.currentNode.isMissing) count++;
      if (cursor.gotoFirstChild()) continue;
      let more = true;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          more = false;
          break;
        }
      }
      if (!more) break;
    }
    cursor.delete();
    return count;
  } finally {
    tree.delete();
  }
}

let python: string | null | undefined;

/** The `python3` on PATH, or null when there is none. */
export function pythonExecutable(): string | null {
  if (python === undefined) {
    python = null;
    for (const candidate of ['python3', 'python']) {
      try {
        execFileSync(candidate, ['-c', 'pass'], { stdio: 'ignore', timeout: 10_000 });
        python = candidate;
        break;
      } catch {
        // try the next name
      }
    }
  }
  return python;
}

/**
 * Compiles each source with the real CPython (`compile(..., 'exec')`) and
 * returns the SyntaxError message for each, or null when it compiles.
 */
export function cpythonCompileErrors(sources: readonly string[]): (string | null)[] {
  const executable = pythonExecutable();
  if (!executable) throw new Error('python3 is not on PATH');
  const script = [
    'import json, sys',
    'out = []',
    'for src in json.load(sys.stdin):',
    '    try:',
    '        compile(src, "<fixed>", "exec", dont_inherit=True)',
    '        out.append(None)',
    '    except SyntaxError as e:',
    '        out.append(f"{e.msg} (line {e.lineno})")',
    'print(json.dumps(out))',
  ].join('\n');
  const output = execFileSync(executable, ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(output) as (string | null)[];
}

/**
 * A rule for tests that inject one (a rule that throws, say): the identity of
 * a catalog code, no messages, and the given handlers.
 */
export function testRule(code: string, create: PythonRule['create']): PythonRule {
  const entry = CATALOG.entry(code);
  if (!entry) throw new Error(`${code} is not in the catalog`);
  return {
    meta: {
      code, name: entry.name, language: 'python', defaultSeverity: entry.defaultSeverity, summary: entry.summary,
      messages: { found: 'found by a test rule' }, fix: { availability: 'never', safety: [], titles: {} },
    },
    create,
  };
}
