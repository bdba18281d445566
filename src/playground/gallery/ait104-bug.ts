// AIT104: asking for the next item without awaiting it.
// next() on an async iterator returns a Promise of { value, done }. Without
// `await` you hold the Promise, which has no `value`: a TypeError.
import { setTimeout as sleep } from 'node:timers/promises';

async function* headlines() {
  for (const title of ['async iterators explained', 'one item at a time']) {
    await sleep(100);
    yield title;
  }
}

const news = headlines();
const first = news.next();
// TypeScript rejects this line too (TS2339); the playground runs it anyway.
// @ts-expect-error
console.log(first.value.toUpperCase());
