// AIT104 fixed: `await news.next()` waits for the first headline itself.
import { setTimeout as sleep } from 'node:timers/promises';

async function* headlines() {
  for (const title of ['async iterators explained', 'one item at a time']) {
    await sleep(100);
    yield title;
  }
}

const news = headlines();
const first = await news.next();
if (!first.done) console.log(first.value.toUpperCase());
for await (const title of news) {
  // carries on where next() left off
  console.log('then:', title);
}
