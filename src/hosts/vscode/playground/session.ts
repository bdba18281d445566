/*
 * Runs the playground's snippets: one group at a time (a single run, or the
 * two snippets of a comparison, one after the other so neither disturbs the
 * other's timings). Starting a group stops the previous one; Stop and
 * disposing kill the run's whole process tree (or terminate Pyodide's worker).
 * Everything a group sends the webview is also kept, so a webview that was
 * hidden (and so discarded) or reloaded is brought up to date by a replay.
 */

import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { TraceEvent } from '../../../playground/events';
import type { SnippetTransformer } from '../../../playground/js/transformer';
import { PyodideHost } from '../../../playground/pyodide/host';
import type { HostMessage, PlaygroundLanguage, RunEnd } from '../../../playground/protocol';
import { runPython, runTransformed, type RunResult, type TracedRun } from '../../../playground/run';
import { readPlaygroundSettings } from './settings';
import type { Runtime, Runtimes } from './runtimes';

export interface Snippet {
  readonly title: string;
  readonly code: string;
  readonly language: PlaygroundLanguage;
  /** The editor document it came from; its lines are the snippet's lines plus `lineOffset`. */
  readonly document: vscode.Uri;
  readonly lineOffset: number;
  /** The lines run, when only a selection was (Re-run runs the same lines). */
  readonly selection?: vscode.Range;
}

export interface FinishedRun {
  readonly runId: string;
  readonly snippet: Snippet;
  readonly runtime: Runtime['kind'] | undefined;
  readonly end: RunEnd;
  readonly milliseconds: number;
  readonly events: readonly TraceEvent[];
  readonly message: string | undefined;
}

/** Prefixes run ids, so ids never repeat across extension-host restarts. */
const SESSION = randomUUID().slice(0, 8);

/** Messages kept per group for a replay; past this, later event batches are not kept (the live view had them; a replay shows the first ones). */
const MAX_REPLAY_EVENTS = 50_000;

interface Group {
  readonly id: string;
  readonly snippets: readonly Snippet[];
  readonly runs: Map<string, Snippet>;
  readonly messages: HostMessage[];
  events: number;
  current: TracedRun | undefined;
  cancelled: boolean;
}

export class PlaygroundSession implements vscode.Disposable {
  private group: Group | undefined;
  private nextId = 1;
  private pyodide: PyodideHost | undefined;
  private readonly finished = new vscode.EventEmitter<readonly FinishedRun[]>();
  private readonly runningChanged = new vscode.EventEmitter<boolean>();
  private readonly received = new vscode.EventEmitter<readonly TraceEvent[]>();
  /** Each batch of events of the current run, as it arrives. */
  readonly onDidReceiveEvents = this.received.event;
  /** Fires with each group's runs when the group is over (stopped or not). */
  readonly onDidFinish = this.finished.event;
  readonly onDidChangeRunning = this.runningChanged.event;

  constructor(
    private readonly extensionPath: string,
    private readonly storagePath: string,
    private readonly runtimes: Runtimes,
    private readonly transformer: SnippetTransformer,
    private readonly log: vscode.LogOutputChannel,
    private readonly post: (message: HostMessage) => void,
  ) {}

  get running(): boolean {
    return this.group !== undefined && !this.group.cancelled && this.group.current !== undefined;
  }

  /** The last group's snippets (what Re-run runs again). */
  get lastSnippets(): readonly Snippet[] | undefined {
    return this.group?.snippets;
  }

  /** Which snippet (and so which document) a run id belongs to. */
  snippetOf(runId: string): Snippet | undefined {
    return this.group?.runs.get(runId);
  }

  /** The current group's messages, for a webview that lost them. */
  replay(): readonly HostMessage[] {
    return this.group?.messages ?? [];
  }

  /** Starts the Pyodide worker loading early (when the panel opens and no CPython exists). */
  warmPyodide(): void {
    void this.pyodideHost().warm().catch((error: unknown) => this.log.warn(`playground: Pyodide failed to load: ${String(error)}`));
  }

