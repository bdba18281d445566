// SYNTAX TEST "source.ts" "suspension points in TypeScript"

export async function* pages(urls: string[]): AsyncGenerator<Page> {
  for await (const response of fetchAll(urls)) {
//^^^ keyword.control.suspension.for-await.async-lens keyword.control.loop.ts
//    ^^^^^ keyword.control.suspension.for-await.async-lens keyword.control.loop.ts
//                          ^^ keyword.operator.expression.of.ts
    yield await response.json();
//  ^^^^^ keyword.control.suspension.yield.async-lens keyword.control.flow.ts
//        ^^^^^ keyword.control.suspension.await.async-lens keyword.control.flow.ts
  }
  function* ids() {
    yield 1;
//  ^^^^^ keyword.control.flow.ts - keyword.control.suspension.yield.async-lens
  }
  yield* ids();
//^^^^^ keyword.control.suspension.yield.async-lens
//     ^ keyword.generator.asterisk.ts
}

class Feed {
  static async *entries(this: void) {
//             ^ keyword.generator.asterisk.ts
//              ^^^^^^^ entity.name.function.ts
    yield await load();
//  ^^^^^ keyword.control.suspension.yield.async-lens
//        ^^^^^ keyword.control.suspension.await.async-lens
  }
  *[Symbol.iterator]() {
    yield 0;
//  ^^^^^ keyword.control.flow.ts - keyword.control.suspension.yield.async-lens
  }
  async #refresh(): Promise<void> {
    await this.entries().next();
//  ^^^^^ keyword.control.suspension.await.async-lens
  }
  onClick = async (event: Event) => { await handle(event); };
//                                    ^^^^^ keyword.control.suspension.await.async-lens
  sync(): void {
    await notAllowedHere;
//  ^^^^^ keyword.control.flow.ts - keyword.control.suspension.await.async-lens
  }
}

const one = async (x: number) => await x;
//                               ^^^^^ keyword.control.suspension.await.async-lens
const two = async x => await x;
//                     ^^^^^ keyword.control.suspension.await.async-lens
const doubled = items.map((x) => x * 2);
const gen = { *values() { yield 1; }, async *stream() { yield 2; } };
//                        ^^^^^ - keyword.control.suspension.yield.async-lens
//                                                      ^^^^^ keyword.control.suspension.yield.async-lens
const text = `already ${await ready} but await here is text`;
//                      ^^^^^ keyword.control.suspension.await.async-lens
//                                       ^^^^^ string.template.ts - keyword.control.suspension.await.async-lens
// await in a comment
// ^^^^^ comment.line.double-slash.ts - keyword.control.suspension.await.async-lens
let handler: (x: number) => Promise<void> = async () => {};
//           ^ meta.type.function.ts - meta.suspension-context.sync.async-lens
await topLevel;
// <----- keyword.control.suspension.await.async-lens keyword.control.flow.ts
await using connection = await open();
// <----------- storage.type.ts - keyword.control.suspension.await.async-lens
//                       ^^^^^ keyword.control.suspension.await.async-lens
function after(value: number): number {
// <-------- storage.type.function.ts
  return value + 1;
//^^^^^^ keyword.control.flow.ts
}
