/*
 * The playground's JS/TS instrumenter in a worker thread. It carries the
 * TypeScript compiler (megabytes of JavaScript, ~150 ms to load), so loading
 * and transforming never hold up the extension host.
 */

import { parentPort } from 'node:worker_threads';
import { runnableLinesOf, transformSnippet } from './transform';
import type { TransformReply, TransformRequest } from './transformer';

parentPort!.on('message', (request: TransformRequest) => {
  let reply: TransformReply;
  try {
    reply =
      request.kind === 'lines'
        ? { id: request.id, lines: runnableLinesOf(request.source, request.fileName) }
        : { id: request.id, result: transformSnippet(request.source, request.runtimeUrl, request.fileName) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
