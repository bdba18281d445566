# AIT202 fixed: a plain `def __aiter__` returns the iterator itself.
import asyncio


class Ticker:
    def __init__(self, count):
        self.count = count

    def __aiter__(self):
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
