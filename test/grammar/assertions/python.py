# SYNTAX TEST "source.python" "suspension points in Python"

async def agen(source):
    async for item in source:
#   ^^^^^ keyword.control.suspension.async-for.async-lens keyword.control.flow.python
#         ^^^ keyword.control.suspension.async-for.async-lens keyword.control.flow.python
#                  ^^ keyword.control.flow.python
        yield await item
#       ^^^^^ keyword.control.suspension.yield.async-lens keyword.control.flow.python
#             ^^^^^ keyword.control.suspension.await.async-lens keyword.control.flow.python
    async with lock:
#   ^^^^^ keyword.control.suspension.async-with.async-lens keyword.control.flow.python
#         ^^^^ keyword.control.suspension.async-with.async-lens keyword.control.flow.python
        pass
    rows = [row async for row in source]
#               ^^^^^ keyword.control.suspension.async-for.async-lens
#                     ^^^ keyword.control.suspension.async-for.async-lens

    def helper():
        yield 1
#       ^^^^^ keyword.control.flow.python - keyword.control.suspension.yield.async-lens
        await bad
#       ^^^^^ keyword.control.flow.python - keyword.control.suspension.await.async-lens

    class Local:
        x = [y for y in range(3)]
        async def method(self):
            await self.ready()
#           ^^^^^ keyword.control.suspension.await.async-lens

    yield "back in the async generator"
#   ^^^^^ keyword.control.suspension.yield.async-lens

def sync_gen():
    yield 2
#   ^^^^^ keyword.control.flow.python - keyword.control.suspension.yield.async-lens
    yield from other()
#   ^^^^^^^^^^ keyword.control.flow.python - keyword.control.suspension.yield.async-lens

async def one_liner(): return await value
#                             ^^^^^ keyword.control.suspension.await.async-lens
x = 1  # await in a comment
#        ^^^^^ comment.line.number-sign.python - keyword.control.suspension.await.async-lens
s = "await in a string"
#    ^^^^^ string.quoted.single.python - keyword.control.suspension.await.async-lens
print(obj.await_attr, await_name)
#         ^^^^^^^^^^ - keyword.control.suspension.await.async-lens
#                     ^^^^^^^^^^ - keyword.control.suspension.await.async-lens
await top_level_in_a_notebook
# <----- keyword.control.suspension.await.async-lens keyword.control.flow.python

class After:
# <----- storage.type.class.python
    def method(self):
#       ^^^^^^ entity.name.function.python
        return [i for i in range(3)]
#                 ^^^ keyword.control.flow.python
