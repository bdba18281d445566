// The common misconception: "async iterators process items in parallel".
// They don't. Two belts each bring 3 plates, 0.2 s apart. Eating from one
// belt and then the other means six waits in a row: about 1.2 s.
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
for (const name of ['salmon', 'tuna']) {
  await eatFrom(name); // the tuna belt waits until salmon is done
}
console.log(`6 plates in ${((performance.now() - started) / 1000).toFixed(1)} s`);
