/**
 * Library APIs that produce async iterables, for JavaScript whose types we
 * cannot see (no `checkJs`, no `@types/node`, no project). Users add their
 * own with the `knownAsyncIterables` setting, as `module#name` entries
 * (`my-db#streamRows`, `my-db#Client.stream`). Documented in
 * docs/known-async-iterables.md ("JavaScript and TypeScript"); keep the two in
 * step. With a type checker the types decide and this table is not used
 * unless the type is `any`.
 *
 * An entry is `module#export(.member)*`, optionally followed by a form:
 * - `module#f`: calling it gives an async iterable (`for await (const x of f())`);
 * - `module#f await`: its call gives a promise of one (`for await (const x of await f())`);
 * - `module#C new`: `new C(...)` is one;
 * - `#name(.member)*`: a global value (`#process.stdin`).
 * `node:` prefixes are ignored: `node:events` and `events` are one module.
 */
export const JS_KNOWN_ASYNC_ITERABLES: readonly string[] = [
  // events.on(emitter, 'name'): an async iterator of the event's arguments.
  'events#on',
  // readline interfaces yield lines.
  'readline#createInterface',
  'readline/promises#createInterface',
  // Readable streams are async iterables (and not sync ones).
  'fs#createReadStream',
  'stream#Readable.from',
  'stream#Readable new',
  'stream#PassThrough new',
  // Directories opened with opendir yield entries.
  'fs/promises#opendir await',
  'fs#promises.opendir await',
  // Timers: `for await (const t of setInterval(100))`.
  'timers/promises#setInterval',
  // A process's standard input.
  '#process.stdin',
];

export type JsKnownForm = 'call' | 'await' | 'new' | 'value';

export interface JsKnownApi {
  /** Without `node:`; empty for a global. */
  readonly module: string;
  /** The export and members: `['Readable', 'from']`. */
  readonly path: readonly string[];
  readonly form: JsKnownForm;
}

export interface JsKnownApiTable {
  readonly entries: readonly JsKnownApi[];
  /** Finds the entry for a module's export path (`node:` already stripped). */
  find(module: string, path: readonly string[]): JsKnownApi | undefined;
}

const ENTRY = /^((?:@[\w.-]+\/)?[\w.-]+(?:\/[\w.-]+)*)?#([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\s+(await|new))?$/;

/** `module#name(.name)*` with an optional ` await` / ` new`, or `#global.name`. */
export function isValidJsKnownApi(entry: string): boolean {
  return ENTRY.test(entry);
}

export function normaliseModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

function parseJsKnownApi(entry: string): JsKnownApi | undefined {
  const match = ENTRY.exec(entry.trim());
  if (!match) return undefined;
  const module = normaliseModule(match[1] ?? '');
  const form: JsKnownForm = match[3] === 'await' ? 'await' : match[3] === 'new' ? 'new' : module === '' ? 'value' : 'call';
  return { module, path: match[2]!.split('.'), form };
}

/** The built-in table plus a user's entries (entries that are not JS ones, Python's `module.name`, are skipped). */
export function jsKnownApiTable(extra: readonly string[] = []): JsKnownApiTable {
  const entries: JsKnownApi[] = [];
  for (const raw of [...JS_KNOWN_ASYNC_ITERABLES, ...extra]) {
    const parsed = raw.includes('#') ? parseJsKnownApi(raw) : undefined;
    if (parsed) entries.push(parsed);
  }
  const byKey = new Map(entries.map((entry) => [`${entry.module}#${entry.path.join('.')}`, entry]));
  return { entries, find: (module, path) => byKey.get(`${normaliseModule(module)}#${path.join('.')}`) };
}
