"""Async sources: pages from a web server, rows from a huge table."""
import asyncio
from collections.abc import AsyncIterator


async def fetch_pages(urls: list[str]):
    """Yield each page as soon as the (simulated) server answers."""
    for url in urls:
        await asyncio.sleep(0.2)
        yield f"<html>{url}</html>"


async def query_large_table(batch_size: int = 100) -> AsyncIterator[dict]:
    """Stream rows instead of loading millions of them into memory."""
    for offset in range(0, 1000, batch_size):
        await asyncio.sleep(0.01)
        for row_id in range(offset, offset + batch_size):
            yield {"id": row_id}


def page_numbers(count: int):
    yield from range(count)
