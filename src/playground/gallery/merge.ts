// Merging several async iterators into one stream: keep one next() pending
// per belt, and yield whichever plate arrives first, from whichever belt.
import { setTimeout as sleep } from 'node:timers/promises';

async function* belt(name: string, ms: number, count: number) {
  for (let number = 1; number <= count; number++) {
    await sleep(ms);
    yield `${name} ${number}`;
  }
}

async function* merge<T>(...sources: AsyncIterator<T>[]) {
  const ask = (index: number) => sources[index]!.next().then((result) => ({ index, result }));
  const pending = new Map(sources.map((_, index) => [index, ask(index)]));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index); // this belt has run dry
      } else {
        pending.set(index, ask(index)); // ask this belt for its next plate
        yield result.value;
      }
    }
  } finally {
    // If the consumer stops early, stop the belts too.
    await Promise.all(sources.map((source) => source.return?.()));
  }
}

for await (const plate of merge(belt('salmon', 100, 4), belt('tuna', 160, 3), belt('eel', 250, 2))) {
  console.log('ate', plate);
}
