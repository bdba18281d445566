/*
 * The extension host's side of the instrumenter worker (transform-worker.ts):
 * started on the first JS/TS run, kept for the next ones, replaced if it dies.
 */

import { Worker } from 'node:worker_threads';
import type { TransformedSnippet } from './transform';

export interface TransformRequest {
  readonly id: number;
  readonly source: string;
  readonly runtimeUrl: string;
  readonly fileName: string;
}
export type TransformReply = { readonly id: number; readonly result: TransformedSnippet } | { readonly id: number; readonly error: string };

export class SnippetTransformer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: TransformedSnippet) => void; reject: (error: Error) => void }>();

  /** @param workerScript dist/transform-worker.js */
  constructor(private readonly workerScript: string) {}

  transform(source: string, runtimeUrl: string, fileName: string): Promise<TransformedSnippet> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, source, runtimeUrl, fileName } satisfies TransformRequest);
    });
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
      else waiting.resolve(reply.result);
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
