import asyncio

async def main(:
    for x in (
    await
