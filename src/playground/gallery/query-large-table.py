# query_large_table: stream a big result set row by row instead of loading
# it all into memory first. The pretend database sends 300 rows in batches
# of 50: only the first row of each batch waits for a round trip.
import asyncio


async def cursor(total, batch_size):
    """A pretend database cursor: one round trip per batch of rows."""
    for start in range(0, total, batch_size):
        await asyncio.sleep(0.05)  # ask the server for the next batch
        for row_id in range(start, min(total, start + batch_size)):
            yield {"id": row_id, "amount": row_id * 7 % 100}


def transform(row):
    return {"id": row["id"], "cents": row["amount"] * 100}


async def query_large_table(rows):
    async for row in rows:
        yield transform(row)  # one row in, one row out: memory stays flat


async def main():
    count = total = 0
    async for row in query_large_table(cursor(300, 50)):
        count += 1
        total += row["cents"]
    print(f"{count} rows, {total} cents in all")


asyncio.run(main())
