# AIT302: an async generator that downloads one URL at a time.
# The downloads do not depend on each other, yet each one waits for the one
# before it. However fast the consumer is, 4 pages take the sum: 0.75 s.
import asyncio
import time

LATENCY = {"/news": 0.3, "/sports": 0.1, "/weather": 0.2, "/comics": 0.15}


async def download(url):
    await asyncio.sleep(LATENCY[url])  # a slow or fast server
    return f"<html>{url}</html>"


async def fetch_pages(urls):
    for url in urls:
        yield await download(url)


async def main():
    started = time.perf_counter()
    async for page in fetch_pages(LATENCY):
        print(page)
    print(f"4 pages in {time.perf_counter() - started:.2f} s")


asyncio.run(main())
