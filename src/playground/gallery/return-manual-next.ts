// Leaving an async generator early, in JavaScript. The belt takes a seat at
// the counter, and its `finally` gives the seat back. Here we step through
// it by hand with next() and then walk away. Nothing calls return(), and
// JavaScript never cleans up an abandoned generator: the `finally` never runs.
import { setTimeout as sleep } from 'node:timers/promises';

async function* conveyorBelt() {
  console.log('seat taken');
  try {
    for (let number = 1; ; number++) {
      await sleep(100);
      yield `plate ${number}`;
    }
  } finally {
    console.log('cleanup: seat given back');
  }
}

const plates = conveyorBelt();
for (let eaten = 0; eaten < 2; eaten++) {
  const { value } = await plates.next();
  console.log('ate', value);
}
console.log('left the loop'); // without: await plates.return(undefined)
await sleep(500); // meanwhile someone else is waiting for that seat
console.log('paid and went home');
