/*
 * The playground's examples: the gallery the panel lists, and the example
 * each rule's "Show in playground" opens. The snippets are the .py/.ts files
 * beside this one (copied to dist/gallery/ by esbuild.js) and are run for
 * real by test/unit/playground-gallery.test.ts.
 *
 * An example with `rules` is a pair [the mistake, the fix]: the first snippet
 * shows what the rule's misuse costs when it runs (the exception, the
 * sequential waits, the late cleanup), the second the corrected code.
 * Nothing here imports Node or VS Code except `readSnippet`.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GalleryEntry } from '../protocol';

export interface GallerySnippet {
  readonly title: string;
  /** The file name inside the gallery folder. */
  readonly file: string;
}

export interface GalleryExample {
  readonly id: string;
  readonly title: string;
  /** One or two sentences, in the seed articles' language. */
  readonly blurb: string;
  /** One snippet, or two for a comparison (shown stacked on one time axis: [first, second]). */
  readonly python?: readonly GallerySnippet[];
  readonly typescript?: readonly GallerySnippet[];
  /** Rule codes whose "Show in playground" opens this example. */
  readonly rules?: readonly string[];
  /** False for rule-only examples, which the gallery does not list. */
  readonly inGallery: boolean;
}

const one = (title: string, file: string): readonly GallerySnippet[] => [{ title, file }];
const pair = (first: string, firstFile: string, second: string, secondFile: string): readonly GallerySnippet[] => [
  { title: first, file: firstFile },
  { title: second, file: secondFile },
];
/** A rule's mistake and its fix: `<stem>-bug.<ext>` and `<stem>-fix.<ext>`. */
const bugAndFix = (stem: string, ext: 'py' | 'ts', bug: string, fix: string) => pair(`Bug: ${bug}`, `${stem}-bug.${ext}`, `Fix: ${fix}`, `${stem}-fix.${ext}`);

