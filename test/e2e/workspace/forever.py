import asyncio


async def forever():
    while True:
        await asyncio.sleep(0.2)
        yield "plate"


async def main():
    async for plate in forever():
        print(plate)


asyncio.run(main())
