// AIT101: a plain `for...of` over an async generator.
// An async generator has [Symbol.asyncIterator], not [Symbol.iterator], so a
// synchronous loop cannot step through it: a TypeError before the first page
// is even requested.
import { setTimeout as sleep } from 'node:timers/promises';

async function* fetchPages(urls: string[]) {
  for (const url of urls) {
    await sleep(100); // the simulated download
    yield `<html>${url}</html>`;
  }
}

// TypeScript rejects this loop too (TS2488); the playground runs it anyway.
// @ts-expect-error
for (const page of fetchPages(['/news', '/sports', '/weather'])) {
  console.log(page.length, 'characters');
}
