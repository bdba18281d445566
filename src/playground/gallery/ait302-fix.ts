// AIT302 fixed: every download starts at once, and Promise.all waits for
// them side by side. 4 pages take as long as the slowest one: 0.3 s.
import { setTimeout as sleep } from 'node:timers/promises';

const LATENCY: Record<string, number> = { '/news': 300, '/sports': 100, '/weather': 200, '/comics': 150 };

async function download(url: string) {
  await sleep(LATENCY[url]!); // a slow or fast server
  return `<html>${url}</html>`;
}

async function* fetchPages(urls: string[]) {
  const pages = await Promise.all(urls.map((url) => download(url)));
  for (const page of pages) yield page;
}

const started = performance.now();
for await (const page of fetchPages(Object.keys(LATENCY))) {
  console.log(page);
}
console.log(`4 pages in ${((performance.now() - started) / 1000).toFixed(2)} s`);
