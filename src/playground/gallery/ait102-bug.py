# AIT102: `async for` over a plain generator.
# guest_list() is an ordinary generator (def + yield): its items are ready
# at once and it has no __aiter__, so `async for` stops with a TypeError.
import asyncio


def guest_list():
    yield "Ann", 2
    yield "Bob", 4
    yield "Cy", 3


async def main():
    async for name, seats in guest_list():
        await asyncio.sleep(0.1)  # showing the guests to their table
        print(f"{name}: table for {seats}")


asyncio.run(main())
