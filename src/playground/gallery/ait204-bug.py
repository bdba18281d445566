# AIT204: `raise StopIteration` in __anext__.
# Inside a coroutine, StopIteration is not a stop signal: Python turns it
# into a RuntimeError. The loop gets every number, then crashes at the end.
import asyncio


class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        await asyncio.sleep(0.1)
        return self.current + 1


async def main():
    async for number in Countdown(3):
        print(number)
    print("Liftoff!")


asyncio.run(main())
