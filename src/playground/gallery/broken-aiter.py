# A broken __aiter__: it rewinds the countdown but forgets `return self`.
# `async for` calls __aiter__ first, gets None instead of an iterator, and
# fails with a TypeError before the first number arrives.
import asyncio


class Countdown:
    def __init__(self, start):
        self.start = start
        self.current = start

    def __aiter__(self):
        self.current = self.start  # rewinds... and returns None

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration
        self.current -= 1
        await asyncio.sleep(0.2)
        return self.current + 1


async def main():
    async for number in Countdown(3):
        print(number)


asyncio.run(main())
