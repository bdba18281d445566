# AIT203: a plain `def __anext__`.
# `async for` awaits whatever __anext__ returns. A plain string cannot be
# awaited, so the first step of the loop fails with a TypeError.
import asyncio


class Ticker:
    def __init__(self, count):
        self.count = count

    def __aiter__(self):
        return self

    def __anext__(self):
        if self.count == 0:
            raise StopAsyncIteration
        self.count -= 1
        return "tick"


async def main():
    async for tick in Ticker(3):
        print(tick)


asyncio.run(main())
