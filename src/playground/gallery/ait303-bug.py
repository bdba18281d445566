# AIT303: a list of coroutines, awaited one by one.
# Calling an async function only creates a coroutine; it starts running
# when it is awaited. So this loop still runs the reports one after another:
# 3 reports × 0.2 s = 0.6 s.
import asyncio
import time


async def build_report(name):
    await asyncio.sleep(0.2)  # a slow query
    return f"report {name}"


async def main():
    started = time.perf_counter()
    pending = [build_report(name) for name in ["north", "south", "east"]]
    for report in pending:
        print(await report)
    print(f"3 reports in {time.perf_counter() - started:.1f} s")


asyncio.run(main())
