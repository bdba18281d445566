import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * A real tsserver (the repository's TypeScript) in a child process, spoken
 * to over its stdio protocol as an editor does: requests answered by
 * `request_seq`, events kept in arrival order. Every wait has a time limit,
 * so a hang fails the test with what was awaited rather than a mocha timeout.
 */

const TSSERVER = path.join(__dirname, '..', '..', 'node_modules', 'typescript', 'lib', 'tsserver.js');

/** Long enough for the first request of a project (its program, with @types/node), far shorter than mocha's limit. */
const REQUEST_TIME_LIMIT = 30_000;

export interface TsServerOptions {
  /** `--globalPlugins`: plugins loaded into every project, as VS Code's `typescriptServerPlugins` are. */
  readonly globalPlugins?: readonly string[];
  /** `--pluginProbeLocations`: folders whose `node_modules` hold the plugins. */
  readonly probeLocations: readonly string[];
  /** tsserver's log (it holds the plugin's log lines). */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
}

interface Message {
  readonly type: 'response' | 'event';
  readonly request_seq?: number;
  readonly success?: boolean;
  readonly message?: string;
  readonly event?: string;
  readonly body?: unknown;
}

interface Pending {
  resolve(body: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface TsEvent {
  readonly event: string;
  readonly body: unknown;
}

export class TsServer {
  private readonly process: ChildProcess;
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private readonly eventWaiters: { from: number; name: string; resolve(event: TsEvent): void }[] = [];
  private readonly exited: Promise<void>;
  private stderr = '';
  /** Every event so far, in order. */
  readonly events: TsEvent[] = [];

  constructor(private readonly options: TsServerOptions) {
    const args = [
      TSSERVER,
      '--disableAutomaticTypingAcquisition',
      // As VS Code does: the client asks for diagnostics again when projects change in the background.
      '--noGetErrOnBackgroundUpdate',
      '--locale', 'en',
      '--logVerbosity', 'normal',
      '--logFile', options.logFile,
      '--pluginProbeLocations', options.probeLocations.join(','),
      ...(options.globalPlugins?.length ? ['--globalPlugins', options.globalPlugins.join(',')] : []),
    ];
    // Its own process group, so that closing it ends whatever it started.
    this.process = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env }, detached: true });
    this.process.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    this.process.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        for (const [seq, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(new Error(`tsserver exited (${code ?? signal}) before answering request ${seq}\n${this.stderr.slice(-2000)}`));
        }
        this.pending.clear();
        resolve();
      });
    });
  }

  /** Sends a request and resolves with its response's body; rejects when tsserver says it failed or does not answer in time. */
  request<T = unknown>(command: string, args?: unknown, timeLimit = REQUEST_TIME_LIMIT): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`tsserver did not answer "${command}" (request ${seq}) within ${timeLimit} ms`));
      }, timeLimit);
      this.pending.set(seq, { resolve: resolve as (body: unknown) => void, reject, timer });
      this.process.stdin!.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
    });
  }

  /** tsserver's process id (bench/javascript.ts reads its CPU time from /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** How many events have arrived: pass it to `waitForEvent` to wait only for later ones. */
  get eventCount(): number {
    return this.events.length;
  }

  /** The first event named `name` from index `from` on (already arrived, or the next one). */
  waitForEvent(name: string, from: number, timeLimit = REQUEST_TIME_LIMIT): Promise<TsEvent> {
    const arrived = this.events.slice(from).find((event) => event.event === name);
    if (arrived) return Promise.resolve(arrived);
    return new Promise((resolve, reject) => {
      const waiter = {
        from,
        name,
        resolve: (event: TsEvent) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.eventWaiters.splice(this.eventWaiters.indexOf(waiter), 1);
        reject(new Error(`no "${name}" event from tsserver within ${timeLimit} ms`));
      }, timeLimit);
      this.eventWaiters.push(waiter);
    });
  }

  /** tsserver's log so far (written synchronously, so it holds everything logged before the last response). */
  log(): string {
    return fs.existsSync(this.options.logFile) ? fs.readFileSync(this.options.logFile, 'utf8') : '';
  }

  /** Asks tsserver to exit, and ends its process group if it does not. */
  async close(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.stdin!.write(`${JSON.stringify({ seq: ++this.seq, type: 'request', command: 'exit' })}\n`);
    const timer = setTimeout(() => this.killGroup(), 5_000);
    await this.exited;
    clearTimeout(timer);
    this.killGroup();
  }

  private killGroup(): void {
    try {
      process.kill(-this.process.pid!, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!length) throw new Error(`unexpected output from tsserver: ${this.buffer.subarray(0, headerEnd).toString('utf8')}`);
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.type === 'event' && message.event) {
      const event = { event: message.event, body: message.body };
      this.events.push(event);
      for (const waiter of [...this.eventWaiters]) {
        if (waiter.name !== event.event) continue;
        this.eventWaiters.splice(this.eventWaiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
      return;
    }
    if (message.type !== 'response' || message.request_seq === undefined) return;
    const pending = this.pending.get(message.request_seq);
    if (!pending) return;
    this.pending.delete(message.request_seq);
    clearTimeout(pending.timer);
    if (message.success) pending.resolve(message.body);
    else pending.reject(new Error(`tsserver: ${message.message ?? 'request failed'}`));
  }
}

/** A protocol location (1-based line and offset) as an offset into `text`. */
export function offsetOf(text: string, location: { readonly line: number; readonly offset: number }): number {
  let offset = 0;
  for (let line = 1; line < location.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + location.offset - 1;
}

/** An offset into `text` as a protocol location. */
export function locationOf(text: string, offset: number): { line: number; offset: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, offset: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** Applies a file's protocol text changes (each in the coordinates of the unchanged text) to `text`. */
export function applyCodeEdits(text: string, changes: readonly { readonly start: { line: number; offset: number }; readonly end: { line: number; offset: number }; readonly newText: string }[]): string {
  const edits = changes.map((change) => ({ start: offsetOf(text, change.start), end: offsetOf(text, change.end), newText: change.newText }));
  edits.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
