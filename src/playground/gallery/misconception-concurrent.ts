// The fix for the misconception: run the two loops at the same time with
// Promise.all. Each loop still gets its plates one at a time, but while one
// waits the other eats, so the waits overlap: about 0.6 s instead of 1.2 s.
import { setTimeout as sleep } from 'node:timers/promises';

async function* belt(name: string) {
  for (let number = 1; number <= 3; number++) {
    await sleep(200); // the next plate is on its way
    yield `${name} ${number}`;
  }
}

async function eatFrom(name: string) {
  for await (const plate of belt(name)) console.log('ate', plate);
}

const started = performance.now();
await Promise.all(['salmon', 'tuna'].map((name) => eatFrom(name)));
console.log(`6 plates in ${((performance.now() - started) / 1000).toFixed(1)} s`);
