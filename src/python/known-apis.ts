/**
 * Library APIs that produce async iterables, for code whose types we cannot
 * see. Users add their own entries with the `knownAsyncIterables` setting
 * (`[tool.async-lens] known-async-iterables` in pyproject.toml). The table is
 * documented in docs/known-async-iterables.md; keep the two in step.
 *
 * An entry is one of:
 * - `module.function`: calling it gives an async iterable, directly
 *   (`for x in f()`), through `async with f() as x`, or through `x = await f()`;
 * - `module.Class`: an annotation with that type marks an async iterable, and
 *   so does calling it;
 * - `.method`: calling a method of that (distinctive) name on anything gives
 *   an async iterable.
 */
export const KNOWN_ASYNC_ITERABLES: readonly string[] = [
  // aiofiles: file objects opened with `async with aiofiles.open(...) as f`.
  'aiofiles.open',
  'aiofiles.threadpool.open',
  // httpx: streaming responses.
  '.aiter_bytes',
  '.aiter_text',
  '.aiter_lines',
  '.aiter_raw',
  // aiohttp: response content streams.
  '.iter_chunked',
  '.iter_any',
  '.iter_chunks',
  // websockets: a connection yields messages; `connect` also reconnects in `async for`.
  'websockets.connect',
  'websockets.client.connect',
  'websockets.asyncio.client.connect',
  'websockets.ClientConnection',
  'websockets.asyncio.client.ClientConnection',
  'websockets.ServerConnection',
  // asyncio streams.
  'asyncio.StreamReader',
  // asyncpg: `conn.cursor(query)` inside a transaction.
  'asyncpg.cursor.CursorFactory',
  // Async database drivers and clients with distinctive streaming methods.
  '.stream_scalars',
  '.astream',
  '.astream_events',
  // anyio memory object streams.
  'anyio.abc.ObjectReceiveStream',
  'anyio.streams.memory.MemoryObjectReceiveStream',
];

/**
 * Objects well-known APIs hand back, with an attribute that holds an async
 * iterable: `proc = await asyncio.create_subprocess_exec(..., stdout=PIPE)`,
 * then `proc.stdout` is an `asyncio.StreamReader`. Documented in
 * docs/known-async-iterables.md ("Attributes"); keep the two in step.
 */
export interface KnownAsyncAttribute {
  /**
   * `call`: `source` is a function; the object is its awaited result
   * (`x = await source(...)`) or what `async with source(...) as x` enters.
   * `type`: `source` is a class; the object is a value annotated with it.
   */
  readonly via: 'call' | 'type';
  readonly source: string;
  readonly attribute: string;
  /** What the attribute holds, for messages. */
  readonly type: string;
  /** The attribute is `None` unless the call passes this keyword a pipe (`stdout=asyncio.subprocess.PIPE`). */
  readonly pipe?: string;
}

export const KNOWN_ASYNC_ATTRIBUTES: readonly KnownAsyncAttribute[] = [
  // asyncio subprocesses: the pipes of a `Process` are stream readers.
  ...['asyncio.create_subprocess_exec', 'asyncio.create_subprocess_shell', 'asyncio.subprocess.create_subprocess_exec', 'asyncio.subprocess.create_subprocess_shell']
    .flatMap((source) => ['stdout', 'stderr'].map((pipe): KnownAsyncAttribute => ({ via: 'call', source, attribute: pipe, type: 'asyncio.StreamReader', pipe }))),
  // aiohttp: the body of a response or a request is a stream reader that yields lines.
  { via: 'call', source: 'aiohttp.request', attribute: 'content', type: 'aiohttp.StreamReader' },
  { via: 'type', source: 'aiohttp.ClientResponse', attribute: 'content', type: 'aiohttp.StreamReader' },
  { via: 'type', source: 'aiohttp.web.Request', attribute: 'content', type: 'aiohttp.StreamReader' },
  { via: 'type', source: 'aiohttp.web.BaseRequest', attribute: 'content', type: 'aiohttp.StreamReader' },
];

export interface KnownApiTable {
  /** Fully qualified callables and classes (`aiofiles.open`). */
  readonly qualified: ReadonlySet<string>;
  /** Method names that give async iterables on any receiver (`aiter_lines`). */
  readonly methods: ReadonlySet<string>;
  /** Identifiers whose presence in a file makes it worth parsing. */
  readonly triggerWords: readonly string[];
}

export function knownApiTable(extra: readonly string[] = []): KnownApiTable {
  const qualified = new Set<string>();
  const methods = new Set<string>();
  const triggerWords = new Set<string>();
  for (const raw of [...KNOWN_ASYNC_ITERABLES, ...extra]) {
    const entry = raw.trim();
    if (!isValidKnownApi(entry)) continue;
    // A file can only use `aiofiles.open` if it names `aiofiles` (to import it).
    if (entry.startsWith('.')) {
      methods.add(entry.slice(1));
      triggerWords.add(entry.slice(1));
    } else {
      qualified.add(entry);
      triggerWords.add(entry.slice(0, entry.indexOf('.')));
    }
  }
  return { qualified, methods, triggerWords: [...triggerWords] };
}

/** `module.name(.name)*` or `.method`. */
export function isValidKnownApi(entry: string): boolean {
  return /^(\.[A-Za-z_]\w*|[A-Za-z_]\w*(\.[A-Za-z_]\w*)+)$/.test(entry);
}
