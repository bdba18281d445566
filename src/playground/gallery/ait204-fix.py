# AIT204 fixed: StopAsyncIteration is how __anext__ says "no more items",
# so the loop simply ends after the last number.
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
    print("Liftoff!")


asyncio.run(main())
