from producer import stream_rows


async def total(count):
    result = 0
    for row in stream_rows(count):
        result += row["id"]
    return result
