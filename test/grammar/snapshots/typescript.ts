export async function* pages(urls: string[]): AsyncGenerator<Page> {
  for await (const response of fetchAll(urls)) {
    yield await response.json();
  }
  function* ids(): Generator<number> {
    yield 1;
  }
  yield* ids();
}

export class Feed<T> implements Iterable<T> {
  private items: T[] = [];
  static async *entries(): AsyncGenerator<Entry> {
    yield await load();
  }
  *[Symbol.iterator](): Iterator<T> {
    yield* this.items;
  }
  public async refresh(timeout = 5): Promise<void> {
    await Promise.race([this.load(), delay(timeout)]);
  }
  onClick = async (event: Event): Promise<void> => { await handle(event); };
}

const total = await Promise.all(urls.map(async (url) => (await fetch(url)).status));
const sync = urls.map((url) => url.length);
type Loader = (url: string) => Promise<Response>;
interface Source { next(): Promise<IteratorResult<number>>; }
