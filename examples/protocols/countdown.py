"""Hand-written async iterators, each breaking the protocol in its own way."""
import asyncio


class Countdown:
    """The seed article's countdown, with `return self` forgotten."""

    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        self.current = self.current

    async def __anext__(self):
        if self.current <= 0:
            raise StopIteration
        await asyncio.sleep(1)
        self.current -= 1
        return self.current + 1


class Ticker:
    """`async def __aiter__` returns a coroutine, not an iterator."""

    def __init__(self, ticks):
        self.ticks = ticks

    async def __aiter__(self):
        return self

    async def __anext__(self):
        if self.ticks == 0:
            raise StopAsyncIteration
        self.ticks -= 1
        await asyncio.sleep(0.1)
        return self.ticks


class Pager:
    """`__anext__` without `async` returns the item itself, not an awaitable."""

    def __init__(self, pages):
        self.pages = list(pages)

    def __aiter__(self):
        return self

    def __anext__(self):
        if not self.pages:
            raise StopAsyncIteration
        page = self.pages.pop(0)
        return f"<html>{page}</html>"


class RowCursor:
    """Has `__anext__` but no `__aiter__`: `async for` rejects it."""

    def __init__(self, rows):
        self.rows = list(rows)

    async def __anext__(self):
        if not self.rows:
            raise StopAsyncIteration
        await asyncio.sleep(0)
        return self.rows.pop(0)


async def main():
    async for n in Countdown(3):
        print(n)
    async for row in RowCursor(["a", "b"]):
        print(row)
