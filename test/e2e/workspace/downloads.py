import asyncio


async def download(url):
    await asyncio.sleep(0.1)  # stands in for a slow server
    return f"<html>{url}</html>"


async def archive(urls):
    pages = []
    for url in urls:
        pages.append(await download(url))
    return pages
