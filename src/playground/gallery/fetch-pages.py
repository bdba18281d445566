# fetch_pages: read a paginated API one page at a time.
# Each page says where the next one is, so the pages can only be fetched
# one after another. The async generator hands over each page as soon as it
# arrives, so the caller can work on it while waiting for the next.
import asyncio

# A pretend server: each page holds a few results and the link to the next.
SERVER = {
    "/animals?page=1": {"results": ["ant", "bee", "cat"], "next": "/animals?page=2"},
    "/animals?page=2": {"results": ["dog", "eel", "fox"], "next": "/animals?page=3"},
    "/animals?page=3": {"results": ["gnu", "hen"], "next": None},
}


async def get(url):
    await asyncio.sleep(0.2)  # network latency
    return SERVER[url]


async def fetch_pages(url):
    while url is not None:
        page = await get(url)
        yield page["results"]
        url = page["next"]  # only known once this page has arrived


async def main():
    async for results in fetch_pages("/animals?page=1"):
        print("page:", ", ".join(results))


asyncio.run(main())
