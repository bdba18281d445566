# event_listener: a producer task puts events on an asyncio.Queue, and the
# consumer reads them with `async for`, without polling. None means "no more".
import asyncio


async def event_listener(queue):
    while True:
        event = await queue.get()  # waits (without blocking) for the next event
        if event is None:
            break
        yield event


async def sensor(queue):
    for reading in [21.5, 21.7, 22.4, 23.0]:
        await asyncio.sleep(0.15)  # a new reading every so often
        await queue.put({"celsius": reading})
    await queue.put(None)


async def main():
    queue = asyncio.Queue()
    async with asyncio.TaskGroup() as group:
        # The sensor runs as its own task while this one listens.
        group.create_task(sensor(queue), name="sensor")
        async for event in event_listener(queue):
            print("event:", event)


asyncio.run(main())
