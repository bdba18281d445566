// AIT401 fixed: `await sleep()` hands the thread back to the event loop while
// the belt waits, so the heartbeat keeps ticking between plates.
import { setTimeout as sleep } from 'node:timers/promises';

async function* conveyorBelt() {
  for (let number = 1; number <= 3; number++) {
    await sleep(200); // waits without blocking
    yield `plate ${number}`;
  }
}

async function* ticks() {
  for (let number = 1; number < 100; number++) {
    await sleep(100);
    yield `tick ${number}`;
  }
}

let stopped = false;
async function heartbeat() {
  for await (const tick of ticks()) {
    if (stopped) break;
    console.log(tick);
  }
}

const beating = heartbeat();
for await (const plate of conveyorBelt()) {
  console.log('ate', plate);
}
await sleep(250); // time for a few more beats
stopped = true;
await beating;
