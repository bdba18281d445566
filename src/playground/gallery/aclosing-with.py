# The same early exit with contextlib.aclosing: leaving the `async with`
# block closes the generator right away, so its `finally` runs at the
# break, before the code after the loop.
import asyncio
from contextlib import aclosing


async def conveyor_belt():
    print("seat taken")
    try:
        for number in range(1, 100):
            await asyncio.sleep(0.1)
            yield f"plate {number}"
    finally:
        print("cleanup: seat given back")


async def main():
    async with aclosing(conveyor_belt()) as plates:
        async for plate in plates:
            print("ate", plate)
            if plate == "plate 2":
                break
    print("left the loop")
    await asyncio.sleep(0.5)
    print("paid and went home")


asyncio.run(main())
