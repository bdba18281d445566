// eventListener: a producer puts events on a queue, and the consumer reads
// them with `for await`, without polling. null means "no more".
import { setTimeout as sleep } from 'node:timers/promises';

/** A tiny async queue: get() waits until something is put. */
class Queue<T> {
  private items: T[] = [];
  private waiting: ((item: T) => void)[] = [];
  put(item: T) {
    const taker = this.waiting.shift();
    if (taker) taker(item);
    else this.items.push(item);
  }
  get(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

async function* eventListener<T>(queue: Queue<T | null>) {
  while (true) {
    const event = await queue.get(); // waits (without blocking) for the next event
    if (event === null) return;
    yield event;
  }
}

async function sensor(queue: Queue<{ celsius: number } | null>) {
  for (const reading of [21.5, 21.7, 22.4, 23.0]) {
    await sleep(150); // a new reading every so often
    queue.put({ celsius: reading });
  }
  queue.put(null);
}

const queue = new Queue<{ celsius: number } | null>();
const sensing = sensor(queue); // runs on its own while we listen
for await (const event of eventListener(queue)) console.log('event:', event);
await sensing;