  async run(snippets: readonly Snippet[]): Promise<readonly FinishedRun[]> {
    this.stop();
    // Unique across reloads too: a revived webview still shows the last session's groups.
    const group: Group = { id: `${SESSION}-g${this.nextId++}`, snippets, runs: new Map(), messages: [], events: 0, current: undefined, cancelled: false };
    this.group = group;
    this.runningChanged.fire(true);
    const finished: FinishedRun[] = [];
    try {
      for (const [position, snippet] of snippets.entries()) {
        if (group.cancelled) break;
        try {
        finished.push(await this.runOne(group, snippet, position));
      } catch (error) {
        // A temp folder that cannot be made, a spawn that throws: the run says why, the group goes on.
        const message = `The run could not start: ${error instanceof Error ? error.message : String(error)}`;
        this.log.error(`playground: ${message}`);
        const runId = `${group.id}-${position + 1}`;
        this.send(group, { type: 'runEnded', runId, end: 'failed-to-start', milliseconds: 0, exitCode: null, message });
        finished.push({ runId, snippet, runtime: undefined, end: 'failed-to-start', milliseconds: 0, events: [], message });
      } finally {
        group.current = undefined;
      }
      }
    } finally {
      // A group replaced by a newer one has nothing more to say.
      if (this.group === group) {
        this.runningChanged.fire(false);
        this.finished.fire(finished);
      }
    }
    return finished;
  }

  stop(): void {
    const group = this.group;
    if (!group || group.cancelled) return;
    group.cancelled = true;
    group.current?.stop();
  }

  /** Gives Pyodide's worker and its memory back (the panel closed); the next Python run on Pyodide loads it again. */
  releasePyodide(): void {
    this.pyodide?.dispose();
    this.pyodide = undefined;
  }

  dispose(): void {
    // Pyodide first: stopping its run would otherwise start a fresh worker only to end it.
    this.releasePyodide();
    this.stop();
    this.finished.dispose();
    this.runningChanged.dispose();
    this.received.dispose();
  }

  private send(group: Group, message: HostMessage): void {
    if (message.type === 'events') {
      group.events += message.events.length;
      if (group.events <= MAX_REPLAY_EVENTS) group.messages.push(message);
    } else {
      group.messages.push(message);
    }
    if (this.group === group) this.post(message);
  }

