# AIT101 fixed: `async for` awaits each page as it arrives.
import asyncio


async def fetch_pages(urls):
    for url in urls:
        await asyncio.sleep(0.1)  # the simulated download
        yield f"<html>{url}</html>"


async def main():
    async for page in fetch_pages(["/news", "/sports", "/weather"]):
        print(len(page), "characters")


asyncio.run(main())
