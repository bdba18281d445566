# AIT401: a blocking call inside an async generator.
# time.sleep() freezes the whole event loop, not just this generator: the
# heartbeat, which should tick every 0.1 s, misses every beat until the
# belt is done.
import asyncio
import time


async def conveyor_belt():
    for number in range(1, 4):
        time.sleep(0.2)  # blocks the whole event loop
        yield f"plate {number}"


async def ticks():
    for number in range(1, 100):
        await asyncio.sleep(0.1)
        yield f"tick {number}"


async def heartbeat():
    async for tick in ticks():
        print(tick)


async def main():
    beating = asyncio.create_task(heartbeat(), name="heartbeat")
    async for plate in conveyor_belt():
        print("ate", plate)
    await asyncio.sleep(0.25)  # time for a few more beats
    beating.cancel()


asyncio.run(main())
