"""Downloading pages one at a time, while believing it happens in parallel.

Each download takes a fraction of a second (the sleeps stand in for slow
servers). Written this way, the waits add up; written concurrently, the
whole batch takes about as long as the slowest page. Run this file in the
Async Playground to see the difference.
"""
import asyncio
import time

LATENCY = {"/news": 0.3, "/sports": 0.1, "/weather": 0.2, "/comics": 0.15}


async def download(url):
    await asyncio.sleep(LATENCY[url])  # a slow or fast server
    return f"<html>{url}</html>"


async def fetch_pages(urls):
    """Yields each page: the next download starts only when the consumer asks for it."""
    for url in urls:
        yield await download(url)


async def archive(urls):
    """Keeps every page, in order."""
    pages = []
    for url in urls:
        pages.append(await download(url))
    return pages


async def sizes(urls):
    """Starts nothing: a list of coroutines runs only as each one is awaited."""
    pending = [download(url) for url in urls]
    for page in pending:
        print(len(await page))


async def main():
    started = time.perf_counter()
    async for page in fetch_pages(LATENCY):
        print(page)
    await archive(LATENCY)
    await sizes(LATENCY)
    print(f"{time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
