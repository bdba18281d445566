// An async generator: `async function*` plus `yield` makes an async iterator,
// no class needed. Picture a sushi conveyor belt: plates arrive one at a
// time, whenever the chef has one ready, and you take each one as it comes by.
import { setTimeout as sleep } from 'node:timers/promises';

// What the chef prepares, and how many milliseconds each plate takes.
const MENU: [dish: string, ms: number][] = [['salmon nigiri', 300], ['tuna roll', 100], ['miso soup', 200], ['tamago', 50], ['eel', 250]];

async function* conveyorBelt(menu: typeof MENU) {
  for (const [dish, ms] of menu) {
    await sleep(ms); // the chef is still working on it
    yield dish; // the plate reaches your seat
  }
}

for await (const plate of conveyorBelt(MENU)) {
  // The body runs once per plate, in the order the plates arrive;
  // the time between them is time spent waiting, not working.
  console.log('took', plate);
}
console.log('the belt is empty');
