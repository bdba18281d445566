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
