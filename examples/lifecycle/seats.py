"""Leaving an async generator early, and blocking the event loop inside one.

The belt takes a seat at the counter and its `finally` gives the seat back.
Breaking out of `async for` only stops the loop: the generator stays
suspended, and the seat is given back later, whenever the generator is
garbage-collected. And a `time.sleep()` inside the belt freezes every other
task while it waits.
"""
import asyncio
import time


async def conveyor_belt():
    print("seat taken")
    try:
        for number in range(1, 100):
            time.sleep(0.1)  # blocks the whole event loop, not just this belt
            yield f"plate {number}"
    finally:
        print("seat given back")


async def main():
    async for plate in conveyor_belt():
        print("ate", plate)
        if plate == "plate 2":
            break
    print("left the loop")
    await asyncio.sleep(0.5)  # meanwhile someone else is waiting for that seat


if __name__ == "__main__":
    asyncio.run(main())
