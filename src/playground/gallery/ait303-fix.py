# AIT303 fixed: asyncio.gather runs the coroutines together and returns
# their results in order: 3 reports in about 0.2 s.
import asyncio
import time


async def build_report(name):
    await asyncio.sleep(0.2)  # a slow query
    return f"report {name}"


async def main():
    started = time.perf_counter()
    pending = [build_report(name) for name in ["north", "south", "east"]]
    for report in await asyncio.gather(*pending):
        print(report)
    print(f"3 reports in {time.perf_counter() - started:.1f} s")


asyncio.run(main())
