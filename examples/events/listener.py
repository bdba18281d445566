"""The seed article's event_listener, stopped the wrong way."""
import asyncio


async def event_listener(queue: asyncio.Queue):
    while True:
        event = await queue.get()
        if event is None:
            # Inside an async generator this becomes a RuntimeError.
            raise StopAsyncIteration
        yield event


async def main():
    queue: asyncio.Queue = asyncio.Queue()
    for event in ("click", "scroll", None):
        queue.put_nowait(event)
    async for event in event_listener(queue):
        print(event)


asyncio.run(main())
