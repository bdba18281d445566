# Leaving an async generator early. The belt takes a seat at the counter,
# and its `finally` gives the seat back. `break` only stops the loop: the
# generator is left suspended, and its `finally` runs later, once the
# generator is garbage-collected and the event loop gets round to closing it.
import asyncio


async def conveyor_belt():
    print("seat taken")
    try:
        for number in range(1, 100):
            await asyncio.sleep(0.1)
            yield f"plate {number}"
    finally:
        print("cleanup: seat given back")


async def main():
    async for plate in conveyor_belt():
        print("ate", plate)
        if plate == "plate 2":
            break
    print("left the loop")
    await asyncio.sleep(0.5)  # meanwhile someone else is waiting for that seat
    print("paid and went home")


asyncio.run(main())
