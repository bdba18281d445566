class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        print("starting")

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration
        self.current -= 1
        return self.current + 1
