// Plain JavaScript: no jsconfig.json, no checkJs. Only Async Lens says anything here.
async function* ticks(count) {
  for (let number = 1; number <= count; number++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    yield number;
  }
}

async function main() {
  for (const tick of ticks(3)) {
    console.log('tick', tick);
  }
}

async function again() {
  for (const tick of ticks(2)) console.log(tick);
}

module.exports = { main, again };
