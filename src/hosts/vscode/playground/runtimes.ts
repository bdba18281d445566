/*
 * Which program runs a snippet. Python: the interpreter the Python extension
 * has selected (through its API, when it is installed), else `python3` /
 * `python` on PATH, else Pyodide (bundled, no install needed). JS/TS: `node`
 * on PATH, else the editor's own runtime (Electron run as Node). Each
 * candidate is probed once (bounded in time) and remembered until the
 * selection or the settings change.
 */

import { execFile } from 'node:child_process';
import { PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import type { RuntimeKind } from '../../../playground/protocol';

export interface Runtime {
  readonly kind: RuntimeKind;
  /** What the panel shows, e.g. "CPython 3.11.7 (/usr/bin/python3)". */
  readonly label: string;
  /** The executable (not for Pyodide). */
  readonly command?: string;
  readonly env?: Record<string, string>;
}

export type PythonRuntimeSetting = 'auto' | 'cpython' | 'pyodide';

/** Oldest Python the tracer supports (top-level `await` compile flag, `ast` locations). */
const MINIMUM_PYTHON: readonly [number, number] = [3, 8];
const PROBE_TIMEOUT_MS = 5000;

interface Probe {
  readonly version: string;
  readonly ok: boolean;
}

export class Runtimes implements vscode.Disposable {
  private readonly probes = new Map<string, Promise<Probe | undefined>>();
  private readonly disposables: vscode.Disposable[] = [];
  private pythonApi: Promise<PythonExtension | undefined> | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /**
   * The runtime for a Python snippet, or why there is none. `pyodide` is
   * returned when no CPython is found and the setting allows it.
   */
  async python(resource: vscode.Uri | undefined, setting: PythonRuntimeSetting): Promise<Runtime | { readonly problem: string }> {
    if (setting === 'pyodide') return PYODIDE;
    const tried: string[] = [];
    const selected = await this.selectedInterpreter(resource);
    const candidates = [...(selected ? [selected] : []), 'python3', 'python'];
    for (const command of candidates) {
      const probe = await this.probe(command);
      if (probe?.ok) return { kind: 'cpython', label: `CPython ${probe.version} (${command})`, command };
      tried.push(probe ? `${command} is Python ${probe.version}, older than ${MINIMUM_PYTHON.join('.')}` : `${command} did not start`);
    }
    if (setting === 'auto') {
      this.log.info(`playground: no usable CPython (${tried.join('; ')}); using Pyodide`);
      return PYODIDE;
    }
    return { problem: `No Python ${MINIMUM_PYTHON.join('.')}+ was found (${tried.join('; ')}). Select an interpreter with the Python extension, or set asyncLens.playground.python to "pyodide".` };
  }

  /** The runtime for a JS/TS snippet: `node` on PATH, else the editor's own. */
  async node(): Promise<Runtime> {
    const probe = await this.probe('node', ['--version']);
    if (probe?.ok) return { kind: 'node', label: `Node ${probe.version} (node)`, command: 'node' };
    // The extension host's own executable: Node itself, or Electron told to behave as Node.
    const electron = process.versions.electron !== undefined;
    return {
      kind: 'node',
      label: `Node ${process.versions.node} (${electron ? "the editor's runtime" : process.execPath})`,
      command: process.execPath,
      env: electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
    };
  }

  /** Forgets what was probed (the interpreter selection or PATH may have changed). */
  reset(): void {
    this.probes.clear();
  }

  private async selectedInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
    if (!vscode.extensions.getExtension('ms-python.python')) return undefined;
    this.pythonApi ??= PythonExtension.api().then(
      (api) => {
        this.disposables.push(api.environments.onDidChangeActiveEnvironmentPath(() => this.reset()));
        return api;
      },
      (error: unknown) => {
        this.log.warn(`playground: the Python extension's API is not available: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      },
    );
    const api = await this.pythonApi;
    if (!api) return undefined;
    try {
      const environment = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(resource));
      return environment?.executable.uri?.fsPath;
    } catch (error) {
      this.log.warn(`playground: could not resolve the selected Python environment: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private probe(command: string, args = ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])']): Promise<Probe | undefined> {
    let probe = this.probes.get(command);
    if (!probe) {
      probe = new Promise((resolve) => {
        execFile(command, args, { timeout: PROBE_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 4096, windowsHide: true }, (error, stdout) => {
          if (error) {
            resolve(undefined);
            return;
          }
          const version = stdout.trim().replace(/^v/, '');
          const [major = 0, minor = 0] = version.split('.').map(Number);
          const ok = args[0] === '--version' ? major >= 18 : major > MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor >= MINIMUM_PYTHON[1]);
          resolve({ version, ok });
        });
      });
      this.probes.set(command, probe);
    }
    return probe;
  }
}

const PYODIDE: Runtime = { kind: 'pyodide', label: 'Pyodide (Python in WebAssembly, bundled)' };
