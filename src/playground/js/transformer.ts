/*
 * The extension host's side of the instrumenter worker (transform-worker.ts):
 * started on the first JS/TS run, kept for the next ones, replaced if it dies.
 */

import { Worker } from 'node:worker_threads';
import type { TransformedSnippet } from './transform';

export interface TransformRequest {
  readonly id: number;
  /** `transform`: instrument for a run; `lines`: where the source iterates asynchronously (the code lens). */
  readonly kind: 'transform' | 'lines';
  readonly source: string;
  readonly runtimeUrl: string;
  readonly fileName: string;
}
export type TransformReply =
  | { readonly id: number; readonly result: TransformedSnippet }
  | { readonly id: number; readonly lines: number[] }
  | { readonly id: number; readonly error: string };

const REQUEST_TIMEOUT_MS = 20_000;

export class SnippetTransformer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: TransformReply) => void; reject: (error: Error) => void }>();

  /** @param workerScript dist/transform-worker.js */
  constructor(private readonly workerScript: string) {}

  async transform(source: string, runtimeUrl: string, fileName: string): Promise<TransformedSnippet> {
    const reply = await this.request({ kind: 'transform', source, runtimeUrl, fileName });
    if ('result' in reply) return reply.result;
    throw new Error('the instrumenter answered the wrong question');
  }

  /** Starts the worker and loads TypeScript now (the panel opened: a JS/TS run may follow). */
  warm(): void {
    this.runnableLines('', 'warm.ts').catch(() => undefined);
  }

  /** 0-based lines of `for await` loops and async generators. */
  async runnableLines(source: string, fileName: string): Promise<number[]> {
    const reply = await this.request({ kind: 'lines', source, runtimeUrl: '', fileName });
    if ('lines' in reply) return reply.lines;
    throw new Error('the instrumenter answered the wrong question');
  }

  private request(request: Omit<TransformRequest, 'id'>): Promise<TransformReply> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // A transform that hangs (a pathological source) must not hold the playground for good.
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        reject(new Error(`TypeScript took more than ${REQUEST_TIMEOUT_MS / 1000} s on this snippet`));
        this.restart();
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      worker.postMessage({ ...request, id } satisfies TransformRequest);
    });
  }

  /** A fresh worker for the next request; whatever the old one had pending fails. */
  private restart(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.fail(new Error('The TypeScript instrumenter was restarted.'));
  }

  dispose(): void {
    void this.worker?.terminate();
    this.fail(new Error('The TypeScript instrumenter was stopped.'));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript);
    worker.unref();
    worker.on('message', (reply: TransformReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply);
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The TypeScript instrumenter exited (${code}).`)));
    this.worker = worker;
    return worker;
  }

  private fail(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
