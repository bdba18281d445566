# Countdown: an async iterator written by hand.
# `async for` calls __aiter__ once to get the iterator, then awaits
# __anext__ for every item, until __anext__ raises StopAsyncIteration.
import asyncio


class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        # The object is its own iterator, so it hands back itself.
        return self

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration  # the async way to say "no more items"
        self.current -= 1
        # Pretend the next number takes a while to come. While this sleeps,
        # the event loop is free to run other tasks.
        await asyncio.sleep(0.2)
        return self.current + 1


async def main():
    async for number in Countdown(5):
        print(number)  # 5, 4, 3, 2, 1: one every 0.2 s
    print("Liftoff!")


asyncio.run(main())
