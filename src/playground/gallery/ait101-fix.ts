// AIT101 fixed: `for await` awaits each page as it arrives.
import { setTimeout as sleep } from 'node:timers/promises';

async function* fetchPages(urls: string[]) {
  for (const url of urls) {
    await sleep(100); // the simulated download
    yield `<html>${url}</html>`;
  }
}

for await (const page of fetchPages(['/news', '/sports', '/weather'])) {
  console.log(page.length, 'characters');
}
