import asyncio


async def conveyor_belt(plates):
    for plate in plates:
        await asyncio.sleep(0)
        yield plate


async def main():
    for plate in conveyor_belt(["salmon", "tuna"]):
        print("eating", plate)
