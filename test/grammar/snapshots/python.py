@retry
async def stream(source, lock):
    """Yields parsed rows.
await in a docstring, at column 0
"""
    async with lock:
        async for row in source:
            yield await parse(row)
    handlers = [lambda: 1 for _ in range(3)]
    def sync_helper():
        yield "sync generator"
        return [x for x in range(3)]
    class Inner:
        async def close(self):
            await self.flush()
    yield "async again"


def sync_gen():
    yield from stream(None, None)
    value = f"{await_not_a_keyword} await"  # await in a comment

await notebook_cell()
result = [item async for item in stream(a, b)]
