import rowstore


async def main():
    for row in rowstore.stream_rows():
        print(row)
