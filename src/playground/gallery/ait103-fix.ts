// AIT103 fixed: Promise.allSettled handles every download from the start,
// waits for all of them, and reports each result, failures included.
import { setTimeout as sleep } from 'node:timers/promises';

async function download(url: string, ms: number) {
  await sleep(ms);
  if (url === '/weather') throw new Error(`${url}: 503 Service Unavailable`);
  return `<html>${url}</html>`;
}

const pages = [download('/news', 300), download('/sports', 200), download('/weather', 50)];
for (const result of await Promise.allSettled(pages)) {
  if (result.status === 'fulfilled') console.log(result.value);
  else console.log('failed:', (result.reason as Error).message);
}
console.log('done');
