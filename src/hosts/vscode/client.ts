import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import {
  isFromWorker,
  type AnalyzeRequest,
  type AnalyzeResponse,
  type FixAllRequest,
  type FixAllResponse,
  type FromWorker,
  type RunnableRequest,
  type RunnableResponse,
  type ToWorker,
} from './protocol';

type Request = Omit<AnalyzeRequest, 'id'> | Omit<FixAllRequest, 'id'> | Omit<RunnableRequest, 'id'>;
type ResponseTo<R> = R extends { type: 'analyze' } ? AnalyzeResponse : R extends { type: 'fixAll' } ? FixAllResponse : RunnableResponse;

interface Pending {
  readonly uri: string;
  readonly resolve: (response: FromWorker) => void;
  readonly reject: (error: Error) => void;
  /** Set once the worker starts on the request: queueing behind other requests does not count. */
  timer: NodeJS.Timeout | undefined;
}

/** The request failed because the worker was replaced (another request was stuck, or it crashed), not because of its own document. */
export class WorkerReplacedError extends Error {}

/** How long one request may take before the worker is considered stuck and replaced. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Crashes within a minute after which the worker is not restarted again. */
const MAX_RESTARTS = 5;

/**
 * Talks to the analysis worker (`dist/analysis-worker.js`), started on the
 * first request. A request that takes too long (a rule stuck in a loop, a
 * pathological file) terminates the worker; the next request starts a new one.
 */
export class AnalysisClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private crashes: number[] = [];
  private disposed = false;

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    /** Called when a closed document's unsaved text stops shadowing its file. */
    private readonly onOthersStale: () => void = () => undefined,
  ) {}

  request<R extends Request>(request: R): Promise<ResponseTo<R>> {
    if (this.disposed) return Promise.reject(new Error('Async Lens is shutting down'));
    const worker = this.ensureWorker();
    if (!worker) return Promise.reject(new Error('the analysis worker crashed repeatedly and was not restarted; see the Async Lens log'));
    const id = this.nextId++;
    return new Promise<ResponseTo<R>>((resolve, reject) => {
      this.pending.set(id, { uri: request.uri, resolve: resolve as (response: FromWorker) => void, reject, timer: undefined });
      worker.postMessage({ ...request, id } satisfies ToWorker);
    });
  }

  /** A notice that needs no answer; dropped when no worker runs (it would know nothing to forget). */
  notify(message: Extract<ToWorker, { type: 'close' | 'invalidate' }>): void {
    this.worker?.postMessage(message);
  }

  dispose(): void {
    this.disposed = true;
    this.replaceWorker(new Error('Async Lens is shutting down'));
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    const now = Date.now();
    this.crashes = this.crashes.filter((time) => now - time < 60_000);
    if (this.crashes.length >= MAX_RESTARTS) return undefined;
    const file = path.join(this.extensionPath, 'dist', 'analysis-worker.js');
    const worker = new Worker(file, { name: 'async-lens-analysis' });
    this.log.info(`analysis worker starting (${file})`);
    worker.on('message', (message: unknown) => this.receive(message));
    worker.on('error', (error) => {
      this.log.error(`analysis worker failed: ${error.stack ?? error.message}`);
      if (this.worker === worker) {
        this.crashes.push(Date.now());
        this.replaceWorker(new WorkerReplacedError(`the analysis worker failed: ${error.message}`));
      }
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.log.warn(`analysis worker exited with code ${code}`);
      this.crashes.push(Date.now());
      this.replaceWorker(new WorkerReplacedError(`the analysis worker exited with code ${code}`));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private receive(message: unknown): void {
    if (!isFromWorker(message)) {
      this.log.error(`unexpected message from the analysis worker: ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    if (message.type === 'ready') {
      this.log.info(`analysis worker ready: Python parser loaded in ${message.milliseconds.toFixed(0)} ms`);
      return;
    }
    if (message.type === 'othersStale') {
      this.onOthersStale();
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'started') {
      const stuck = pending;
      pending.timer = setTimeout(() => {
        this.log.error(`analysis of ${stuck.uri} took more than ${REQUEST_TIMEOUT_MS / 1000} s; restarting the analysis worker`);
        this.pending.delete(message.id);
        stuck.reject(new Error(`analysis timed out after ${REQUEST_TIMEOUT_MS / 1000} s`));
        this.replaceWorker(new WorkerReplacedError('the analysis worker was restarted'));
      }, REQUEST_TIMEOUT_MS);
      return;
    }
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'failed') pending.reject(new Error(message.message));
    else pending.resolve(message);
  }

  private replaceWorker(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.pending.clear();
    void worker?.terminate();
  }
}
