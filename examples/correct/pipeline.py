"""The same ideas, written correctly: Async Lens has nothing to say here."""
import asyncio
from collections.abc import AsyncIterator


class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration
        await asyncio.sleep(1)
        self.current -= 1
        return self.current + 1


async def fetch_pages(urls):
    for url in urls:
        await asyncio.sleep(0.2)
        yield f"<html>{url}</html>"


async def event_listener(queue: asyncio.Queue) -> AsyncIterator[str]:
    while True:
        event = await queue.get()
        if event is None:
            return
        yield event


async def main(urls):
    async for n in Countdown(3):
        print(n)
    pages = [page async for page in fetch_pages(urls)]
    first = await anext(fetch_pages(urls))
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(asyncio.sleep(0.1, url)) for url in urls]
    for task in tasks:
        print(task.result())
    return pages, first
