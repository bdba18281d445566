# AIT205 fixed: __aiter__ returns self, so the object is its own iterator.
import asyncio


class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        return self

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
