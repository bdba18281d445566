import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalyzeResponse, EditorSettings, FromWorker, ToWorker } from '../../src/hosts/vscode/protocol';

const WORKER = path.join(__dirname, '..', '..', 'dist', 'analysis-worker.js');

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { severity: {}, knownAsyncIterables: [], usePyprojectToml: true };

/** `Omit` over each member of a union (plain `Omit` would keep only the members' common keys). */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The extension's analysis worker, as the extension starts it (the built bundle), driven through its typed protocol. */
export class WorkerClient {
  private readonly worker = new Worker(WORKER);
  private readonly waiting = new Map<number, (message: FromWorker) => void>();
  private nextId = 1;

  private readonly noticeListeners: ((message: FromWorker) => void)[] = [];

  constructor() {
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready' || message.type === 'started') return;
      if (message.type === 'othersStale') {
        for (const listener of this.noticeListeners) listener(message);
        return;
      }
      this.waiting.get(message.id)?.(message);
    });
  }

  onNotice(listener: (message: FromWorker) => void): void {
    this.noticeListeners.push(listener);
  }

  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  request<T extends FromWorker>(message: WithoutId<Extract<ToWorker, { id: number }>>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.waiting.set(id, (response) => resolve(response as T));
      this.worker.postMessage({ ...message, id });
    });
  }

  analyze(text: string, file: string | undefined, extra: Partial<Extract<ToWorker, { type: 'analyze' }>> = {}): Promise<AnalyzeResponse> {
    return this.request({ type: 'analyze', uri: extra.uri ?? `file://${file ?? '/untitled'}`, path: file, version: 1, text, changes: undefined, settings: DEFAULT_EDITOR_SETTINGS, notebookCell: false, ...extra });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
