// fetchPages: read a paginated API one page at a time.
// Each page says where the next one is, so the pages can only be fetched
// one after another. The async generator hands over each page as soon as it
// arrives, so the caller can work on it while waiting for the next.
import { setTimeout as sleep } from 'node:timers/promises';

interface Page { results: string[]; next: string | null }

// A pretend server: each page holds a few results and the link to the next.
const SERVER: Record<string, Page> = {
  '/animals?page=1': { results: ['ant', 'bee', 'cat'], next: '/animals?page=2' },
  '/animals?page=2': { results: ['dog', 'eel', 'fox'], next: '/animals?page=3' },
  '/animals?page=3': { results: ['gnu', 'hen'], next: null },
};

async function get(url: string): Promise<Page> {
  await sleep(200); // network latency
  return SERVER[url]!;
}

async function* fetchPages(url: string | null) {
  while (url !== null) {
    const page = await get(url);
    yield page.results;
    url = page.next; // only known once this page has arrived
  }
}

for await (const results of fetchPages('/animals?page=1')) {
  console.log('page:', results.join(', '));
}
