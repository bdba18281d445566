# Merging async iterators into one stream: a task per belt copies its plates
# into a shared queue, and merge() yields them in the order they arrive.
import asyncio


async def belt(name, seconds, count):
    for number in range(1, count + 1):
        await asyncio.sleep(seconds)
        yield f"{name} {number}"


async def merge(*sources):
    queue = asyncio.Queue()
    finished = object()  # what a source puts on the queue when it runs dry

    async def forward(source):
        async for item in source:
            await queue.put(item)
        await queue.put(finished)

    tasks = [asyncio.create_task(forward(source)) for source in sources]
    try:
        remaining = len(tasks)
        while remaining:
            item = await queue.get()
            if item is finished:
                remaining -= 1
            else:
                yield item
    finally:
        for task in tasks:  # if the consumer stops early, stop the belts too
            task.cancel()


async def main():
    belts = [belt("salmon", 0.1, 4), belt("tuna", 0.16, 3), belt("eel", 0.25, 2)]
    async for plate in merge(*belts):
        print("ate", plate)


asyncio.run(main())
