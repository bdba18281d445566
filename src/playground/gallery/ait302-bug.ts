// AIT302: an async generator that downloads one URL at a time.
// The downloads do not depend on each other, yet each one waits for the one
// before it. However fast the consumer is, 4 pages take the sum: 0.75 s.
import { setTimeout as sleep } from 'node:timers/promises';

const LATENCY: Record<string, number> = { '/news': 300, '/sports': 100, '/weather': 200, '/comics': 150 };

async function download(url: string) {
  await sleep(LATENCY[url]!); // a slow or fast server
  return `<html>${url}</html>`;
}

async function* fetchPages(urls: string[]) {
  for (const url of urls) {
    yield await download(url);
  }
}

const started = performance.now();
for await (const page of fetchPages(Object.keys(LATENCY))) {
  console.log(page);
}
console.log(`4 pages in ${((performance.now() - started) / 1000).toFixed(2)} s`);
