async def read_rows(pool, query):
    conn = await pool.acquire()
    try:
        async for row in conn.cursor(query):
            yield row
    finally:
        await pool.release(conn)


async def first_match(pool, name):
    async for row in read_rows(pool, "SELECT * FROM users"):
        if row["name"] == name:
            return row
    return None