  private async runOne(group: Group, snippet: Snippet, position: number): Promise<FinishedRun> {
    const runId = `${group.id}-${position + 1}`;
    group.runs.set(runId, snippet);
    const settings = readPlaygroundSettings();
    if (settings.problems.length > 0) this.log.warn(`playground: ${settings.problems.join('; ')}`);
    const limits = {
      timeLimitMs: settings.timeLimitMs,
      maxEvents: settings.maxEvents,
      memoryLimitMb: settings.memoryLimitMb,
      onEvents: (events: readonly TraceEvent[]) => {
        this.send(group, { type: 'events', runId, events });
        if (this.group === group) this.received.fire(events);
      },
    };
    const runtime =
      snippet.language === 'python' ? await this.runtimes.python(snippet.document, settings.python) : await this.runtimes.node();
    const kind = 'kind' in runtime ? runtime.kind : undefined;
    this.send(group, {
      type: 'runStarted',
      runId,
      group: group.id,
      position,
      groupSize: group.snippets.length,
      title: snippet.title,
      language: snippet.language,
      runtime: 'kind' in runtime ? { kind: runtime.kind, label: runtime.label } : { kind: 'cpython', label: 'no Python found' },
      source: snippet.code,
    });
    const ended = (result: Pick<RunResult, 'end' | 'milliseconds' | 'exitCode' | 'events'> & Partial<Pick<RunResult, 'reason' | 'warnings'>>, message: string | undefined): FinishedRun => {
      const reason = result.reason ?? result.end;
      this.send(group, { type: 'runEnded', runId, end: result.end, reason, milliseconds: result.milliseconds, exitCode: result.exitCode, ...(message ? { message } : {}) });
      this.log.info(`playground: ${snippet.title} (${kind ?? 'not run'}) ended: ${reason} after ${result.milliseconds} ms, ${result.events.length} events`);
      for (const warning of result.warnings ?? []) this.log.warn(`playground: ${warning}`);
      return { runId, snippet, runtime: kind, end: result.end, milliseconds: result.milliseconds, events: result.events, message };
    };
    if (!('kind' in runtime)) return ended({ end: 'failed-to-start', milliseconds: 0, exitCode: null, events: [] }, runtime.problem);

    const started = Date.now();
    let run: TracedRun;
    if (runtime.kind === 'pyodide') {
      run = this.pyodideHost().run({ code: snippet.code, ...limits });
    } else if (runtime.kind === 'cpython') {
      run = runPython({ code: snippet.code, python: runtime.command!, tracer: this.dist('tracer.py'), ...limits });
    } else {
      const fileName = snippet.language === 'typescript' ? 'snippet.ts' : 'snippet.js';
      let transformed;
      try {
        transformed = await this.transformer.transform(snippet.code, pathToFileURL(this.dist('runtime.mjs')).href, fileName);
      } catch (error) {
        return ended({ end: 'failed-to-start', milliseconds: Date.now() - started, exitCode: null, events: [] }, `The snippet could not be instrumented: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (group.cancelled) return ended({ end: 'stopped', milliseconds: Date.now() - started, exitCode: null, events: [] }, undefined);
      run = runTransformed(transformed, { node: runtime.command, env: runtime.env ?? {}, ...limits });
    }
    group.current = run;
    if (group.cancelled) run.stop();
    const result = await run.done;
    return ended(result, explain(result, runtime));
  }

  private dist(file: string): string {
    return path.join(this.extensionPath, 'dist', file);
  }

  private pyodideHost(): PyodideHost {
    this.pyodide ??= new PyodideHost({
      workerScript: this.dist('pyodide-worker.js'),
      pyodideFolder: this.dist('pyodide'),
      tracer: this.dist('tracer.py'),
      cacheFolder: path.join(this.storagePath, 'pyodide-cache'),
      onProgress: (message, done) => this.post({ type: 'progress', message, ...(done ? { done } : {}) }),
    });
    return this.pyodide;
  }
}

/** Why a run ended, in words, when it needs saying: what happened, the setting behind it, and what the user can do. */
function explain(result: RunResult, runtime: Runtime): string | undefined {
  const leftovers = result.warnings.length > 0 ? `\n${result.warnings.join('\n')}` : '';
  const message = explainEnd(result, runtime);
  return message || leftovers ? `${message ?? ''}${leftovers}`.trim() : undefined;
}

function explainEnd(result: RunResult, runtime: Runtime): string | undefined {
  switch (result.end) {
    case 'timeout':
      return `Stopped: ${result.reason}, set by asyncLens.playground.timeLimit. An endless loop? Raise the limit if the snippet needs longer.`;
    case 'event-cap':
      return `Stopped: ${result.reason}, set by asyncLens.playground.maxEvents. An endless async generator? Break out of it, or raise the limit.`;
    case 'output-cap':
      return `Stopped: ${result.reason}. The snippet printed more than the playground keeps.`;
    case 'memory-limit':
      return `Stopped: ${result.reason}, set by asyncLens.playground.memoryLimit. Raise the limit if the snippet really needs more.`;
    case 'killed':
      return `The snippet's process was ${result.reason}: it crashed, or something outside the playground ended it.`;
    case 'stopped':
      return 'Stopped.';
    case 'failed-to-start':
      return `${runtime.label} could not be started: ${result.stderr.trim() || 'unknown error'}`;
    case 'exited': {
      // The tracer reports the snippet's errors itself; stderr here means the interpreter failed before or around it.
      const crash = result.stderr.trim();
      if (!crash) return undefined;
      return `${runtime.label} wrote to stderr outside the snippet:\n${crash.split('\n').slice(-12).join('\n')}`;
    }
  }
}
