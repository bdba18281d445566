# AIT401 fixed: await asyncio.sleep() lets the event loop run other tasks
# while the belt waits, so the heartbeat keeps ticking between plates.
import asyncio


async def conveyor_belt():
    for number in range(1, 4):
        await asyncio.sleep(0.2)  # waits without blocking
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
