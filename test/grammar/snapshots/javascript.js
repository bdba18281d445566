async function* lines(stream) {
  for await (const chunk of stream) {
    yield chunk;
  }
}

function* numbers() {
  yield 1;
  const later = async () => await next();
  yield 2;
}

const api = {
  *[Symbol.iterator]() { yield 3; },
  async *[Symbol.asyncIterator]() { yield 4; },
  get size() { return 2; },
};

(async () => {
  await main();
})();