export const GALLERY: readonly GalleryExample[] = [
  {
    id: 'countdown',
    title: 'Countdown: an async iterator by hand',
    blurb: '__aiter__ returns the iterator and __anext__ hands over the next number, or raises StopAsyncIteration. async for asks for one number at a time and waits, without blocking, for each to arrive.',
    python: one('Countdown', 'countdown.py'),
    typescript: one('Countdown', 'countdown.ts'),
    inGallery: true,
  },
  {
    id: 'async-generator',
    title: 'An async generator: the sushi conveyor belt',
    blurb: 'async def plus yield is the easy way to write an async iterator. Plates arrive one at a time, whenever the chef has one ready, and the loop takes each as it comes by.',
    python: one('Conveyor belt', 'conveyor-belt.py'),
    typescript: one('Conveyor belt', 'conveyor-belt.ts'),
    inGallery: true,
  },
  {
    id: 'fetch-pages',
    title: 'fetch_pages: a paginated API',
    blurb: 'Pages arrive from a simulated server, each after some network latency; each page links to the next. The loop works on a page as soon as it arrives instead of waiting for all of them.',
    python: one('fetch_pages', 'fetch-pages.py'),
    typescript: one('fetchPages', 'fetch-pages.ts'),
    inGallery: true,
  },
  {
    id: 'query-large-table',
    title: 'query_large_table: 300 rows, one at a time',
    blurb: 'Process rows one at a time instead of loading everything into memory. The rows come from a pretend database in batches of 50: only the first row of each batch has to wait.',
    python: one('query_large_table', 'query-large-table.py'),
    typescript: one('queryLargeTable', 'query-large-table.ts'),
    inGallery: true,
  },
  {
    id: 'event-listener',
    title: 'event_listener: events from a queue',
    blurb: 'A producer task puts events on a queue; the listener\'s loop waits for each one without polling, and stops when the producer says there are no more.',
    python: one('event_listener', 'event-listener.py'),
    typescript: one('eventListener', 'event-listener.ts'),
    inGallery: true,
  },
  {
    id: 'misconception',
    title: 'The common misconception: async iterators are not parallel',
    blurb: 'Each item is awaited in turn, so two belts of 3 plates, 0.2 s apart, take 1.2 s one after the other. Run as two tasks, their waits overlap: 0.6 s.',
    python: pair('One belt after the other', 'misconception-sequential.py', 'Both belts at once (TaskGroup)', 'misconception-concurrent.py'),
    typescript: pair('One belt after the other', 'misconception-sequential.ts', 'Both belts at once (Promise.all)', 'misconception-concurrent.ts'),
    rules: ['AIT301'],
    inGallery: true,
  },
  {
    id: 'merge',
    title: 'Merging several async iterators into one stream',
    blurb: 'Three belts at different speeds, one loop: the merged stream hands over each plate as soon as it arrives, whichever belt it comes from.',
    python: one('merge', 'merge.py'),
    typescript: one('merge', 'merge.ts'),
    inGallery: true,
  },
  {
    id: 'broken-aiter',
    title: 'A broken __aiter__: it forgets to return the iterator',
    blurb: 'async for first asks __aiter__ for the iterator. This one forgets return self, so the loop fails with a TypeError before the first number arrives; the fix returns it.',
    python: pair('Bug: no return self', 'broken-aiter.py', 'Fix: return self', 'fixed-aiter.py'),
    typescript: pair('Bug: no return this', 'broken-aiter.ts', 'Fix: return this', 'fixed-aiter.ts'),
    rules: ['AIT201'],
    inGallery: true,
  },
  {
    id: 'aclosing',
    title: 'Leaving an async generator early',
    blurb: 'After break, the generator is only suspended: without contextlib.aclosing its finally runs late, whenever it is garbage-collected; with it, right at the break. In JavaScript for await closes the generator on break, but one stepped through by hand with next() is never closed.',
    python: pair('Without aclosing', 'aclosing-without.py', 'With aclosing', 'aclosing-with.py'),
    typescript: pair('next() by hand, never closed', 'return-manual-next.ts', 'for await and break', 'return-for-await.ts'),
    rules: ['AIT402'],
    inGallery: true,
  },

  // Rule-only examples: what "Show in playground" opens on a diagnostic.
  {
    id: 'ait101',
    title: 'AIT101: a plain for over an async generator',
    blurb: 'A synchronous loop cannot step through an async generator: it fails with a TypeError before the first page is requested. async for (for await) waits for each page.',
    python: bugAndFix('ait101', 'py', 'for', 'async for'),
    typescript: bugAndFix('ait101', 'ts', 'for...of', 'for await'),
    rules: ['AIT101'],
    inGallery: false,
  },
  {
    id: 'ait102',
    title: 'AIT102: async for over a plain generator',
    blurb: 'A plain generator has its items ready at once and no __aiter__: async for stops with a TypeError. A plain for reads it, and the body can still await.',
    python: bugAndFix('ait102', 'py', 'async for', 'for'),
    rules: ['AIT102'],
    inGallery: false,
  },
  {
    id: 'ait103',
    title: 'AIT103: for await over promises already started',
    blurb: 'The loop awaits the promises in array order; one that fails while an earlier one is still awaited is an unhandled rejection, and the process stops before the catch runs. Promise.allSettled handles them all.',
    typescript: bugAndFix('ait103', 'ts', 'for await over started promises', 'Promise.allSettled'),
    rules: ['AIT103'],
    inGallery: false,
  },
  {
    id: 'ait104',
    title: 'AIT104: the next item, never awaited',
    blurb: 'Asking for the next item without await gives you the awaitable, not the item, and the next line fails. Awaiting it gives the headline.',
    python: bugAndFix('ait104', 'py', 'anext() without await', 'await anext()'),
    typescript: bugAndFix('ait104', 'ts', 'next() without await', 'await next()'),
    rules: ['AIT104'],
    inGallery: false,
  },
  {
    id: 'ait202',
    title: 'AIT202: async def __aiter__',
    blurb: 'Declared async, __aiter__ returns a coroutine instead of the iterator, and async for rejects it with a TypeError. A plain def returns the iterator itself.',
    python: bugAndFix('ait202', 'py', 'async def __aiter__', 'def __aiter__'),
    rules: ['AIT202'],
    inGallery: false,
  },
  {
    id: 'ait203',
    title: 'AIT203: a plain def __anext__',
    blurb: 'async for awaits what __anext__ returns; a plain value cannot be awaited, so the loop fails with a TypeError. async def __anext__ returns an awaitable.',
    python: bugAndFix('ait203', 'py', 'def __anext__', 'async def __anext__'),
    rules: ['AIT203'],
    inGallery: false,
  },
  {
    id: 'ait204',
    title: 'AIT204: StopIteration in __anext__',
    blurb: 'Inside a coroutine, StopIteration becomes a RuntimeError: the loop gets every number and then crashes. StopAsyncIteration ends it cleanly.',
    python: bugAndFix('ait204', 'py', 'raise StopIteration', 'raise StopAsyncIteration'),
    rules: ['AIT204'],
    inGallery: false,
  },
  {
    id: 'ait205',
    title: 'AIT205: __anext__ without __aiter__',
    blurb: 'async for starts by calling __aiter__; a class with only __anext__ fails with a TypeError. Adding __aiter__ that returns self makes it its own iterator.',
    python: bugAndFix('ait205', 'py', 'no __aiter__', '__aiter__ returns self'),
    rules: ['AIT205'],
    inGallery: false,
  },
  {
    id: 'ait302',
    title: 'AIT302: an async generator that fetches one page at a time',
    blurb: 'The downloads are independent, yet each waits for the one before: 4 pages take the sum of their latencies, 0.75 s. Started together, they take as long as the slowest one, 0.3 s.',
    python: bugAndFix('ait302', 'py', 'yield await, one by one', 'as_completed'),
    typescript: bugAndFix('ait302', 'ts', 'yield await, one by one', 'Promise.all'),
    rules: ['AIT302'],
    inGallery: false,
  },
  {
    id: 'ait303',
    title: 'AIT303: coroutines in a list, awaited one by one',
    blurb: 'Creating a coroutine does not start it, so awaiting a list of them in a loop runs them one after another: 0.6 s for 3 reports. asyncio.gather runs them together: 0.2 s.',
    python: bugAndFix('ait303', 'py', 'await in a loop', 'asyncio.gather'),
    rules: ['AIT303'],
    inGallery: false,
  },
  {
    id: 'ait401',
    title: 'AIT401: a blocking wait in an async generator',
    blurb: 'A blocking wait (time.sleep in Python, spinning on Date.now() in JavaScript) freezes the whole event loop: the heartbeat, which should tick every 0.1 s, misses every beat while the belt runs. An awaited sleep lets it keep ticking between plates.',
    python: bugAndFix('ait401', 'py', 'time.sleep', 'await asyncio.sleep'),
    typescript: bugAndFix('ait401', 'ts', 'spinning on Date.now()', 'await sleep()'),
    rules: ['AIT401'],
    inGallery: false,
  },
];

/** The gallery as the webview lists it. */
export function galleryEntries(): GalleryEntry[] {
  return GALLERY.filter((example) => example.inGallery).map((example) => ({
    id: example.id,
    title: example.title,
    blurb: example.blurb,
    languages: [...(example.python ? ['python' as const] : []), ...(example.typescript ? ['typescript' as const] : [])],
    compare: (example.python ?? example.typescript ?? []).length === 2,
  }));
}

/** The example "Show in playground" opens for a rule's diagnostic. */
export function exampleForRule(code: string): GalleryExample | undefined {
  return GALLERY.find((example) => example.rules?.includes(code));
}

/** A snippet's source; `folder` is dist/gallery (packaged) or src/playground/gallery. */
export function readSnippet(folder: string, snippet: GallerySnippet): string {
  // The manifest names plain files; never follow a path out of the folder.
  if (path.basename(snippet.file) !== snippet.file) throw new Error(`not a gallery file name: ${snippet.file}`);
  return fs.readFileSync(path.join(folder, snippet.file), 'utf8');
}
