// The same early exit with `for await`: on `break` (or `return`, or an
// exception) the loop calls the generator's return(), so its `finally` runs
// right at the break, before the code after the loop. This is what Python
// needs contextlib.aclosing for.
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

for await (const plate of conveyorBelt()) {
  console.log('ate', plate);
  if (plate === 'plate 2') break;
}
console.log('left the loop');
await sleep(500);
console.log('paid and went home');
