// The same Countdown with [Symbol.asyncIterator]() fixed: it rewinds, then
// returns the iterator (the object itself), so `for await` can call next().
import { setTimeout as sleep } from 'node:timers/promises';

class Countdown {
  private current: number;

  constructor(private start: number) {
    this.current = start;
  }

  [Symbol.asyncIterator]() {
    this.current = this.start;
    return this;
  }

  async next(): Promise<IteratorResult<number>> {
    if (this.current <= 0) return { done: true, value: undefined };
    this.current -= 1;
    await sleep(200);
    return { done: false, value: this.current + 1 };
  }
}

for await (const number of new Countdown(3)) {
  console.log(number);
}
