# AIT205: __anext__ without __aiter__.
# `async for` starts by calling __aiter__ to get the iterator. This class
# only knows how to give the next item, so the loop fails with a TypeError.
import asyncio


class Countdown:
    def __init__(self, start):
        self.current = start

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration
        self.current -= 1
        await asyncio.sleep(0.1)
        return self.current + 1


async def main():
    async for number in Countdown(3):
        print(number)


asyncio.run(main())
