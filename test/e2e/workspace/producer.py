import asyncio


async def stream_rows(count):
    """Rows of a large result set, one at a time."""
    for number in range(count):
        await asyncio.sleep(0)
        yield {"id": number}
