import { fork, type ChildProcess } from 'node:child_process';
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
} from './worker/protocol';

type Request = Omit<AnalyzeRequest, 'id'> | Omit<FixAllRequest, 'id'> | Omit<RunnableRequest, 'id'>;
type ResponseTo<R> = R extends { type: 'analyze' } ? AnalyzeResponse : R extends { type: 'fixAll' } ? FixAllResponse : RunnableResponse;

/** Where the client says what happens to its worker (VS Code's `LogOutputChannel` is one). */
export interface AnalysisLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface AnalysisClientOptions {
  /** How long one request may take before the worker is considered stuck, killed and replaced. */
  readonly requestTimeoutMs?: number;
  /** The worker's JavaScript heap limit; past it the worker dies and is replaced. */
  readonly memoryLimitMb?: number;
  /** Called when a closed document's unsaved text stops shadowing its file. */
  readonly onOthersStale?: () => void;
}

interface Pending {
  readonly uri: string;
  readonly resolve: (response: FromWorker) => void;
  readonly reject: (error: Error) => void;
  /** Set once the worker starts on the request: queueing behind other requests does not count. */
  timer: NodeJS.Timeout | undefined;
}

/** The request failed because the worker was replaced (another request was stuck, or it crashed), not because of its own document. */
export class WorkerReplacedError extends Error {}

const REQUEST_TIMEOUT_MS = 20_000;
const MEMORY_LIMIT_MB = 2048;
/** Crashes within a minute after which the worker is not restarted again. */
const MAX_RESTARTS = 5;
/** What is kept of the worker's stderr for the log (a crash's message, not a flood). */
const MAX_STDERR = 16_384;

/**
 * Talks to the analysis worker (`dist/analysis-worker.js`), a child process
 * started on the first request. A process, not a thread, so that it can
 * always be killed: a request that takes too long (a rule stuck in a loop, a
 * pathological file), a crash or a heap past its limit ends in SIGKILL, and
 * the next request starts a new worker. The extension host never waits.
 */
export class AnalysisClient {
  private worker: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private crashes: number[] = [];
  private disposed = false;
  private readonly requestTimeoutMs: number;
  private readonly memoryLimitMb: number;

  constructor(private readonly workerFile: string, private readonly log: AnalysisLog, private readonly options: AnalysisClientOptions = {}) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.memoryLimitMb = options.memoryLimitMb ?? MEMORY_LIMIT_MB;
  }

  /** The worker process while one runs (tests check that a stuck worker is really gone). */
  get workerProcess(): ChildProcess | undefined {
    return this.worker;
  }

  request<R extends Request>(request: R): Promise<ResponseTo<R>> {
    if (this.disposed) return Promise.reject(new Error('Async Lens is shutting down'));
    const worker = this.ensureWorker();
    if (!worker) return Promise.reject(new Error('the analysis worker crashed repeatedly and was not restarted; see the Async Lens log'));
    const id = this.nextId++;
    return new Promise<ResponseTo<R>>((resolve, reject) => {
      this.pending.set(id, { uri: request.uri, resolve: resolve as (response: FromWorker) => void, reject, timer: undefined });
      this.updateRef();
      this.send(worker, { ...request, id } as ToWorker);
    });
  }

  /** A notice that needs no answer; dropped when no worker runs (it would know nothing to forget). */
  notify(message: Extract<ToWorker, { type: 'close' | 'invalidate' }>): void {
    if (this.worker) this.send(this.worker, message);
  }

  dispose(): void {
    this.disposed = true;
    this.replaceWorker(new Error('Async Lens is shutting down'));
  }

  private send(worker: ChildProcess, message: ToWorker): void {
    if (!worker.connected) return;
    worker.send(message, (error) => {
      if (error && this.worker === worker) this.log.warn(`could not reach the analysis worker: ${error.message}`);
    });
  }

  private ensureWorker(): ChildProcess | undefined {
    if (this.worker) return this.worker;
    const now = Date.now();
    this.crashes = this.crashes.filter((time) => now - time < 60_000);
    if (this.crashes.length >= MAX_RESTARTS) return undefined;
    const worker = fork(this.workerFile, [], {
      execArgv: [`--max-old-space-size=${this.memoryLimitMb}`],
      // In VS Code's desktop app, `process.execPath` is Electron: run it as Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.log.info(`analysis worker starting (pid ${worker.pid}, ${this.workerFile})`);
    let stderr = '';
    worker.stderr?.setEncoding('utf8');
    worker.stderr?.on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.slice(0, MAX_STDERR - stderr.length);
    });
    worker.on('message', (message: unknown) => {
      if (this.worker === worker) this.receive(message);
    });
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.log.error(`analysis worker failed: ${error.message}`);
      this.crashes.push(Date.now());
      this.replaceWorker(new WorkerReplacedError(`the analysis worker failed: ${error.message}`));
    });
    worker.on('exit', (code, signal) => {
      if (this.worker !== worker) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.log.warn(`analysis worker ${how}${stderr ? `: ${stderr.trim()}` : ''}`);
      this.crashes.push(Date.now());
      this.replaceWorker(new WorkerReplacedError(`the analysis worker ${how}`));
    });
    this.worker = worker;
    this.updateRef();
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
      this.options.onOthersStale?.();
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'started') {
      pending.timer = setTimeout(() => {
        this.log.error(`analysis of ${pending.uri} took more than ${this.requestTimeoutMs / 1000} s; killing the analysis worker`);
        this.pending.delete(message.id);
        pending.reject(new Error(`analysis timed out after ${this.requestTimeoutMs / 1000} s`));
        this.replaceWorker(new WorkerReplacedError('the analysis worker was killed and will be restarted'));
      }, this.requestTimeoutMs);
      return;
    }
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    this.updateRef();
    if (message.type === 'failed') pending.reject(new Error(message.message));
    else pending.resolve(message);
  }

  /** An idle worker does not keep its host alive (a command-line host could not exit otherwise). */
  private updateRef(): void {
    const worker = this.worker;
    if (!worker) return;
    const channel = worker.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (this.pending.size > 0) {
      worker.ref();
      channel?.ref?.();
    } else {
      worker.unref();
      channel?.unref?.();
    }
  }

  private replaceWorker(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.pending.clear();
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  }
}
