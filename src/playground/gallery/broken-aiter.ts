// A broken [Symbol.asyncIterator](): it rewinds the countdown but forgets
// `return this`. `for await` calls it first, gets undefined instead of an
// iterator, and fails with a TypeError before the first number arrives.
import { setTimeout as sleep } from 'node:timers/promises';

class Countdown {
  private current: number;

  constructor(private start: number) {
    this.current = start;
  }

  [Symbol.asyncIterator]() {
    this.current = this.start; // rewinds... and returns undefined
  }

  async next(): Promise<IteratorResult<number>> {
    if (this.current <= 0) return { done: true, value: undefined };
    this.current -= 1;
    await sleep(200);
    return { done: false, value: this.current + 1 };
  }
}

// TypeScript already rejects this loop (TS2504); the playground runs it anyway.
// @ts-expect-error
for await (const number of new Countdown(3)) {
  console.log(number);
}
