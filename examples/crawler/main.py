"""A small crawler with the mistakes people make when they first meet async iterators."""
import asyncio

from .streams import fetch_pages, page_numbers, query_large_table

URLS = ["https://example.com/a", "https://example.com/b", "https://example.com/c"]


async def crawl():
    # A plain `for` cannot wait for the next page.
    for page in fetch_pages(URLS):
        print(len(page))

    # Neither can list(): it only knows the synchronous protocol.
    pages = list(fetch_pages(URLS))

    # sum() over an async generator expression fails the same way.
    total = sum(row["id"] async for row in query_large_table())

    # `async for` over pages that are already in memory.
    async for number in page_numbers(3):
        print(number)

    # The first page is requested but never awaited.
    stream = fetch_pages(URLS)
    first = anext(stream)
    print(first)
    return pages, total


def report():
    # `async for` in a plain function: Python will not even compile this file.
    async for page in fetch_pages(URLS):
        print(page)


if __name__ == "__main__":
    asyncio.run(crawl())
