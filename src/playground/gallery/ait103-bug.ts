// AIT103: `for await` over promises that have all started already.
// The loop awaits them in array order. /weather fails after 50 ms while the
// loop is still waiting for /news, so nothing is handling /weather yet:
// Node reports an unhandled rejection and stops. The catch never runs.
import { setTimeout as sleep } from 'node:timers/promises';

async function download(url: string, ms: number) {
  await sleep(ms);
  if (url === '/weather') throw new Error(`${url}: 503 Service Unavailable`);
  return `<html>${url}</html>`;
}

const pages = [download('/news', 300), download('/sports', 200), download('/weather', 50)];
try {
  for await (const page of pages) console.log(page);
} catch (error) {
  console.log('caught:', (error as Error).message);
}
console.log('done');
