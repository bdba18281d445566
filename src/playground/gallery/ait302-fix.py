# AIT302 fixed: start every download at once and yield each page as soon as
# it is done. The pages now come in the order they finish, and 4 pages take
# as long as the slowest one: 0.3 s.
import asyncio
import time

LATENCY = {"/news": 0.3, "/sports": 0.1, "/weather": 0.2, "/comics": 0.15}


async def download(url):
    await asyncio.sleep(LATENCY[url])  # a slow or fast server
    return f"<html>{url}</html>"


async def fetch_pages(urls):
    for finished in asyncio.as_completed([download(url) for url in urls]):
        yield await finished


async def main():
    started = time.perf_counter()
    async for page in fetch_pages(LATENCY):
        print(page)
    print(f"4 pages in {time.perf_counter() - started:.2f} s")


asyncio.run(main())
