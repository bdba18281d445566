# AIT104: asking for the next item without awaiting it.
# anext() returns an awaitable. Without `await` you hold that awaitable, not
# the headline, and the next line fails with an AttributeError.
import asyncio


async def headlines():
    for title in ["async iterators explained", "one item at a time"]:
        await asyncio.sleep(0.1)
        yield title


async def main():
    news = headlines()
    first = anext(news)
    print(first.upper())


asyncio.run(main())
