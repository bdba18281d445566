// AIT401: a blocking wait inside an async generator.
// The belt waits for each plate by spinning on the clock. JavaScript runs on
// one thread, so while it spins nothing else runs: the heartbeat, which
// should tick every 100 ms, misses every beat until the belt is done.
import { setTimeout as sleep } from 'node:timers/promises';

async function* conveyorBelt() {
  for (let number = 1; number <= 3; number++) {
    const ready = Date.now() + 200;
    while (Date.now() < ready) {} // spins: blocks the whole event loop
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
