# The same Countdown with __aiter__ fixed: it rewinds, then returns the
# iterator (the object itself), so `async for` can call __anext__ on it.
import asyncio


class Countdown:
    def __init__(self, start):
        self.start = start
        self.current = start

    def __aiter__(self):
        self.current = self.start
        return self

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
