# AIT101: a plain `for` over an async generator.
# An async generator has __aiter__ and __anext__, not __iter__ and __next__,
# so a synchronous loop cannot step through it: a TypeError before the first
# page is even requested.
import asyncio


async def fetch_pages(urls):
    for url in urls:
        await asyncio.sleep(0.1)  # the simulated download
        yield f"<html>{url}</html>"


async def main():
    for page in fetch_pages(["/news", "/sports", "/weather"]):
        print(len(page), "characters")


asyncio.run(main())
