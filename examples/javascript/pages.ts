// TypeScript: the same conveyor belt, in the language's own words.

interface Page {
  url: string;
  status: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Pages arrive one at a time, like plates on the sushi conveyor. */
async function* fetchPages(urls: string[]): AsyncGenerator<Page> {
  for (const url of urls) {
    await sleep(100); // the network
    yield { url, status: 200 };
  }
}

async function fetchPage(url: string): Promise<Page> {
  await sleep(100);
  return { url, status: 200 };
}

export async function printPages(urls: string[]) {
  // AIT101 (TypeScript says TS2488; Async Lens adds the fix): a plain `for…of` cannot wait.
  for (const page of fetchPages(urls)) {
    console.log(page.url);
  }
}

export async function report(urls: string[]) {
  // AIT103: every request is already running; a later failure goes unhandled while the first is awaited.
  for await (const page of urls.map(fetchPage)) {
    console.log(page.url, page.status);
  }
}

export async function firstStatus(urls: string[]) {
  const pages = fetchPages(urls);
  // AIT104: `next()` of an async iterator returns a promise: `.done` is undefined.
  if (pages.next().done) return undefined;
  return (await pages.next()).value?.status;
}
