# AIT102 fixed: a plain `for` reads the plain generator. The loop body can
# still await: other tasks run while it does.
import asyncio


def guest_list():
    yield "Ann", 2
    yield "Bob", 4
    yield "Cy", 3


async def main():
    for name, seats in guest_list():
        await asyncio.sleep(0.1)  # showing the guests to their table
        print(f"{name}: table for {seats}")


asyncio.run(main())
