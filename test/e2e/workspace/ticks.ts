const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A conveyor belt: one plate every 50 ms. */
async function* ticks(count: number): AsyncGenerator<number> {
  for (let number = 1; number <= count; number++) {
    await sleep(50);
    yield number;
  }
}

for await (const tick of ticks(3)) {
  console.log('tick', tick);
}
export {};
