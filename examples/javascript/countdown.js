// Plain JavaScript, no jsconfig.json, no checkJs: TypeScript says nothing here.

async function* countdown(from) {
  for (let i = from; i > 0; i--) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    yield i;
  }
}

function printCountdown() {
  // AIT101: a `for…of` over an async generator throws `TypeError: … is not iterable`.
  for (const n of countdown(3)) {
    console.log(n);
  }
}

async function launch() {
  // AIT105: `for await` needs an `async` function (a SyntaxError here).
  [1, 2].forEach(function (delay) {
    for await (const n of countdown(delay)) console.log(n);
  });
}

module.exports = { printCountdown, launch };
