# An async generator: `async def` plus `yield` makes an async iterator, no
# class needed. Picture a sushi conveyor belt: plates arrive one at a time,
# whenever the chef has one ready, and you take each one as it comes by.
import asyncio

# What the chef prepares, and how many seconds each plate takes.
MENU = [("salmon nigiri", 0.3), ("tuna roll", 0.1), ("miso soup", 0.2), ("tamago", 0.05), ("eel", 0.25)]


async def conveyor_belt(menu):
    for dish, seconds in menu:
        await asyncio.sleep(seconds)  # the chef is still working on it
        yield dish  # the plate reaches your seat


async def main():
    async for plate in conveyor_belt(MENU):
        # The body runs once per plate, in the order the plates arrive;
        # the time between them is time spent waiting, not working.
        print("took", plate)
    print("the belt is empty")


asyncio.run(main())
