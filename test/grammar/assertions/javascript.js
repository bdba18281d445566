// SYNTAX TEST "source.js" "suspension points in JavaScript"

async function* lines(stream) {
  for await (const chunk of stream) {
//^^^ keyword.control.suspension.for-await.async-lens keyword.control.loop.js
//    ^^^^^ keyword.control.suspension.for-await.async-lens keyword.control.loop.js
    yield chunk;
//  ^^^^^ keyword.control.suspension.yield.async-lens keyword.control.flow.js
  }
}

function* numbers() {
  yield 1;
//^^^^^ keyword.control.flow.js - keyword.control.suspension.yield.async-lens
  const later = async () => await next();
//                          ^^^^^ keyword.control.suspension.await.async-lens
  yield 2;
//^^^^^ - keyword.control.suspension.yield.async-lens
}

const api = {
  *[Symbol.iterator]() {
    yield 3;
//  ^^^^^ - keyword.control.suspension.yield.async-lens
  },
  async *[Symbol.asyncIterator]() {
    yield 4;
//  ^^^^^ keyword.control.suspension.yield.async-lens
  },
};

(async () => {
  await main();
//^^^^^ keyword.control.suspension.await.async-lens
})();
const label = "await";
//             ^^^^^ string.quoted.double.js - keyword.control.suspension.await.async-lens
