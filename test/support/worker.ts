import * as path from 'node:path';
import { AnalysisClient, type AnalysisClientOptions, type AnalysisLog } from '../../src/hosts/vscode/client';
import type { AnalyzeResponse, EditorSettings, FromWorker, ToWorker } from '../../src/hosts/vscode/worker/protocol';

export const WORKER_FILE = path.join(__dirname, '..', '..', 'dist', 'analysis-worker.js');

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { severity: {}, knownAsyncIterables: [], usePyprojectToml: true };

/** `Omit` over each member of a union (plain `Omit` would keep only the members' common keys). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** What the client logged, for tests that check how a worker ended. */
export class MemoryLog implements AnalysisLog {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info: ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
}

/**
 * The extension's analysis worker, started by the extension's own client
 * (the built bundle in a child process), with the typed protocol.
 */
export class WorkerClient {
  readonly log = new MemoryLog();
  readonly client: AnalysisClient;
  private readonly noticeListeners: ((message: FromWorker) => void)[] = [];

  constructor(options: Omit<AnalysisClientOptions, 'onOthersStale'> = {}) {
    this.client = new AnalysisClient(WORKER_FILE, this.log, {
      ...options,
      onOthersStale: () => {
        for (const listener of this.noticeListeners) listener({ type: 'othersStale' });
      },
    });
  }

  onNotice(listener: (message: FromWorker) => void): void {
    this.noticeListeners.push(listener);
  }

  send(message: Extract<ToWorker, { type: 'close' | 'invalidate' }>): void {
    this.client.notify(message);
  }

  request<T extends FromWorker>(message: WithoutId<Extract<ToWorker, { id: number }>>): Promise<T> {
    return this.client.request(message) as unknown as Promise<T>;
  }

  analyze(text: string, file: string | undefined, extra: Partial<Omit<Extract<ToWorker, { type: 'analyze' }>, 'id'>> = {}): Promise<AnalyzeResponse> {
    return this.client.request({ type: 'analyze', uri: extra.uri ?? `file://${file ?? '/untitled'}`, language: 'python', languageId: 'python', path: file, version: 1, text, changes: undefined, settings: DEFAULT_EDITOR_SETTINGS, notebookCell: false, ...extra });
  }

  terminate(): void {
    this.client.dispose();
  }
}
