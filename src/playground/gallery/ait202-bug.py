# AIT202: `async def __aiter__`.
# __aiter__ must hand back the iterator right away. Declared `async`, it
# returns a coroutine instead, and `async for` rejects it with a TypeError.
import asyncio


class Ticker:
    def __init__(self, count):
        self.count = count

    async def __aiter__(self):
        return self

    async def __anext__(self):
        if self.count == 0:
            raise StopAsyncIteration
        self.count -= 1
        await asyncio.sleep(0.1)
        return "tick"


async def main():
    async for tick in Ticker(3):
        print(tick)


asyncio.run(main())
