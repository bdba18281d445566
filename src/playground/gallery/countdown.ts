// Countdown: an async iterator written by hand.
// `for await` calls [Symbol.asyncIterator]() once to get the iterator, then
// awaits next() for every item, until next() resolves to { done: true }.
import { setTimeout as sleep } from 'node:timers/promises';

class Countdown implements AsyncIterableIterator<number> {
  constructor(private current: number) {}

  [Symbol.asyncIterator]() {
    // The object is its own iterator, so it hands back itself.
    return this;
  }

  async next(): Promise<IteratorResult<number>> {
    if (this.current <= 0) return { done: true, value: undefined }; // no more items
    this.current -= 1;
    // Pretend the next number takes a while to come. While this waits,
    // the event loop is free to run other work.
    await sleep(200);
    return { done: false, value: this.current + 1 };
  }
}

for await (const number of new Countdown(5)) {
  console.log(number); // 5, 4, 3, 2, 1: one every 0.2 s
}
console.log('Liftoff!');
