import asyncio


async def ticks(count):
    """A conveyor belt: one plate every 50 ms."""
    for number in range(1, count + 1):
        await asyncio.sleep(0.05)
        yield number


async def main():
    async for tick in ticks(3):
        print("tick", tick)


asyncio.run(main())
