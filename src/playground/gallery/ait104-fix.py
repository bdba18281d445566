# AIT104 fixed: `await anext(...)` waits for the first headline itself.
import asyncio


async def headlines():
    for title in ["async iterators explained", "one item at a time"]:
        await asyncio.sleep(0.1)
        yield title


async def main():
    news = headlines()
    first = await anext(news)
    print(first.upper())
    async for title in news:  # carries on where anext() left off
        print("then:", title)


asyncio.run(main())
