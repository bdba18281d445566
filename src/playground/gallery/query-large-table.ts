// queryLargeTable: stream a big result set row by row instead of loading it
// all into memory first. The pretend database sends 300 rows in batches of
// 50: only the first row of each batch waits for a round trip.
import { setTimeout as sleep } from 'node:timers/promises';

interface Row { id: number; amount: number }

/** A pretend database cursor: one round trip per batch of rows. */
async function* cursor(total: number, batchSize: number): AsyncGenerator<Row> {
  for (let start = 0; start < total; start += batchSize) {
    await sleep(50); // ask the server for the next batch
    for (let id = start; id < Math.min(total, start + batchSize); id++) {
      yield { id, amount: (id * 7) % 100 };
    }
  }
}

const transform = (row: Row) => ({ id: row.id, cents: row.amount * 100 });

async function* queryLargeTable(rows: AsyncIterable<Row>) {
  for await (const row of rows) {
    yield transform(row); // one row in, one row out: memory stays flat
  }
}

let count = 0;
let total = 0;
for await (const row of queryLargeTable(cursor(300, 50))) {
  count += 1;
  total += row.cents;
}
console.log(`${count} rows, ${total} cents in all`);
