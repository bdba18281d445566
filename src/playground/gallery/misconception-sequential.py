# The common misconception: "async iterators process items in parallel".
# They don't. Two belts each bring 3 plates, 0.2 s apart. Eating from one
# belt and then the other means six waits in a row: about 1.2 s.
import asyncio
import time


async def belt(name):
    for number in range(1, 4):
        await asyncio.sleep(0.2)  # the next plate is on its way
        yield f"{name} {number}"


async def eat_from(name):
    async for plate in belt(name):
        print("ate", plate)


async def main():
    started = time.perf_counter()
    for name in ["salmon", "tuna"]:
        await eat_from(name)  # the tuna belt waits until salmon is done
    print(f"6 plates in {time.perf_counter() - started:.1f} s")


asyncio.run(main())
